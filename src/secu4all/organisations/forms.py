"""Forms of organisations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from secu4all.audit.models import AuditAction, AuditOutcome
from secu4all.audit.selectors import AuditFilters
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


class AuditLogFilterForm(forms.Form):
    """The audit log's filters (a GET form): each narrows the log; none is required."""

    person = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    object_type = forms.ChoiceField(label=_("Kind of object"), required=False)
    object_id = forms.CharField(
        label=_("Object number"),
        required=False,
        max_length=64,
        help_text=_("The number of one object, as in its address."),
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        people: list[tuple[int, str]],
        object_types: list[tuple[str, str]],
    ) -> None:
        super().__init__(data)
        self.fields["person"].choices = [("", _("Everyone")), *people]
        self.fields["object_type"].choices = [("", _("All kinds")), *object_types]
        self.fields["action"].choices = [("", _("All actions")), *AuditAction.choices]
        self.fields["outcome"].choices = [
            ("", _("Allowed and refused")),
            *((value, capfirst(label)) for value, label in AuditOutcome.choices),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        if cleaned.get("object_id") and not cleaned.get("object_type"):
            self.add_error("object_type", _("Choose the kind of object the number belongs to."))
        return cleaned

    def filters(self) -> AuditFilters:
        """The valid filters; one the reader got wrong narrows nothing (its error is shown)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        errors = self.errors
        return AuditFilters(
            **{
                name: data.get(name) or default
                for name, default in [
                    ("action", ""),
                    ("outcome", ""),
                    ("object_type", ""),
                    ("object_id", ""),
                    ("since", None),
                    ("until", None),
                ]
                if name not in errors
            },
            actor_id=None if "person" in errors else data.get("person"),
        )
