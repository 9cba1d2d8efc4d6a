"""Forms of organisations."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secu4all.organisations.models import Role


class MembershipInviteForm(forms.Form):
    # Whether the account exists is not checked here: the answer must not tell.
    identifier = forms.CharField(label=_("Username or e-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class TwoFactorPolicyForm(forms.Form):
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor authentication for security advisers and admins"),
        required=False,
    )


class BaseMapForm(forms.Form):
    file = forms.FileField(
        label=_("Base map (PMTiles archive of vector tiles)"),
        help_text=_(
            "Cut your region from a Protomaps build with “pmtiles extract”; "
            "the platform serves it itself, no tile server needed."
        ),
    )
    attribution = forms.CharField(
        label=_("Source shown on the map"),
        max_length=200,
        required=False,
        help_text=_("For example: © OpenStreetMap contributors"),
    )
    public = forms.BooleanField(
        label=_("Open the base map to everyone (for public survey pages)"), required=False
    )
