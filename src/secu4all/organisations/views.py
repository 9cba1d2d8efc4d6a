"""Pages of one organisation: overview, members, two-factor policy and the audit log."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secu4all.accounts.selectors import api_tokens_of_users
from secu4all.accounts.services import api_token_revoke
from secu4all.audit.selectors import (
    SESSION_GAP,
    AuditFilters,
    audit_actor_list,
    audit_event_list,
    audit_events_for_export,
    audit_events_for_reader,
    audit_object_type_list,
    audit_rows,
)
from secu4all.audit.services import audit_read
from secu4all.common.byte_ranges import range_file_response
from secu4all.common.exports import SpreadsheetSafeWriter
from secu4all.common.uploads import not_stored
from secu4all.organisations.access import permission_required
from secu4all.organisations.forms import (
    AuditLogFilterForm,
    BaseMapForm,
    MembershipInviteForm,
    TwoFactorPolicyForm,
)
from secu4all.organisations.models import Membership, Role
from secu4all.organisations.permissions import Permission
from secu4all.organisations.selectors import (
    base_map_of,
    member_list,
    organisation_names_by_user,
    organisation_with_public_base_map,
)
from secu4all.organisations.services import (
    membership_invite,
    membership_revoke,
    organisation_set_base_map,
    organisation_set_two_factor,
)

AUDIT_PAGE_SIZE = 100
EXPORT_BATCH = 500
AUDIT_EXPORT_COLUMNS = [
    "time",
    "who",
    "action",
    "object_type",
    "object_id",
    "object",
    "detail",
    "outcome",
    "name",
    "organisations",
    "object_label",
    "object_exists",
    "reason",
]


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
        except OSError:
            # The upload's passing copy did not fit in the temporary directory.
            base_map_form.add_error("file", not_stored(upload.name))
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


def _audit_filter_form(request: HttpRequest) -> AuditLogFilterForm:
    organisation = request.organisation
    form = AuditLogFilterForm(
        request.GET,
        people=[(p.actor_id, p.name) for p in audit_actor_list(organisation=organisation)],
        object_types=audit_object_type_list(organisation=organisation),
    )
    form.is_valid()  # the errors are shown; the valid filters still apply
    return form


def _with_people(events: list[Any]) -> list[Any]:
    """Each event with ``person`` (the full name, else the account name as written) and
    ``person_organisations`` (whom that person works for now)."""
    organisations = organisation_names_by_user(
        user_ids={event.actor_id for event in events if event.actor_id is not None}
    )
    for event in events:
        actor = event.actor
        event.person = (actor.get_full_name() or actor.get_username()) if actor else ""
        event.person = event.person or event.actor_name
        event.person_organisations = organisations.get(event.actor_id, [])
    return events


def _filters_query(request: HttpRequest) -> str:
    """The filters this request sets, as a query string, without the page number: the
    address of what the reader sees, without the empty fields of the form."""
    query = request.GET.copy()
    query.pop("page", None)
    for name in [name for name, values in query.lists() if not any(values)]:
        del query[name]
    return query.urlencode()


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
    organisation = request.organisation
    form = _audit_filter_form(request)
    events = audit_event_list(organisation=organisation, filters=form.filters())
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = _with_people(
        audit_events_for_reader(
            reader=request.user, organisation=organisation, events=page.object_list
        )
    )
    return render(
        request,
        "organisations/audit_log.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "rows": audit_rows(shown),
            "session_minutes": int(SESSION_GAP.total_seconds() // 60),
            "query": _filters_query(request),
        },
    )


def _export_record(event: Any) -> dict[str, Any]:
    return {
        "time": event.at.isoformat(),
        "who": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object": event.shown_repr,
        "detail": event.shown_detail,
        "outcome": event.outcome,
        # After the columns readers of earlier exports know, in their places.
        "name": event.person,
        "organisations": event.person_organisations,
        "object_label": event.label,
        "object_exists": not event.object_gone,
        "reason": event.refusal,
    }


def _export_events(request: HttpRequest, filters: AuditFilters) -> Iterator[dict[str, Any]]:
    batch: list[Any] = []
    events = audit_events_for_export(
        reader=request.user, organisation=request.organisation, filters=filters
    )
    for event in events:
        batch.append(event)
        if len(batch) == EXPORT_BATCH:
            # One query for the people of a batch, not one per row.
            yield from map(_export_record, _with_people(batch))
            batch = []
    yield from map(_export_record, _with_people(batch))


@require_GET
@permission_required(Permission.MANAGE_ORGANISATION)
def audit_log_export(request: HttpRequest, org_slug: str, fmt: str = "csv") -> HttpResponse:
    """The filtered log as CSV or JSON; the export is itself a row of the log, with its
    filters."""
    organisation = request.organisation
    filters = _audit_filter_form(request).filters()
    records = _export_events(request, filters)
    name = f"audit-{organisation.slug}.{fmt}"
    if fmt == "json":
        response = HttpResponse(content_type="application/json; charset=utf-8")
        response.write("[")
        for number, record in enumerate(records):
            response.write(("," if number else "") + "\n" + json.dumps(record, default=str))
        response.write("\n]\n")
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = SpreadsheetSafeWriter(response)
        writer.writerow(AUDIT_EXPORT_COLUMNS)
        for record in records:
            writer.writerow(
                [
                    "; ".join(value) if isinstance(value, list) else value
                    for value in (record[column] for column in AUDIT_EXPORT_COLUMNS)
                ]
            )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    audit_read(
        request,
        export=True,
        object_type="audit.auditevent",
        object_repr=_("Audit log"),
        detail={"format": fmt, "filters": filters.as_detail()},
    )
    return response
