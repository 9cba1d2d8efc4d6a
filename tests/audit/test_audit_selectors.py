"""Reading the audit log for oversight: filters in the database, objects named in the reader's
language (and said to be gone when deleted), reads grouped into sessions, one tenant only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_scopes import scope
from freezegun import freeze_time

from secu4all.assessments.services import site_create
from secu4all.audit.labels import refusal_reason, type_label
from secu4all.audit.models import AuditAction, AuditEvent, AuditOutcome
from secu4all.audit.selectors import (
    AuditFilters,
    audit_actor_list,
    audit_event_list,
    audit_events_for_reader,
    audit_object_type_list,
    audit_rows,
)
from secu4all.audit.services import audit_record, audit_refusal
from secu4all.organisations.models import Role
from secu4all.organisations.selectors import organisation_names_by_user

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _at(when: datetime, **kwargs) -> AuditEvent:
    with freeze_time(when):
        return audit_record(**kwargs)


@pytest.fixture
def people(havenstad, make_member):
    anouk = make_member(havenstad, Role.ORG_ADMIN, username="anouk")
    anouk.first_name, anouk.last_name = "Anouk", "de Vries"
    anouk.save()
    sam = make_member(havenstad, Role.ANALYST, username="sam")
    return {"anouk": anouk, "sam": sam}


def test_filters_by_person_object_dates_and_outcome(havenstad, people) -> None:
    anouk, sam = people["anouk"], people["sam"]
    first = _at(T0, actor=anouk, organisation=havenstad, action="view", target=havenstad)
    _at(T0 + timedelta(days=1), actor=sam, organisation=havenstad, action="view", target=havenstad)
    third = _at(
        T0 + timedelta(days=2),
        actor=sam,
        organisation=havenstad,
        action="export",
        object_type="incidents.table",
        object_repr="areas",
    )
    refusal = audit_refusal(
        actor=sam,
        organisation=havenstad,
        action="view",
        object_type="partnerships.partnership",
        object_id="4",
        reason="role",
    )

    def ids(**kwargs) -> list[int]:
        filters = AuditFilters(**kwargs)
        return list(
            audit_event_list(organisation=havenstad, filters=filters)
            .filter(pk__in=[first.pk, third.pk, refusal.pk, first.pk + 1])
            .values_list("pk", flat=True)
        )

    assert ids(actor_id=anouk.pk) == [first.pk]
    assert ids(object_type="incidents.table") == [third.pk]
    assert ids(object_type="partnerships.partnership", object_id="4") == [refusal.pk]
    assert ids(outcome=AuditOutcome.REFUSED) == [refusal.pk]
    assert ids(action=AuditAction.EXPORT) == [third.pk]
    # Calendar days, both ends included.
    assert ids(since=date(2026, 11, 30), until=date(2026, 11, 30)) == [first.pk]
    assert ids(since=date(2026, 12, 2), until=date(2026, 12, 2)) == [third.pk]
    assert set(ids(until=date(2026, 12, 1))) == {first.pk, first.pk + 1}


def test_filters_run_in_the_database(havenstad, people) -> None:
    filters = AuditFilters(actor_id=people["sam"].pk, since=date(2026, 1, 1), object_type="x")
    sql = str(audit_event_list(organisation=havenstad, filters=filters).query)
    assert '"actor_id" =' in sql
    assert '"object_type" =' in sql
    assert '"at" >=' in sql


def test_the_log_has_indexes_for_its_filters() -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "audit_auditevent")
    indexed = {tuple(c["columns"]) for c in constraints.values() if c["index"]}
    assert ("organisation_id", "at", "id") in indexed
    assert ("organisation_id", "actor_id", "at") in indexed
    assert ("organisation_id", "object_type", "object_id") in indexed


def test_objects_are_named_in_the_readers_language(havenstad, people) -> None:
    anouk = people["anouk"]
    with scope(organisation=havenstad):
        site = site_create(organisation=havenstad, actor=anouk, name="Market Square", kind="square")
    audit_record(actor=anouk, organisation=havenstad, action="view", target=site)
    audit_record(
        actor=anouk,
        organisation=havenstad,
        action="view",
        object_type="incidents.overview",
        object_repr="Crime overview",
    )
    events = audit_event_list(organisation=havenstad).filter(action="view")
    with translation.override("en"):
        shown = audit_events_for_reader(reader=anouk, organisation=havenstad, events=events)
        assert [e.label for e in shown] == ["Crime overview", "Site: Market Square"]
        assert not any(e.object_gone for e in shown)
    with translation.override("nl"):
        shown = audit_events_for_reader(reader=anouk, organisation=havenstad, events=events)
        assert [e.label for e in shown] == ["Criminaliteitsbeeld", "Locatie: Market Square"]


def test_the_object_is_named_as_it_is_now_and_a_deleted_one_says_so(havenstad, people) -> None:
    anouk = people["anouk"]
    with scope(organisation=havenstad):
        site = site_create(organisation=havenstad, actor=anouk, name="Old name", kind="square")
        audit_record(actor=anouk, organisation=havenstad, action="view", target=site)
        site.name = "Market Square"
        site.save()
        gone = site_create(organisation=havenstad, actor=anouk, name="Harbour Fair", kind="event")
        audit_record(actor=anouk, organisation=havenstad, action="view", target=gone)
        gone.delete()
    events = audit_event_list(organisation=havenstad).filter(action="view")
    with translation.override("en"):
        fair, square = audit_events_for_reader(reader=anouk, organisation=havenstad, events=events)
    assert (square.label, square.object_gone) == ("Site: Market Square", False)
    # The title it had when it was read, and that it no longer exists.
    assert (fair.label, fair.object_gone) == ("Site: Harbour Fair", True)


def test_a_label_never_names_another_organisations_object(havenstad, riverton, people) -> None:
    with scope(organisation=riverton):
        theirs = site_create(organisation=riverton, actor=None, name="Riverside", kind="square")
    # A forged event in Havenstad's log pointing at Riverton's site by id.
    audit_record(
        actor=people["anouk"],
        organisation=havenstad,
        action="view",
        object_type="assessments.site",
        object_id=str(theirs.pk),
    )
    events = audit_event_list(organisation=havenstad).filter(object_type="assessments.site")
    (event,) = audit_events_for_reader(
        reader=people["anouk"], organisation=havenstad, events=events
    )
    assert "Riverside" not in event.label
    assert event.object_gone


def test_refusal_reasons_and_unknown_types_carry_no_internal_codes(havenstad, people) -> None:
    with translation.override("en"):
        assert refusal_reason("role") == "no role that opens it"
        assert refusal_reason("label red") == "its TLP label (RED) does not allow it"
        assert type_label("nothing.known") == "Record"
        assert type_label("assessments.site") == "Site"
    with translation.override("de"):
        assert refusal_reason("role") != "no role that opens it"


def test_labelling_a_page_costs_one_query_per_kind_of_object(havenstad, people) -> None:
    anouk = people["anouk"]
    with scope(organisation=havenstad):
        for number in range(20):
            site = site_create(
                organisation=havenstad, actor=anouk, name=f"Site {number}", kind="square"
            )
            audit_record(actor=anouk, organisation=havenstad, action="view", target=site)
    events = list(audit_event_list(organisation=havenstad))
    with CaptureQueriesContext(connection) as queries:
        audit_events_for_reader(reader=anouk, organisation=havenstad, events=events)
    # Sites, and memberships (with their person and organisation joined in).
    assert len(queries) == 2


def test_people_and_kinds_for_the_filters(havenstad, riverton, people, make_member) -> None:
    anouk, sam = people["anouk"], people["sam"]
    audit_record(actor=anouk, organisation=havenstad, action="view", target=havenstad)
    audit_record(actor=sam, organisation=havenstad, action="view", object_type="incidents.table")
    stranger = make_member(riverton, Role.ORG_ADMIN, username="zed")
    audit_record(actor=stranger, organisation=riverton, action="view", target=riverton)
    names = [person.name for person in audit_actor_list(organisation=havenstad)]
    assert "Anouk de Vries" in names
    assert "sam" in names
    assert "zed" not in names
    with translation.override("en"):
        kinds = dict(audit_object_type_list(organisation=havenstad))
    assert kinds["incidents.table"] == "Crime table"
    assert kinds["organisations.organisation"] == "Organisation"
    assert "riverton" not in str(kinds).lower()


def test_a_persons_organisations_are_named(havenstad, riverton, people) -> None:
    from secu4all.organisations.services import membership_grant

    membership_grant(actor=None, organisation=riverton, user=people["sam"], role=Role.PARTNER)
    names = organisation_names_by_user(user_ids=[people["sam"].pk, people["anouk"].pk])
    assert names[people["sam"].pk] == ["Gemeente Havenstad", "Riverton Town Council"]
    assert names[people["anouk"].pk] == ["Gemeente Havenstad"]


def test_tenant_isolation_of_every_reader(havenstad, riverton, people) -> None:
    audit_record(
        actor=None, organisation=riverton, action="export", object_type="x", object_repr="SECRET"
    )
    everything = AuditFilters(object_type="x")
    assert not audit_event_list(organisation=havenstad, filters=everything).exists()
    assert "x" not in dict(audit_object_type_list(organisation=havenstad))


class _Event:
    """Just what grouping reads of an event."""

    def __init__(self, minutes: int, actor: int | None, action: str = "view", outcome="allowed"):
        self.at = T0 + timedelta(minutes=minutes)
        self.actor_id, self.action, self.outcome = actor, action, outcome

    def __repr__(self) -> str:
        return f"{self.actor_id}@{self.at:%H:%M}"


def _shape(rows) -> list[tuple[int | None, int]]:
    return [(row.event.actor_id, row.count) for row in rows]


def test_reads_less_than_the_gap_apart_are_one_session() -> None:
    newest_first = [_Event(m, 1) for m in (70, 50, 25, 0)]
    rows = audit_rows(newest_first, gap=timedelta(minutes=30))
    assert _shape(rows) == [(1, 4)]
    assert (rows[0].first_at, rows[0].last_at) == (T0, T0 + timedelta(minutes=70))


def test_a_pause_of_the_gap_or_more_starts_a_new_session() -> None:
    rows = audit_rows([_Event(m, 1) for m in (100, 90, 40, 30)], gap=timedelta(minutes=30))
    assert _shape(rows) == [(1, 2), (1, 2)]


def test_other_peoples_events_between_do_not_split_a_session() -> None:
    events = [_Event(20, 1), _Event(15, 2), _Event(10, 1), _Event(5, 2), _Event(0, 1)]
    assert _shape(audit_rows(events)) == [(1, 3), (2, 2)]


def test_anything_but_an_allowed_read_stands_on_its_own_row() -> None:
    events = [
        _Event(30, 1),
        _Event(25, 1),
        _Event(20, 1, action="export"),
        _Event(15, 1),
        _Event(10, 1, outcome="refused"),
        _Event(5, 1),
        _Event(0, None),
        _Event(0, None),
    ]
    assert _shape(audit_rows(events)) == [
        (1, 2),
        (1, 1),
        (1, 1),
        (1, 1),
        (1, 1),
        (None, 1),
        (None, 1),
    ]


@pytest.mark.parametrize(("since", "until"), [(date(1, 1, 1), None), (None, date(9999, 12, 31))])
def test_dates_at_the_edge_of_the_calendar_bound_nothing(havenstad, since, until) -> None:
    """The form fuzzer's finding: 1 January 1 and 31 December 9999 made the filter overflow
    (a 500); a bound there excludes nothing, so it is left out."""
    with scope(organisation=havenstad):
        before = audit_event_list(organisation=havenstad, filters=AuditFilters()).count()
        edge = AuditFilters(since=since, until=until)
        assert audit_event_list(organisation=havenstad, filters=edge).count() == before
