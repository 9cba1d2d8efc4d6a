"""Finding 12.2: the audit log is no side channel for TLP-labelled items — the page, the CSV
and the API name an item only to readers its label allows, old rows with titles included."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from secu4all.audit.models import AuditEvent
from secu4all.audit.services import audit_record
from secu4all.partnerships.services.alerts import alert_acknowledge, alert_send

pytestmark = pytest.mark.django_db

SECRETS = ("Red threat note",)


def audit_views(client: Client, org: str) -> dict[str, str]:
    return {
        "page": client.get(f"/o/{org}/audit/").content.decode(),
        "csv": client.get(f"/o/{org}/audit/export.csv").content.decode(),
        "api": json.dumps(api_events(client, org)),
    }


def api_events(client: Client, org: str) -> list[dict]:
    events, url = [], f"/api/v1/organisations/{org}/audit-events/"
    while url:
        body = client.get(url).json()
        events += body["results"]
        url = body["next"]
    return events


def old_style_row(world) -> AuditEvent:
    """A row as written before the fix: the title in object_repr, recipients by name."""
    red = world.items["red"]
    return audit_record(
        actor=world.users["lead-adviser"],
        organisation=world.orgs["havenstad"],
        action="share",
        object_type="partnerships.shareditem",
        object_id=str(red.pk),
        object_repr="[TLP:RED] Red threat note",
        detail={"tlp": "TLP:RED", "recipients": ["police-adviser"], "acting_for": "havenstad"},
    )


def test_lead_admin_never_reads_a_red_title_or_its_recipients(world) -> None:
    """Finding 12.2: the lead's admin, not a named recipient, reads "a TLP:RED item"."""
    old = old_style_row(world)
    client = Client()
    client.force_login(world.users["lead-admin"])
    for channel, text in audit_views(client, "havenstad").items():
        for secret in SECRETS:
            assert secret not in text, channel
        assert "a TLP:RED item" in text, channel
    red = str(world.items["red"].pk)
    red_events = [
        e
        for e in api_events(client, "havenstad")
        if e["object_type"] == "partnerships.shareditem" and e["object_id"] == red
    ]
    assert {e["id"] for e in red_events} >= {old.pk}
    for event in red_events:
        assert event["object_repr"] == "a TLP:RED item"
        assert "recipients" not in event["detail"]
    # What the item is and who acted stays on record.
    assert any(e["detail"].get("tlp") == "TLP:RED" for e in red_events)


def test_an_admin_who_may_read_the_item_sees_its_title(world, make_member) -> None:
    """Finding 12.2: the rule is the TLP policy, not a blanket redaction."""
    make_member(world.orgs["havenstad"], "org-admin", "lead-adviser")  # the sharer of RED
    old_style_row(world)
    client = Client()
    client.force_login(world.users["lead-adviser"])
    for channel, text in audit_views(client, "havenstad").items():
        assert "Red threat note" in text, channel
    red = str(world.items["red"].pk)
    shared = [
        e
        for e in api_events(client, "havenstad")
        if e["object_id"] == red and e["action"] == "share"
    ]
    assert all(e["object_repr"] == "[TLP:RED] Red threat note" for e in shared)
    assert any(e["detail"].get("recipients") for e in shared)


def test_new_events_store_references_not_titles(world) -> None:
    """Finding 12.2: going forward nothing sensitive is written: type and id, recipients by id."""
    with scopes_disabled():
        events = list(AuditEvent.objects.filter(object_type="partnerships.shareditem"))
    assert events
    for event in events:
        assert "threat" not in event.object_repr.lower()
        assert "Red" not in json.dumps(event.detail)
    red = str(world.items["red"].pk)
    shared = [e for e in events if e.object_id == red and e.action == "share"]
    assert shared[0].detail["recipients"] == [world.users["police-adviser"].pk]


def test_alert_acknowledgements_name_the_alert_only_to_its_readers(world) -> None:
    """Finding 12.2: an alert's audit rows (acknowledgements) follow its item's label."""

    with scopes_disabled():
        alert = alert_send(
            actor=world.users["lead-adviser"],
            acting_for=world.orgs["havenstad"],
            partnership=world.partnership,
            title="Final day threat",
            body="",
            tlp_label="TLP:RED",
            recipient_users=[world.users["police-adviser"]],
            email=False,
        )
        alert_acknowledge(
            actor=world.users["police-adviser"], alert=alert, acting_for=world.orgs["police"]
        )
    client = Client()
    client.force_login(world.users["lead-admin"])
    for channel, text in audit_views(client, "havenstad").items():
        assert "Final day threat" not in text, channel


def test_a_search_that_found_a_red_item_hides_its_query(world, make_member) -> None:
    """Finding 12.2: the query matched the RED item's words, so it is shown only to readers
    of everything it found."""
    searcher = Client()
    searcher.force_login(world.users["police-adviser"])  # a named RED recipient
    found = searcher.get("/o/police/partnerships/search/", {"q": "threat note"})
    assert "Red threat note" in found.content.decode()
    searcher.get("/o/police/partnerships/search/", {"q": "public advice"})  # CLEAR only
    admin = Client()
    admin.force_login(make_member(world.orgs["police"], "org-admin", "police-admin"))
    for channel, text in audit_views(admin, "police").items():
        assert "threat note" not in text, channel
        assert "a search in shared items" in text, channel
        assert "search: public advice" in text, channel
    make_member(world.orgs["police"], "org-admin", "police-adviser")
    for channel, text in audit_views(searcher, "police").items():
        assert "search: threat note" in text, channel
