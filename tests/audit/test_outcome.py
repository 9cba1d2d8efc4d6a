"""Refusals are audit events with the outcome *refused*: queryable on the page, in the API,
in the export, and for the refusals written before the column existed."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from rest_framework.authtoken.models import Token

from secu4all.audit.models import AuditAction, AuditEvent, AuditOutcome
from secu4all.audit.services import audit_record, audit_refusal
from secu4all.organisations.models import Role


@pytest.fixture
def log(havenstad, make_member):
    admin = make_member(havenstad, Role.ORG_ADMIN)
    partner = make_member(havenstad, Role.PARTNER)
    audit_record(actor=admin, organisation=havenstad, action=AuditAction.VIEW, target=havenstad)
    audit_refusal(
        actor=partner,
        organisation=havenstad,
        action=AuditAction.VIEW,
        object_type="partnerships.shareditem",
        object_id="17",
        reason="tlp",
        detail={"status": 404},
    )
    return admin


@pytest.mark.django_db
def test_a_refusal_is_the_attempted_action_with_outcome_refused(havenstad, log) -> None:
    refused = AuditEvent.objects.with_scope(organisation=havenstad).get(outcome="refused")
    assert (refused.action, refused.object_id) == (AuditAction.VIEW, "17")
    assert refused.detail == {"status": 404, "reason": "tlp"}
    allowed = AuditEvent.objects.with_scope(organisation=havenstad).exclude(pk=refused.pk)
    assert {event.outcome for event in allowed} == {AuditOutcome.ALLOWED}


@pytest.mark.django_db
def test_refusals_can_be_listed_on_the_page_in_the_api_and_the_export(
    client, havenstad, log
) -> None:
    client.force_login(log)
    page = client.get(
        reverse("organisations:audit_log", kwargs={"org_slug": havenstad.slug}),
        {"outcome": "refused"},
    )
    assert [event.object_id for event in page.context["page"]] == ["17"]
    assert "Refused" in page.content.decode()

    token, _created = Token.objects.get_or_create(user=log)
    api = client.get(
        f"/api/v1/organisations/{havenstad.slug}/audit-events/",
        {"outcome": "refused"},
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert [(e["object_id"], e["outcome"]) for e in api.json()["results"]] == [("17", "refused")]

    export = client.get(
        reverse("organisations:audit_log_export", kwargs={"org_slug": havenstad.slug})
    )
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][7] == "outcome"
    assert sorted(row[7] for row in rows[1:3]) == ["allowed", "refused"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_marks_earlier_refusals_and_keeps_the_log_append_only(havenstad) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0003_security_log")])
    old = executor.loader.project_state([("audit", "0003_security_log")]).apps
    OldEvent = old.get_model("audit", "AuditEvent")
    OldEvent.objects.create(
        organisation_id=havenstad.pk,
        action="view",
        object_type="partnerships.shareditem",
        object_id="9",
        detail={"outcome": "refused", "status": 404},
    )
    OldEvent.objects.create(
        organisation_id=havenstad.pk, action="view", object_type="x", object_id="1", detail={}
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    events = AuditEvent.objects.with_scopes_disabled().order_by("object_id")
    assert [(e.object_id, e.outcome) for e in events] == [("1", "allowed"), ("9", "refused")]
    # The database itself still refuses to change an event.
    with (
        pytest.raises((IntegrityError, OperationalError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET object_id = 'changed'")
