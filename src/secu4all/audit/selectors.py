"""Reading the audit log of one organisation."""

from __future__ import annotations

from django.db.models import QuerySet

from secu4all.audit.models import AuditEvent
from secu4all.organisations.models import Organisation


def audit_event_list(*, organisation: Organisation, action: str = "") -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.with_scope(organisation=organisation).select_related("actor")
    if action:
        events = events.filter(action=action)
    return events
