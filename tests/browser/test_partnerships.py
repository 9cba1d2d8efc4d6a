"""In a real browser: the stadium's partner sees only their partnership and what its labels
allow; the partnership pages pass axe with no serious or critical violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import serious_violations, sign_in
from tests.support.people import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_partnerships(transactional_db):
    from django.contrib.auth import get_user_model

    from secu4all.shell.demo_loader import load_demo

    load_demo()
    for username in ("partner", "adviser"):
        user = get_user_model().objects.get(username=username)
        user.set_password(PASSWORD)
        user.save()


def test_partner_sees_only_their_partnership(page: Page, live_server, demo_partnerships) -> None:
    sign_in(page, live_server.url, "partner")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Partnerships").click()
    page.get_by_role("link", name="Havenstad Stadion BV").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Partnerships")
    table = page.get_by_role("table", name="Your partnerships")
    expect(table.get_by_role("link")).to_have_count(1)
    expect(table.get_by_role("link")).to_have_text("Veilig Stadion Havenstad")
    assert serious_violations(page) == []

    table.get_by_role("link", name="Veilig Stadion Havenstad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Veilig Stadion Havenstad")
    assert serious_violations(page) == []

    page.get_by_role("link", name="Shared items").first.click()
    expect(page.get_by_role("table").get_by_text("TLP:RED", exact=True)).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Stewarding plan for the derby").click()
    expect(page.locator(".tlp").first).to_have_text("TLP:AMBER")
    assert serious_violations(page) == []


def test_adviser_pages_pass_axe(page: Page, live_server, demo_partnerships) -> None:
    sign_in(page, live_server.url, "adviser")
    page.goto(f"{live_server.url}/o/havenstad/partnerships/")
    expect(page.get_by_role("table", name="Your partnerships").get_by_role("link")).to_have_count(3)
    assert serious_violations(page) == []
    page.get_by_role("link", name="Veilig Stadion Havenstad").click()
    page.get_by_role("link", name="Table-top: vehicle ramming at the fan zone").click()
    expect(page.get_by_role("heading", name="Timeline of injects")).to_be_visible()
    assert serious_violations(page) == []
    page.go_back()
    page.get_by_role("link", name="Remove Havenstad Vervoer NV").click()
    expect(page.get_by_text("Extra trams after the match")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Share an excerpt of the risk assessment").click()
    expect(page.get_by_label("Text")).to_contain_text("Highest risks")
    assert serious_violations(page) == []
    page.go_back()
    page.get_by_role("link", name="Send an alert").click()
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/o/havenstad/partnerships/templates/dpia-checklist/")
    assert serious_violations(page) == []
