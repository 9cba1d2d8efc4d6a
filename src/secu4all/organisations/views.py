"""Pages of one organisation: overview, members, two-factor policy and the audit log."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secu4all.accounts.selectors import api_tokens_of_users
from secu4all.accounts.services import api_token_revoke
from secu4all.audit.models import AuditAction, AuditOutcome
from secu4all.audit.selectors import (
    audit_event_list,
    audit_events_for_export,
    audit_events_for_reader,
)
from secu4all.audit.services import audit_read
from secu4all.common.byte_ranges import range_file_response
from secu4all.common.exports import SpreadsheetSafeWriter
from secu4all.organisations.access import permission_required
from secu4all.organisations.forms import BaseMapForm, MembershipInviteForm, TwoFactorPolicyForm
from secu4all.organisations.models import Membership, Role
from secu4all.organisations.permissions import Permission
from secu4all.organisations.selectors import (
    base_map_of,
    member_list,
    organisation_with_public_base_map,
)
from secu4all.organisations.services import (
    membership_invite,
    membership_revoke,
    organisation_set_base_map,
    organisation_set_two_factor,
)


@require_GET
def overview(request: HttpRequest, org_slug: str) -> HttpResponse:
    role_labels = [Role(role).label for role in sorted(request.roles)]
    return render(
        request,
        "organisations/overview.html",
        {"organisation": request.organisation, "role_labels": role_labels},
    )


@require_http_methods(["GET", "POST"])
@permission_required(Permission.MANAGE_ORGANISATION)
def members(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = request.organisation
    form = MembershipInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"].strip()
        role = form.cleaned_data["role"]
        membership_invite(
            actor=request.user, organisation=organisation, identifier=identifier, role=role
        )
        messages.success(
            request,
            _(
                "If %(identifier)s has an account, they are invited as %(role)s. The role "
                "takes effect when they accept it."
            )
            % {"identifier": identifier, "role": Role(role).label},
        )
        return redirect("organisations:members", org_slug=organisation.slug)
    people = member_list(organisation=organisation)
    tokens = api_tokens_of_users(user_ids=[m.user_id for m in people])
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "members": [(m, tokens.get(m.user_id)) for m in people],
            "form": form,
        },
    )


@require_POST
@permission_required(Permission.MANAGE_ORGANISATION)
def member_api_token_revoke(request: HttpRequest, org_slug: str, user_id: int) -> HttpResponse:
    """The admin revokes a member's API token, which reaches this organisation's data."""
    # The active organisation scope makes a non-member's id a 404.
    membership = Membership.objects.select_related("user").filter(user_id=user_id).first()
    if membership is None:
        raise Http404(_("No member of this organisation has the number %(id)s.") % {"id": user_id})
    api_token_revoke(
        actor=request.user, user=membership.user, reason="revoked by an organisation admin"
    )
    messages.success(
        request,
        _("The API token of %(username)s was revoked.")
        % {"username": membership.user.get_username()},
    )
    return redirect("organisations:members", org_slug=org_slug)


@require_POST
@permission_required(Permission.MANAGE_ORGANISATION)
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
@permission_required(Permission.MANAGE_ORGANISATION)
def security_settings(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = request.organisation
    # The base map form is told apart by its own fields (all prefixed), the file may be missing.
    posted_base_map = request.method == "POST" and "base_map-attribution" in request.POST
    form = TwoFactorPolicyForm(
        None if posted_base_map else request.POST or None,
        initial={"require_two_factor": organisation.require_two_factor},
    )
    base_map_form = BaseMapForm(
        request.POST if posted_base_map else None,
        request.FILES if posted_base_map else None,
        initial={
            "attribution": organisation.base_map_attribution,
            "public": organisation.base_map_public,
        },
        prefix="base_map",
    )
    if posted_base_map and base_map_form.is_valid():
        upload = base_map_form.cleaned_data["file"]
        try:
            with tempfile.TemporaryDirectory() as folder:
                source = Path(folder) / Path(upload.name).name
                with source.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                organisation_set_base_map(
                    actor=request.user,
                    organisation=organisation,
                    source=source,
                    attribution=base_map_form.cleaned_data["attribution"],
                    public=base_map_form.cleaned_data["public"],
                )
        except ValidationError as error:
            base_map_form.add_error("file", error)
        else:
            messages.success(request, _("Base map saved."))
            return redirect("organisations:settings", org_slug=organisation.slug)
    elif request.method == "POST" and form.is_valid():
        organisation_set_two_factor(
            actor=request.user,
            organisation=organisation,
            required=form.cleaned_data["require_two_factor"],
        )
        messages.success(request, _("Security settings saved."))
        return redirect("organisations:settings", org_slug=organisation.slug)
    return render(
        request,
        "organisations/settings.html",
        {
            "organisation": organisation,
            "form": form,
            "base_map_form": base_map_form,
            "base_map": base_map_of(organisation=organisation),
        },
    )


@require_GET
def base_map_archive(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The organisation's base map archive, in the byte ranges a map asks for; every member
    may read it (the middleware refused and logged anyone else)."""
    base_map = base_map_of(organisation=request.organisation)
    if base_map is None:
        raise Http404(_("This organisation has no base map."))
    return range_file_response(request, base_map.path, content_type="application/vnd.pmtiles")


@require_GET
def base_map_public_archive(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's base map for everyone, only where the organisation opened it."""
    organisation = organisation_with_public_base_map(slug=slug)
    base_map = base_map_of(organisation=organisation) if organisation else None
    if base_map is None:
        raise Http404(_("No open base map is called %(slug)s.") % {"slug": slug})
    return range_file_response(request, base_map.path, content_type="application/vnd.pmtiles")


@require_GET
@permission_required(Permission.MANAGE_ORGANISATION)
def audit_log(request: HttpRequest, org_slug: str) -> HttpResponse:
    action = request.GET.get("action", "")
    if action not in AuditAction.values:
        action = ""
    outcome = request.GET.get("outcome", "")
    if outcome not in AuditOutcome.values:
        outcome = ""
    events = audit_event_list(organisation=request.organisation, action=action, outcome=outcome)
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
            "outcomes": AuditOutcome.choices,
            "outcome": outcome,
        },
    )


@require_GET
@permission_required(Permission.MANAGE_ORGANISATION)
def audit_log_export(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = request.organisation
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{organisation.slug}.csv"'
    writer = SpreadsheetSafeWriter(response)
    writer.writerow(
        # outcome last: the columns before it keep the places readers of earlier exports know
        ["time", "who", "action", "object_type", "object_id", "object", "detail", "outcome"]
    )
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
                event.outcome,
            ]
        )
    audit_read(
        request,
        export=True,
        object_type="audit.auditevent",
        object_repr=_("Audit log"),
    )
    return response
