"""Pages of one organisation: overview, members, two-factor policy and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secu4all.audit.models import AuditAction
from secu4all.audit.selectors import (
    audit_event_list,
    audit_events_for_export,
    audit_events_for_reader,
)
from secu4all.audit.services import audit_record
from secu4all.organisations.access import role_required
from secu4all.organisations.forms import MembershipGrantForm, TwoFactorPolicyForm
from secu4all.organisations.models import Membership, Role
from secu4all.organisations.selectors import member_list
from secu4all.organisations.services import (
    membership_grant,
    membership_revoke,
    organisation_set_two_factor,
)
from secu4all.site.exports import SpreadsheetSafeWriter


@require_GET
def overview(request: HttpRequest, org_slug: str) -> HttpResponse:
    role_labels = [Role(role).label for role in sorted(request.roles)]
    return render(
        request,
        "organisations/overview.html",
        {"organisation": request.organisation, "role_labels": role_labels},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.ORG_ADMIN)
def members(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = request.organisation
    form = MembershipGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = membership_grant(
            actor=request.user,
            organisation=organisation,
            user=form.cleaned_data["username"],
            role=form.cleaned_data["role"],
        )
        messages.success(request, _("%(membership)s added.") % {"membership": membership})
        return redirect("organisations:members", org_slug=organisation.slug)
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "members": member_list(organisation=organisation),
            "form": form,
        },
    )


@require_POST
@role_required(Role.ORG_ADMIN)
def membership_delete(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    # The active organisation scope makes another organisation's membership id a 404.
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    try:
        membership_revoke(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(membership)s removed.") % {"membership": membership})
    return redirect("organisations:members", org_slug=org_slug)


@require_http_methods(["GET", "POST"])
@role_required(Role.ORG_ADMIN)
def security_settings(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = request.organisation
    form = TwoFactorPolicyForm(
        request.POST or None, initial={"require_two_factor": organisation.require_two_factor}
    )
    if request.method == "POST" and form.is_valid():
        organisation_set_two_factor(
            actor=request.user,
            organisation=organisation,
            required=form.cleaned_data["require_two_factor"],
        )
        messages.success(request, _("Security settings saved."))
        return redirect("organisations:settings", org_slug=organisation.slug)
    return render(
        request, "organisations/settings.html", {"organisation": organisation, "form": form}
    )


@require_GET
@role_required(Role.ORG_ADMIN)
def audit_log(request: HttpRequest, org_slug: str) -> HttpResponse:
    action = request.GET.get("action", "")
    if action and action not in AuditAction.values:
        action = ""
    events = audit_event_list(organisation=request.organisation, action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    page.object_list = audit_events_for_reader(
        reader=request.user, organisation=request.organisation, events=page.object_list
    )
    return render(
        request,
        "organisations/audit_log.html",
        {
            "organisation": request.organisation,
            "page": page,
            "actions": AuditAction.choices,
            "action": action,
        },
    )


@require_GET
@role_required(Role.ORG_ADMIN)
def audit_log_export(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = request.organisation
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{organisation.slug}.csv"'
    writer = SpreadsheetSafeWriter(response)
    writer.writerow(["time", "who", "action", "object_type", "object_id", "object", "detail"])
    for event in audit_events_for_export(reader=request.user, organisation=organisation):
        writer.writerow(
            [
                event.at.isoformat(),
                event.actor_name,
                event.action,
                event.object_type,
                event.object_id,
                event.shown_repr,
                event.shown_detail,
            ]
        )
    audit_record(
        actor=request.user,
        organisation=organisation,
        action=AuditAction.EXPORT,
        object_type="audit.auditevent",
        object_repr=_("Audit log"),
    )
    return response
