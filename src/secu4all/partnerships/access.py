"""Guards of the partnership pages and API: roles, partnership membership, the lead, readable
items and records of one partnership.

Refusals, chosen once and used everywhere:

* 403 — the user may know the thing exists but their role does not allow the page, or they
  try to change what they may read but do not own (a label, an action of another partner);
* 404 — a partnership their organisation is not in, and any item its label does not let
  them read (also when the id exists): its title is itself need-to-know.

Every refusal is written to the audit log before it is raised.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_read, audit_refusal
from secu4all.organisations.models import Organisation
from secu4all.organisations.permissions import Permission, has_permission
from secu4all.partnerships import tlp
from secu4all.partnerships.models import Partnership, SharedItem
from secu4all.partnerships.selectors import is_active_member, partnership_for, partnership_scope

ModelT = TypeVar("ModelT", bound=Model)


def refuse(
    request: HttpRequest,
    *,
    organisation: Organisation,
    object_type: str,
    object_id: str,
    via: str,
    status: int,
    reason: str,
) -> None:
    """Log that this request is refused, acting for the URL's organisation, in
    ``organisation``'s log (the partnership's lead where there is one); raising the 403 or 404
    is the caller's."""
    audit_refusal(
        actor=request.user,
        organisation=organisation,
        # A refused relabelling was an attempted change; every other refusal, of a read.
        action=AuditAction.CHANGE if via.startswith("relabel") else AuditAction.VIEW,
        object_type=object_type,
        object_id=object_id,
        reason=reason,
        detail={"status": status, "via": via, "acting_for": request.organisation.slug},
    )


def item_read(request: HttpRequest, item: SharedItem, *, via: str) -> None:
    """Log one read of an item (a page view, an API read, a download, an export) in the log
    of the lead that hosts it, not the reader's: the sharer's side answers for who read what."""
    audit_read(
        request,
        organisation=item.organisation,
        target=item,
        detail={"via": via, "tlp": item.tlp, "acting_for": request.organisation.slug},
        export=via.startswith("export"),
    )


def require_partnerships_permission(request: HttpRequest, via: str) -> None:
    """403 (logged) unless the user holds ``JOIN_PARTNERSHIPS`` in the URL's organisation."""
    if request.organisation is None:
        raise PermissionDenied(_("This page belongs to an organisation."))
    if not has_permission(request, Permission.JOIN_PARTNERSHIPS):
        refuse(
            request,
            organisation=request.organisation,
            object_type="partnerships.partnership",
            object_id="",
            via=via,
            status=403,
            reason="role",
        )
        raise PermissionDenied(
            _(
                "Partnerships are for admins and security advisers, and for partners under "
                "their own organisation."
            )
        )


def partnership_or_404(request: HttpRequest, pk: int, via: str) -> Partnership:
    try:
        return partnership_for(organisation=request.organisation, pk=pk)
    except Http404:
        refuse(
            request,
            organisation=request.organisation,
            object_type="partnerships.partnership",
            object_id=str(pk),
            via=via,
            status=404,
            reason="not a partner",
        )
        raise


def item_or_404(request: HttpRequest, partnership: Partnership, pk: int, via: str) -> SharedItem:
    """The item if its label lets this user read it; else a logged 404."""
    with partnership_scope(partnership):
        item = (
            SharedItem.objects.filter(partnership=partnership, pk=pk)
            .select_related("partnership", "owner_organisation", "owner")
            .first()
        )
    if item is None or not tlp.can_read(request.user, item):
        refuse(
            request,
            organisation=partnership.organisation,
            object_type="partnerships.shareditem",
            object_id=str(pk),
            via=via,
            status=404,
            reason="no such item" if item is None else f"label {item.tlp}",
        )
        raise Http404(_("No item you may read has this number."))
    return item


def is_lead(request: HttpRequest, partnership: Partnership) -> bool:
    """Advisers and admins of the lead organisation manage the partnership."""
    return request.organisation.pk == partnership.organisation_id and has_permission(
        request, Permission.LEAD_PARTNERSHIP
    )


def require_lead(request: HttpRequest, partnership: Partnership, via: str) -> None:
    if not is_lead(request, partnership):
        refuse(
            request,
            organisation=partnership.organisation,
            object_type="partnerships.partnership",
            object_id=str(partnership.pk),
            via=via,
            status=403,
            reason="not the lead",
        )
        raise PermissionDenied(_("Only the lead organisation's advisers and admins can do this."))


def require_member(request: HttpRequest, partnership: Partnership, via: str) -> None:
    """Plans, contacts and exercises are for the partners; the wider community (the GREEN
    audience) sees the partnership's shared items only. Logged 403 otherwise."""
    if not is_active_member(partnership=partnership, organisation=request.organisation):
        refuse(
            request,
            organisation=partnership.organisation,
            object_type="partnerships.partnership",
            object_id=str(partnership.pk),
            via=via,
            status=403,
            reason="community, not a partner",
        )
        raise PermissionDenied(_("Only the partners themselves can do or see this."))


def record_or_404(
    request: HttpRequest, partnership: Partnership, model: type[ModelT], pk: int
) -> ModelT:
    """A row of this partnership by id; a guessed or foreign id is a logged 404."""
    found = model.objects.filter(partnership=partnership, pk=pk).first()
    if found is None:
        refuse(
            request,
            organisation=partnership.organisation,
            object_type=model._meta.label_lower,
            object_id=str(pk),
            via="record",
            status=404,
            reason="no such record in this partnership",
        )
        raise Http404(_("Nothing of this partnership has this number."))
    return found


def partnership_view(via: str) -> Callable:
    """Guard a view taking ``pk`` (the partnership): role, membership, and its scope."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, org_slug: str, pk: int, **kwargs: Any) -> HttpResponse:
            require_partnerships_permission(request, via)
            partnership = partnership_or_404(request, pk, via)
            with partnership_scope(partnership):
                return view(request, partnership, **kwargs)

        return wrapped

    return decorator
