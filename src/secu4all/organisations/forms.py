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
