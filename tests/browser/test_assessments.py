"""In a real browser: an adviser assesses a site, sees why, and the pages pass axe."""

from __future__ import annotations

import re

import pytest
from django_scopes import scope
from playwright.sync_api import Page, expect

from tests.support.browser import serious_violations, sign_in

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


def test_adviser_draws_the_site_area_on_the_map(page: Page, live_server, adviser_town) -> None:
    from secu4all.assessments.models import Site

    with scope(organisation=adviser_town):
        site = Site.objects.get()
        site.lon, site.lat = 4.2942, 52.0802
        site.save()
    sign_in(page, live_server.url, "bram")
    page.goto(f"{live_server.url}/o/havenstad/sites/{site.pk}/edit/")
    map_box = page.locator("#site-map")
    expect(map_box).to_have_attribute("data-ready", "true")
    box = map_box.bounding_box()
    for dx, dy in ((0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)):
        page.mouse.click(box["x"] + dx * box["width"], box["y"] + dy * box["height"])
    corners = page.get_by_label(re.compile("Area: its corners"))
    expect(corners).to_have_value(re.compile(r"^(52\.\d{6}, 4\.\d{6}\n){3}52\.\d{6}, 4\.\d{6}$"))
    page.get_by_role("button", name="Remove the last corner").click()
    expect(corners).to_have_value(re.compile(r"^(52\.\d{6}, 4\.\d{6}\n){2}52\.\d{6}, 4\.\d{6}$"))
    assert serious_violations(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grote Plein")
    expect(page.locator("dd").filter(has_text="m² · perimeter")).to_be_visible()
    expect(page.locator("#site-map path.leaflet-interactive")).to_have_count(1)
    assert serious_violations(page) == []


def test_scenario_library_and_measure_editor_pass_axe(
    page: Page, live_server, adviser_town
) -> None:
    sign_in(page, live_server.url, "bram")
    page.goto(f"{live_server.url}/o/havenstad/sites/scenarios/")
    page.get_by_label("Include: Drug dealing").select_option("always")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("1 scenario changed.")).to_be_visible()
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/o/havenstad/sites/measures/new/")
    assert serious_violations(page) == []
