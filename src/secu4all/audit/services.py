"""Writing to the audit log (the one call every capability makes for a sensitive action) and
to the platform's security log."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import F
from django.utils import timezone

from secu4all.audit import disclosure
from secu4all.audit.models import AuditAction, AuditEvent, SecurityEvent, SecurityEventKind
from secu4all.organisations.models import Organisation


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    organisation: Organisation,
    action: AuditAction | str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    detail: dict[str, Any] | None = None,
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
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        detail=detail or {},
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
