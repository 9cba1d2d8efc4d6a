"""Pages that add and remove partners."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from secu4all.partnerships.access import partnership_view, record_or_404, require_lead
from secu4all.partnerships.forms import PartnerForm
from secu4all.partnerships.models import PartnerMembership, Partnership
from secu4all.partnerships.selectors import open_actions_of
from secu4all.partnerships.services import members


@require_POST
@partnership_view("partner-add")
def partner_add(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    require_lead(request, partnership, "partner-add")
    form = PartnerForm(request.POST, partnership=partnership)
    if form.is_valid():
        data = form.cleaned_data
        contacts = (
            [{"name": data["contact_name"], "email": data["contact_email"]}]
            if data["contact_name"]
            else []
        )
        members.partner_add(
            actor=request.user,
            partnership=partnership,
            member=data["member"],
            kind=data["kind"],
            is_public=data["is_public"],
            contacts=contacts,
        )
        messages.success(request, _("%(org)s joined.") % {"org": data["member"]})
    else:
        messages.error(
            request,
            _("The partner was not added: %(errors)s")
            % {"errors": "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())},
        )
    return redirect("partnerships:detail", org_slug=request.organisation.slug, pk=partnership.pk)


@require_http_methods(["GET", "POST"])
@partnership_view("partner-remove")
def partner_remove(request: HttpRequest, partnership: Partnership, member_pk: int) -> HttpResponse:
    """GET says what removal will do to what the partner holds; POST does it."""
    require_lead(request, partnership, "partner-remove")
    membership = record_or_404(request, partnership, PartnerMembership, member_pk)
    if request.method == "GET":
        return render(
            request,
            "partnerships/partner_remove.html",
            {
                "organisation": request.organisation,
                "partnership": partnership,
                "membership": membership,
                "open_actions": open_actions_of(
                    partnership=partnership, organisation=membership.member
                ),
                "owned_items": partnership.shared_items.filter(
                    owner_organisation=membership.member
                ).count(),
            },
        )
    try:
        outcome = members.partner_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "%(org)s left. Its access to non-CLEAR items ended; %(actions)d open actions "
                "went to the lead and %(items)d shared items are now owned by the lead."
            )
            % {
                "org": membership.member,
                "actions": outcome["actions_to_lead"],
                "items": outcome["items_to_lead"],
            },
        )
    return redirect("partnerships:detail", org_slug=request.organisation.slug, pk=partnership.pk)
