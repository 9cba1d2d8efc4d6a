"""Forms of the partnership pages; the rules themselves live in services and the TLP policy."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from secu4all.common.forms import ModelMultipleChoiceField
from secu4all.common.tlp import Tlp
from secu4all.organisations.models import Organisation
from secu4all.partnerships.models import (
    ActionItem,
    ActionStatus,
    Agreement,
    Certification,
    Exercise,
    Inject,
    Observation,
    PartnerKind,
    PartnershipSubject,
    RaciAssignment,
    SharedItemKind,
    Signatory,
)
from secu4all.partnerships.selectors import (
    action_list,
    community_organisations,
    member_organisations,
    partner_users,
)

TLP_HELP = _(
    "RED: only the people you name. AMBER+STRICT: only the recipient organisations. AMBER: "
    "the recipient organisations and the clients you name. GREEN: the partnership's "
    "community. CLEAR: anyone."
)


class PartnershipForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    subject = forms.ChoiceField(label=_("Around"), choices=PartnershipSubject.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PartnerForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    is_public = forms.BooleanField(label=_("Public body"), required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = [o.pk for o in member_organisations(partnership=partnership)]
        self.fields["member"].queryset = Organisation.objects.exclude(pk__in=current)


class PeopleField(ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        name = user.get_full_name()
        return f"{name} ({user.get_username()})" if name else user.get_username()


class SharedItemForm(forms.Form):
    # An excerpt is shared from its assessment's page, which keeps the excerpt's label rule.
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[c for c in SharedItemKind.choices if c[0] != SharedItemKind.ASSESSMENT_EXCERPT],
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    # No initial value: the sharer must choose, and an item without a label is refused.
    tlp = forms.ChoiceField(
        label=_("TLP label"),
        choices=[("", _("— choose a label —")), *Tlp.choices],
        help_text=TLP_HELP,
        error_messages={"required": _("Choose a TLP label: an item is never shared without.")},
    )
    recipient_users = PeopleField(
        label=_("Named recipients (RED)"), queryset=get_user_model().objects.none(), required=False
    )
    recipient_organisations = ModelMultipleChoiceField(
        label=_("Recipient organisations (AMBER, AMBER+STRICT)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    client_organisations = ModelMultipleChoiceField(
        label=_("Clients they may tell (AMBER)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF, PNG, JPEG, DOCX, XLSX, ODT, plain text or CSV; checked by content."),
    )

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient_users"].queryset = partner_users(partnership=partnership)
        members = [o.pk for o in member_organisations(partnership=partnership)]
        community = [o.pk for o in community_organisations(partnership=partnership)]
        self.fields["recipient_organisations"].queryset = Organisation.objects.filter(
            pk__in=members
        )
        self.fields["client_organisations"].queryset = Organisation.objects.filter(pk__in=community)


class AlertForm(SharedItemForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        del self.fields["attachment"]


class RelabelForm(forms.Form):
    tlp = forms.ChoiceField(label=_("New label"), choices=Tlp.choices)


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner_organisation = forms.ModelChoiceField(
        label=_("Owner"), queryset=Organisation.objects.none()
    )
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        members = [o.pk for o in member_organisations(partnership=partnership)]
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(pk__in=members)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search shared items"), max_length=200, required=False)


# --- Records the lead keeps: RACI, agreements, certification, exercises ---------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _PartnershipModelForm(forms.ModelForm):
    """A model form whose organisation choices are limited to the partnership's members."""

    member_fields: tuple[str, ...] = ()

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        members = [o.pk for o in member_organisations(partnership=partnership)]
        for name in self.member_fields:
            self.fields[name].queryset = Organisation.objects.filter(pk__in=members)


class RaciForm(_PartnershipModelForm):
    member_fields = ("partner",)
    # Declared, so the form class does not query the tenant-scoped actions at import time.
    action_item = forms.ModelChoiceField(
        label=_("Task"), queryset=ActionItem.objects.with_scopes_disabled().none(), required=False
    )

    class Meta:
        model = RaciAssignment
        fields = ["measure", "action_item", "partner", "role"]
        labels = {"partner": _("Organisation")}

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, partnership=partnership, **kwargs)
        self.fields["action_item"].queryset = action_list(partnership=partnership)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("measure") and not data.get("action_item"):
            raise forms.ValidationError(_("Name a measure or choose a task of the plan."))
        return data


class AgreementForm(_PartnershipModelForm):
    class Meta:
        model = Agreement
        fields = ["kind", "title", "signed_on", "valid_until", "text"]
        widgets = {"signed_on": DATE, "valid_until": DATE, "text": forms.Textarea({"rows": 3})}


class SignatoryForm(_PartnershipModelForm):
    member_fields = ("partner",)

    class Meta:
        model = Signatory
        fields = ["partner", "signed_by", "signed_on"]
        labels = {"partner": _("Organisation")}
        widgets = {"signed_on": DATE}


class CertificationForm(_PartnershipModelForm):
    class Meta:
        model = Certification
        fields = [
            "letter_of_intent_on",
            "business_survey_done",
            "day_walk_done",
            "night_walk_done",
            "incident_figures_done",
            "audit_on",
        ]
        widgets = {"letter_of_intent_on": DATE, "audit_on": DATE}


class ExerciseForm(_PartnershipModelForm):
    member_fields = ("participants",)

    class Meta:
        model = Exercise
        fields = ["title", "kind", "held_on", "scenario", "participants", "after_action_review"]
        # Django's own field lets an id past the database's integer range reach the query.
        field_classes = {"participants": ModelMultipleChoiceField}
        widgets = {
            "held_on": DATE,
            "scenario": forms.Textarea({"rows": 3}),
            "after_action_review": forms.Textarea({"rows": 3}),
        }


class InjectForm(_PartnershipModelForm):
    class Meta:
        model = Inject
        fields = ["minute", "text"]
        widgets = {"text": forms.Textarea({"rows": 2})}


class ObservationForm(_PartnershipModelForm):
    member_fields = ("follow_up_owner",)

    class Meta:
        model = Observation
        fields = ["text", "went_well", "follow_up", "follow_up_owner"]
        labels = {"follow_up_owner": _("Owner of the follow-up")}
        widgets = {"text": forms.Textarea({"rows": 2})}
