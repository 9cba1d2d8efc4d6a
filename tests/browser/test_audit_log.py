"""In a real browser, in two languages: a data-protection officer reads the audit log by name,
opens a session of page views, filters by person, and the page passes axe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time
from playwright.sync_api import Browser, Page, expect

from secu4all.audit.services import audit_record, audit_refusal
from tests.support.browser import serious_violations
from tests.support.people import PASSWORD

pytestmark = pytest.mark.browser

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
# What the page says, per language, for the parts the test reads.
WORDS = {
    "en": {"heading": "Audit log", "session": "Session of 3 page views", "filter": "Filter"},
    "nl": {"heading": "Auditlog", "session": "Sessie van 3 paginabezoeken", "filter": "Filteren"},
}


@pytest.fixture
def audit_trail(demo_town):
    havenstad, luca = demo_town["organisation"], demo_town["learner"]
    luca.first_name, luca.last_name = "Luca", "Bianchi"
    luca.save()
    for minutes in (0, 5, 12):
        with freeze_time(T0 + timedelta(minutes=minutes)):
            audit_record(
                actor=luca,
                organisation=havenstad,
                action="view",
                object_type="incidents.overview",
                object_repr="Crime overview",
            )
    with freeze_time(T0 + timedelta(hours=2)):
        audit_refusal(
            actor=luca,
            organisation=havenstad,
            action="view",
            object_type="partnerships.partnership",
            object_id="42",
            reason="role",
        )
    return demo_town


def _signed_in(browser: Browser, base: str, code: str) -> Page:
    page = browser.new_context(locale=code).new_page()
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill("anouk")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


@pytest.mark.parametrize("code", ["en", "nl"])
def test_the_officer_reads_sessions_by_name_and_filters(
    browser: Browser, live_server, audit_trail, code: str
) -> None:
    words = WORDS[code]
    page = _signed_in(browser, live_server.url, code)
    page.goto(f"{live_server.url}/o/havenstad/audit/")
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["heading"])
    table = page.locator("table.audit-log")
    expect(table).to_contain_text("Luca Bianchi")
    expect(table).to_contain_text("Gemeente Havenstad")
    expect(table).not_to_contain_text("incidents.overview")
    session = table.locator("details").filter(has_text=words["session"])
    expect(session.locator("li").first).to_be_hidden()  # closed: its reads are not shown
    session.locator("summary").click()
    expect(session.locator("li")).to_have_count(3)
    expect(session.locator("li").last).to_be_visible()
    assert serious_violations(page) == []

    page.locator("#id_person").select_option(label="Luca Bianchi")
    page.locator("#id_outcome").select_option("refused")
    page.get_by_role("button", name=words["filter"], exact=True).click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(page.locator(".audit-exports a").first).to_have_attribute(
        "href", f"/o/havenstad/audit/export.csv?person={audit_trail['learner'].pk}&outcome=refused"
    )
    exported = page.request.get(
        f"{live_server.url}/o/havenstad/audit/export.json"
        f"?person={audit_trail['learner'].pk}&outcome=refused"
    )
    assert [row["object_id"] for row in exported.json()] == ["42"]


def test_a_wrong_date_range_is_named_at_the_top(browser: Browser, live_server, audit_trail):
    page = _signed_in(browser, live_server.url, "en")
    page.goto(f"{live_server.url}/o/havenstad/audit/?since=2026-12-05&until=2026-12-01")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Until: The end date is before the start date.")
    summary.get_by_role("link").click()
    expect(page.locator("#id_until")).to_be_focused()
    assert serious_violations(page) == []
