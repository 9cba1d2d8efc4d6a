"""Reading the audit log of one organisation: filtered in the database, named for the reader,
reads grouped into sessions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model, QuerySet
from django.utils import timezone

from secu4all.audit.disclosure import disclose
from secu4all.audit.labels import label_events, type_label
from secu4all.audit.models import AuditAction, AuditEvent, AuditOutcome

# Reads by one person less than this apart are one session on the page.
SESSION_GAP = timedelta(minutes=30)


@dataclass(frozen=True)
class AuditFilters:
    """What a reader narrows the log to; an empty field does not narrow it."""

    action: str = ""
    outcome: str = ""
    actor_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    # Calendar days in the site's time zone, both included.
    since: date | None = None
    until: date | None = None

    def as_detail(self) -> dict[str, str]:
        """The filters that narrow, as text: what an export of them records."""
        return {
            name: value.isoformat() if isinstance(value, date) else str(value)
            for name, value in vars(self).items()
            if value not in ("", None)
        }


def _start_of(day: date, *, days_after: int = 0) -> datetime | None:
    """The start of ``day`` (plus ``days_after``) in the platform's time zone; None at the edge
    of the calendar (1 January 1, 31 December 9999), where a bound excludes nothing anyway."""
    try:
        start = timezone.make_aware(datetime.combine(day + timedelta(days=days_after), time.min))
        # The database stores UTC: the conversion is where the first day overflows.
        start.astimezone(UTC)
    except OverflowError:
        return None
    return start


def audit_event_list(
    *,
    organisation: Model,
    action: str = "",
    outcome: str = "",
    filters: AuditFilters | None = None,
) -> QuerySet[AuditEvent]:
    """The organisation's audit log, newest first, narrowed in the database by ``filters``
    (or only by ``action`` and ``outcome``: ``refused`` lists every refused attempt)."""
    filters = filters or AuditFilters(action=action, outcome=outcome)
    events = AuditEvent.objects.with_scope(organisation=organisation).select_related("actor")
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.outcome:
        events = events.filter(outcome=filters.outcome)
    if filters.actor_id is not None:
        events = events.filter(actor_id=filters.actor_id)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    since = _start_of(filters.since) if filters.since else None
    if since:
        events = events.filter(at__gte=since)
    until = _start_of(filters.until, days_after=1) if filters.until else None
    if until:
        events = events.filter(at__lt=until)
    return events


@dataclass(frozen=True)
class AuditPerson:
    """Someone who appears in the log: the account id (for the filter) and the name."""

    actor_id: int
    username: str
    full_name: str

    @property
    def name(self) -> str:
        return self.full_name or self.username


def audit_actor_list(*, organisation: Model) -> list[AuditPerson]:
    """Everyone who has an event in the organisation's log, by name."""
    rows = (
        AuditEvent.objects.with_scope(organisation=organisation)
        .filter(actor__isnull=False)
        .values_list("actor_id", "actor__username", "actor__first_name", "actor__last_name")
        .order_by()
        .distinct()
    )
    people = {
        actor_id: AuditPerson(actor_id, username, f"{first} {last}".strip())
        for actor_id, username, first, last in rows
    }
    return sorted(people.values(), key=lambda person: (person.name.casefold(), person.actor_id))


def audit_object_type_list(*, organisation: Model) -> list[tuple[str, str]]:
    """The kinds of object in the organisation's log as (type, label in the reader's
    language), by label."""
    types = (
        AuditEvent.objects.with_scope(organisation=organisation)
        .values_list("object_type", flat=True)
        .order_by()
        .distinct()
    )
    return sorted(((t, type_label(t)) for t in types), key=lambda pair: pair[1].casefold())


def audit_events_for_reader(
    *, reader: AbstractBaseUser, organisation: Model, events: Iterable[AuditEvent]
) -> list[AuditEvent]:
    """``events`` (a page or chunk) as ``reader`` may see them: ``shown_repr`` and
    ``shown_detail`` disclosed (``audit.disclosure``), and each object named in the reader's
    language (``audit.labels``: ``label``, ``object_gone``, ``refusal``)."""
    disclosed = disclose(reader=reader, organisation=organisation, events=list(events))
    return label_events(organisation=organisation, events=disclosed)


def audit_events_for_export(
    *,
    reader: AbstractBaseUser,
    organisation: Model,
    filters: AuditFilters | None = None,
    chunk: int = 500,
) -> Iterator[AuditEvent]:
    """The (filtered) log for ``reader``, disclosed a chunk at a time (constant memory)."""
    batch: list[AuditEvent] = []
    events = audit_event_list(organisation=organisation, filters=filters)
    for event in events.iterator(chunk_size=chunk):
        batch.append(event)
        if len(batch) == chunk:
            yield from audit_events_for_reader(
                reader=reader, organisation=organisation, events=batch
            )
            batch = []
    yield from audit_events_for_reader(reader=reader, organisation=organisation, events=batch)


@dataclass
class AuditRow:
    """One row of the log as read: a single event, or a session of one person's reads
    (newest first) that the page shows as one expandable row."""

    events: list[AuditEvent] = field(default_factory=list)

    @property
    def event(self) -> AuditEvent:
        return self.events[0]

    @property
    def is_session(self) -> bool:
        return len(self.events) > 1

    @property
    def count(self) -> int:
        return len(self.events)

    @property
    def first_at(self) -> datetime:
        return self.events[-1].at

    @property
    def last_at(self) -> datetime:
        return self.events[0].at

    @property
    def objects(self) -> list[str]:
        """The distinct objects read in the session, in the order first read."""
        seen: dict[str, None] = {}
        for event in reversed(self.events):
            seen.setdefault(event.label if hasattr(event, "label") else event.object_repr)
        return list(seen)


def _is_read(event: AuditEvent) -> bool:
    return (
        event.action == AuditAction.VIEW
        and event.outcome == AuditOutcome.ALLOWED
        and event.actor_id is not None
    )


def audit_rows(events: Iterable[AuditEvent], *, gap: timedelta = SESSION_GAP) -> list[AuditRow]:
    """``events`` (newest first) as rows: a person's allowed reads, each less than ``gap``
    before the next, collapse into one session row, placed where its newest read is. Any
    other event of that person (an export, a change, a refusal) ends the session, so what a
    person did besides reading is always on its own row; other people's events between do
    not."""
    rows: list[AuditRow] = []
    open_sessions: dict[int, AuditRow] = {}
    for event in events:
        session = open_sessions.get(event.actor_id) if event.actor_id is not None else None
        if _is_read(event):
            if session is not None and session.first_at - event.at < gap:
                session.events.append(event)
                continue
            row = AuditRow([event])
            open_sessions[event.actor_id] = row
        else:
            row = AuditRow([event])
            open_sessions.pop(event.actor_id, None)
        rows.append(row)
    return rows
