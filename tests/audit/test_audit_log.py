"""The audit log: append-only, one line to write, visible to organisation admins only."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django_scopes import scope

from secu4all.audit.models import AppendOnlyError, AuditEvent
from secu4all.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_record_names_actor_object_and_organisation(havenstad, make_member) -> None:
    admin = make_member(havenstad, "org-admin")
    event = audit_record(actor=admin, organisation=havenstad, action="view", target=havenstad)
    assert event.actor_name == "havenstad-org-admin"
    assert event.object_type == "organisations.organisation"
    assert event.object_id == str(havenstad.pk)
    assert event.organisation == havenstad


def test_events_cannot_be_changed_or_deleted(havenstad) -> None:
    event = audit_record(actor=None, organisation=havenstad, action="view", target=havenstad)
    event.action = "delete"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with scope(organisation=havenstad):
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.filter(pk=event.pk).update(action="delete")
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.filter(pk=event.pk).delete()
        assert AuditEvent.objects.get(pk=event.pk).action == "view"


def test_the_database_itself_refuses_to_change_an_event(havenstad) -> None:
    from django.db import DatabaseError, connection, transaction

    event = audit_record(actor=None, organisation=havenstad, action="view", target=havenstad)
    update = "UPDATE audit_auditevent SET action = 'delete' WHERE id = %s"
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(update, [event.pk])
    if connection.vendor == "postgresql":
        # Deleting is refused too; SQLite keeps DELETE for emptying tables between tests.
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with scope(organisation=havenstad):
        assert AuditEvent.objects.get(pk=event.pk).action == "view"


def test_unknown_action_is_refused(havenstad) -> None:
    with pytest.raises(ValueError, match="Unknown audit action 'peek'"):
        audit_record(actor=None, organisation=havenstad, action="peek", target=havenstad)


def test_membership_changes_are_logged(client, havenstad, make_member) -> None:
    admin = make_member(havenstad, "org-admin")
    make_member(havenstad, "learner", username="luca")
    client.force_login(admin)
    page = client.get(reverse("organisations:audit_log", args=[havenstad.slug]))
    assert page.status_code == 200
    assert "Learner" in page.content.decode()


def test_audit_log_is_for_admins_only(client, havenstad, make_member) -> None:
    analyst = make_member(havenstad, "analyst")
    client.force_login(analyst)
    assert client.get(reverse("organisations:audit_log", args=[havenstad.slug])).status_code == 403


def test_other_organisations_events_never_show(client, havenstad, riverton, make_member) -> None:
    admin = make_member(havenstad, "org-admin")
    audit_record(
        actor=None, organisation=riverton, action="export", object_type="x", object_repr="SECRET"
    )
    client.force_login(admin)
    page = client.get(reverse("organisations:audit_log", args=[havenstad.slug]))
    assert "SECRET" not in page.content.decode()


def test_export_is_itself_logged_and_safe_for_spreadsheets(client, havenstad, make_member) -> None:
    admin = make_member(havenstad, "org-admin")
    audit_record(
        actor=admin,
        organisation=havenstad,
        action="view",
        object_type="x",
        object_repr='=HYPERLINK("http://evil")',
    )
    client.force_login(admin)
    response = client.get(reverse("organisations:audit_log_export", args=[havenstad.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["time", "who", "action"]
    assert any(row[5] == '\'=HYPERLINK("http://evil")' for row in rows[1:])
    with scope(organisation=havenstad):
        assert AuditEvent.objects.filter(action="export", actor=admin).count() == 1
