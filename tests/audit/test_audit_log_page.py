"""The audit log page and its exports, as a data-protection officer uses them: names and
organisations, filters, sessions, errors that name the filter, exports of what is filtered."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope
from freezegun import freeze_time

from secu4all.audit.models import AuditEvent
from secu4all.audit.services import audit_record, audit_refusal
from secu4all.organisations.models import Role

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def officer(client, havenstad, riverton, make_member):
    anouk = make_member(havenstad, Role.ORG_ADMIN, username="anouk")
    anouk.first_name, anouk.last_name = "Anouk", "de Vries"
    anouk.save()
    sam = make_member(havenstad, Role.ANALYST, username="sam")
    sam.first_name, sam.last_name = "Sam", "Jansen"
    sam.save()
    make_member(riverton, Role.PARTNER, username="sam")
    for minutes in (0, 10, 20):
        with freeze_time(T0 + timedelta(minutes=minutes)):
            audit_record(
                actor=sam,
                organisation=havenstad,
                action="view",
                object_type="incidents.overview",
                object_repr="Crime overview",
            )
    with freeze_time(T0 + timedelta(days=1)):
        audit_refusal(
            actor=sam,
            organisation=havenstad,
            action="view",
            object_type="partnerships.partnership",
            object_id="999",
            reason="role",
        )
    client.force_login(anouk)
    return {"anouk": anouk, "sam": sam, "client": client}


def _url(name: str, organisation) -> str:
    return reverse(f"organisations:{name}", kwargs={"org_slug": organisation.slug})


def test_names_organisations_sessions_and_labels_on_the_page(havenstad, officer) -> None:
    with translation.override("en"):
        page = officer["client"].get(_url("audit_log", havenstad), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Sam Jansen" in html
    assert "Gemeente Havenstad, Riverton Town Council" in html
    assert "Session of 3 page views" in html
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    assert "incidents.overview" not in table
    # The visible text only: a timestamp's microseconds in a datetime attribute may hold "999".
    visible = re.sub(r"<[^>]+>", " ", table)
    assert "999" not in visible
    assert "no role that opens it" in html
    assert "(does not exist)" in html


def test_filters_narrow_the_page(havenstad, officer) -> None:
    client = officer["client"]
    page = client.get(
        _url("audit_log", havenstad),
        {"person": officer["sam"].pk, "since": "2026-12-01", "until": "2026-12-01"},
    )
    assert [row.event.object_id for row in page.context["rows"]] == ["999"]
    page = client.get(_url("audit_log", havenstad), {"object_type": "incidents.overview"})
    assert [row.count for row in page.context["rows"]] == [3]


def test_a_wrong_filter_is_named_and_the_others_still_apply(havenstad, officer) -> None:
    page = officer["client"].get(
        _url("audit_log", havenstad),
        {"since": "2026-11-01", "until": "2026-10-01", "outcome": "refused", "person": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Some filters could not be used" in html
    assert "The end date is before the start date." in html
    assert "Person:" in html
    assert [row.event.outcome for row in page.context["rows"]] == ["refused"]


def test_exports_hold_the_filtered_rows_and_are_logged(havenstad, officer) -> None:
    client = officer["client"]
    query = {"outcome": "allowed", "object_type": "incidents.overview"}
    exported = client.get(_url("audit_log_export_json", havenstad), query)
    assert exported["Content-Type"].startswith("application/json")
    records = json.loads(exported.content)
    assert len(records) == 3
    assert {r["name"] for r in records} == {"Sam Jansen"}
    assert records[0]["organisations"] == ["Gemeente Havenstad", "Riverton Town Council"]
    assert records[0]["object_exists"] is True

    exported = client.get(_url("audit_log_export", havenstad), {"outcome": "refused"})
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0][:8] == [
        "time",
        "who",
        "action",
        "object_type",
        "object_id",
        "object",
        "detail",
        "outcome",
    ]
    assert [row[4] for row in rows[1:]] == ["999"]
    assert rows[1][rows[0].index("object_exists")] == "False"

    with scope(organisation=havenstad):
        exports = AuditEvent.objects.filter(action="export", actor=officer["anouk"])
        details = sorted((e.detail["format"], e.detail["filters"]) for e in exports)
    assert details == [
        ("csv", {"outcome": "refused"}),
        ("json", {"object_type": "incidents.overview", "outcome": "allowed"}),
    ]


def test_the_page_and_exports_are_for_admins_only(client, havenstad, officer) -> None:
    client.force_login(officer["sam"])
    for name in ("audit_log", "audit_log_export", "audit_log_export_json"):
        assert client.get(_url(name, havenstad)).status_code == 403


def test_the_api_takes_the_same_filters_and_names_bad_ones(havenstad, officer) -> None:
    client = officer["client"]
    url = f"/api/v1/organisations/{havenstad.slug}/audit-events/"
    answer = client.get(url, {"person": officer["sam"].pk, "outcome": "refused"})
    (event,) = answer.json()["results"]
    assert (event["object_id"], event["object_exists"]) == ("999", False)
    bad = client.get(url, {"since": "yesterday"})
    assert bad.status_code == 400
    assert "since" in bad.json()
