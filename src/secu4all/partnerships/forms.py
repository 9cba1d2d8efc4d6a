"""Forms of the partnership pages; the rules themselves live in services and the TLP policy."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from secu4all.organisations.models import Organisation
from secu4all.partnerships.models import (
    ActionStatus,
    PartnerKind,
    PartnershipSubject,
    SharedItemKind,
    Tlp,
)
from secu4all.partnerships.selectors import (
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


class SharedItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SharedItemKind.choices)
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
    recipient_users = forms.ModelMultipleChoiceField(
        label=_("Named recipients (RED)"), queryset=get_user_model().objects.none(), required=False
    )
    recipient_organisations = forms.ModelMultipleChoiceField(
        label=_("Recipient organisations (AMBER, AMBER+STRICT)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    client_organisations = forms.ModelMultipleChoiceField(
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
