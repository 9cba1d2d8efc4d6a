"""Forms of the neighbourhoods pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AreasForm(forms.Form):
    file = forms.FileField(
        label=_("Neighbourhoods file (GeoJSON with boundaries, or CSV)"),
        help_text=_(
            "Properties or columns: code, name and population (CBS's buurtcode, buurtnaam "
            "and aantal_inwoners are recognised too). Boundaries in WGS 84 longitude and "
            "latitude. Areas already known are updated."
        ),
    )
