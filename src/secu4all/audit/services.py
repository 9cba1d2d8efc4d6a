"""Writing to the audit log (the one call every capability makes for a sensitive action) and
to the platform's security log."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import F, Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from secu4all.audit import disclosure
from secu4all.audit.models import (
    AuditAction,
    AuditEvent,
    AuditOutcome,
    SecurityEvent,
    SecurityEventKind,
)


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    organisation: Model,
    action: AuditAction | str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    detail: dict[str, Any] | None = None,
    outcome: AuditOutcome | str = AuditOutcome.ALLOWED,
) -> AuditEvent:
    """Append one audit event; call it inside the transaction of the action it records.

    Either pass the ``target`` model instance, or name it with ``object_type``,
    ``object_id`` and ``object_repr`` when there is no single row (an export, a search).
    A target whose type has a disclosure policy (``audit.disclosure``) is stored by type and
    id only: its title is shown at reading time, to readers the policy allows.
    """
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}; use one of {AuditAction.values}.")
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
        if not object_repr and not disclosure.is_guarded(object_type):
            object_repr = str(target)[:200]
    if not object_type:
        raise ValueError("An audit event needs a target or an object_type.")
    authenticated = actor is not None and actor.is_authenticated
    return AuditEvent.objects.with_scope(organisation=organisation).create(
        organisation=organisation,
        actor=actor if authenticated else None,
        actor_name=actor.get_username() if authenticated else "",
        action=str(action),
        outcome=str(outcome),
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        detail=detail or {},
    )


def audit_read(
    request: HttpRequest,
    *,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    detail: dict[str, Any] | None = None,
    export: bool = False,
) -> AuditEvent:
    """Log that the request's user read (or, with ``export``, exported) something of the
    request's organisation: the one call every audited page, export and API read makes."""
    return audit_record(
        actor=request.user,
        organisation=request.organisation,
        action=AuditAction.EXPORT if export else AuditAction.VIEW,
        target=target,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        detail=detail,
    )


def audit_refusal(
    *,
    actor: AbstractBaseUser | None,
    organisation: Model,
    action: AuditAction | str,
    object_type: str,
    object_id: str,
    reason: str,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Log a refused read or change: the attempted ``action`` with the outcome *refused* and
    the ``reason`` the user was given, so refusals can be queried beside what was allowed."""
    return audit_record(
        actor=actor,
        organisation=organisation,
        action=action,
        outcome=AuditOutcome.REFUSED,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=_("refused: %(reason)s") % {"reason": reason},
        detail={**(detail or {}), "reason": reason},
    )


def security_event_record(
    *,
    kind: SecurityEventKind | str,
    user: AbstractBaseUser | None,
    session: str,
    path: str,
    detail: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Note one security event in the platform's security log: the first time for this
    session and path it adds a row, after that it counts a hit on that row."""
    digest = hashlib.sha256(session.encode()).hexdigest()
    authenticated = user is not None and user.is_authenticated
    event, created = SecurityEvent.objects.get_or_create(
        kind=str(kind),
        session=digest,
        path=path[:500],
        defaults={
            "user": user if authenticated else None,
            "username": user.get_username() if authenticated else "",
            "detail": detail or {},
        },
    )
    if not created:
        SecurityEvent.objects.filter(pk=event.pk).update(hits=F("hits") + 1, last_at=timezone.now())
    return event
