"""Forms of the crime overview: filters, hotspot options and file uploads."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secu4all.common.files import ImportFileError, check_size
from secu4all.incidents.models import ImportFormat
from secu4all.incidents.selectors import IncidentFilter
from secu4all.incidents.taxonomy import Category

METHOD_CHOICES = [
    ("gistar", _("Hot and cold spots (Getis-Ord Gi*)")),
    ("kde", _("Kernel density")),
    ("local-moran", _("Clusters and outliers (local Moran)")),
]


class IncidentFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )
    area = forms.CharField(label=_("Area code"), required=False, max_length=30)
    method = forms.ChoiceField(label=_("Hotspot method"), choices=METHOD_CHOICES, required=False)
    cell = forms.IntegerField(
        label=_("Cell size (metres)"), min_value=10, max_value=5000, required=False
    )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data

    def filters(self) -> IncidentFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return IncidentFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            category=data.get("category") or "",
            area=(data.get("area") or "").strip(),
        )

    def hotspot_method(self) -> str:
        return (self.cleaned_data.get("method") if self.is_valid() else "") or "gistar"

    def cell_size(self) -> int:
        return (self.cleaned_data.get("cell") if self.is_valid() else None) or 100


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or GeoJSON)"))
    format = forms.ChoiceField(label=_("Format"), choices=ImportFormat.choices)
    mapping = forms.FileField(
        label=_("Column mapping (JSON or YAML)"),
        required=False,
        help_text=_("Needed for the CSV and GeoJSON formats: which column holds what."),
    )

    def clean_file(self):
        # Django counts the bytes it received: the size cannot be forged by a header.
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size, name=upload.name)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload

    def clean(self) -> dict:
        data = super().clean()
        if data.get("format") in {"csv", "geojson"} and not data.get("mapping"):
            self.add_error("mapping", _("This format needs a column mapping."))
        return data
