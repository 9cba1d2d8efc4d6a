"""The audit of reads of shared items and of refusals, in the lead organisation's log."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext as _

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.organisations.models import Organisation
from secu4all.partnerships.models import SharedItem


def item_read_record(
    *, actor: AbstractBaseUser, item: SharedItem, via: str, acting_for: Organisation | None
) -> None:
    """Log one read of an item: a page view, an API read, a download, an export."""
    audit_record(
        actor=actor,
        organisation=item.organisation,
        action=AuditAction.EXPORT if via.startswith("export") else AuditAction.VIEW,
        target=item,
        detail={
            "via": via,
            "tlp": item.tlp,
            "acting_for": acting_for.slug if acting_for else "",
        },
    )


def refusal_record(
    *,
    actor: AbstractBaseUser,
    organisation: Organisation,
    object_type: str,
    object_id: str,
    via: str,
    status: int,
    reason: str,
    acting_for: Organisation | None = None,
) -> None:
    """Log a refused read or change. The audit log has no 'refused' action of its own, so a
    refusal is the attempted action with ``outcome: refused`` and the HTTP status."""
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.CHANGE if via.startswith("relabel") else AuditAction.VIEW,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=_("refused: %(reason)s") % {"reason": reason},
        detail={
            "outcome": "refused",
            "status": status,
            "via": via,
            "reason": reason,
            "acting_for": acting_for.slug if acting_for else "",
        },
    )
