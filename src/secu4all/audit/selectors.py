"""Reading the audit log of one organisation."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model, QuerySet

from secu4all.audit.disclosure import disclose
from secu4all.audit.models import AuditEvent


def audit_event_list(
    *, organisation: Model, action: str = "", outcome: str = ""
) -> QuerySet[AuditEvent]:
    """The organisation's audit log, newest first; optionally one action or one outcome
    (``refused`` lists every refused attempt)."""
    events = AuditEvent.objects.with_scope(organisation=organisation).select_related("actor")
    if action:
        events = events.filter(action=action)
    if outcome:
        events = events.filter(outcome=outcome)
    return events


def audit_events_for_reader(
    *, reader: AbstractBaseUser, organisation: Model, events: Iterable[AuditEvent]
) -> list[AuditEvent]:
    """``events`` (a page or chunk) with ``shown_repr`` and ``shown_detail`` set to what
    ``reader`` may see of each object (``audit.disclosure``)."""
    return disclose(reader=reader, organisation=organisation, events=list(events))


def audit_events_for_export(
    *, reader: AbstractBaseUser, organisation: Model, chunk: int = 500
) -> Iterator[AuditEvent]:
    """The whole log for ``reader``, disclosed a chunk at a time (constant memory)."""
    batch: list[AuditEvent] = []
    for event in audit_event_list(organisation=organisation).iterator(chunk_size=chunk):
        batch.append(event)
        if len(batch) == chunk:
            yield from audit_events_for_reader(
                reader=reader, organisation=organisation, events=batch
            )
            batch = []
    yield from audit_events_for_reader(reader=reader, organisation=organisation, events=batch)
