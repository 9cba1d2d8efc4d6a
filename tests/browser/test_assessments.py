"""In a real browser: an adviser assesses a site, sees why, and the pages pass axe."""

from __future__ import annotations

import re

import pytest
from django_scopes import scope
from playwright.sync_api import Page, expect

from tests.browser.test_shell import serious_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def adviser_town(transactional_db, make_organisation, make_member):
    from secu4all.assessments.models import Site

    havenstad = make_organisation("havenstad", "Gemeente Havenstad")
    make_member(havenstad, "security-adviser", username="bram")
    with scope(organisation=havenstad):
        Site.objects.create(
            organisation=havenstad, name="Grote Plein", kind="square", capacity=5000
        )
    return havenstad


def test_adviser_assesses_a_square(page: Page, live_server, adviser_town) -> None:
    sign_in(page, live_server.url, "bram")
    page.goto(f"{live_server.url}/o/havenstad/sites/")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Grote Plein").click()
    page.get_by_role("link", name="Assess", exact=True).click()
    assert serious_violations(page) == []
    page.get_by_label("Are pedestrian areas protected by rated hostile vehicle").select_option(
        label="Absent"
    )
    page.get_by_role("button", name="Compute and save as a new version").click()
    expect(page).to_have_url(re.compile(r"/sites/\d+/v1/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("assessment v1")
    expect(page.get_by_role("note")).to_contain_text("Incomplete")
    page.get_by_text("Why").first.click()
    expect(page.get_by_text("Base rating given by the assessor").first).to_be_visible()
    assert serious_violations(page) == []


def test_matrix_page_passes_axe(page: Page, live_server, adviser_town) -> None:
    sign_in(page, live_server.url, "bram")
    page.goto(f"{live_server.url}/o/havenstad/sites/matrix/")
    expect(page.get_by_role("table")).to_contain_text("Catastrophic")
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/o/havenstad/sites/measures/")
    assert serious_violations(page) == []
