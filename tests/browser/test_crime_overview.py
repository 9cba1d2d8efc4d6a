"""In a real browser: the crime overview draws its map offline and its filters work."""

from __future__ import annotations

import re

import pytest
from django_scopes import scope
from playwright.sync_api import Page, expect

from tests.support.browser import serious_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def analyst_town(transactional_db, make_organisation, make_member):
    from secu4all.incidents.demo import load

    havenstad = make_organisation("havenstad", "Gemeente Havenstad")
    make_member(havenstad, "analyst", username="ilze")
    with scope(organisation=havenstad):
        load(password="unused")
    return havenstad


def test_map_draws_hotspots_without_a_tile_server(page: Page, live_server, analyst_town) -> None:
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, live_server.url, "ilze")
    page.goto(f"{live_server.url}/o/havenstad/incidents/?method=gistar&cell=100")
    expect(page.locator("#map")).to_have_attribute("data-ready", re.compile(r"^[1-9]\d*$"))
    cells = page.locator(".leaflet-overlay-pane path")
    assert cells.count() > 10
    expect(page.locator(".leaflet-image-layer.backdrop")).to_have_count(1)
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requested)
    assert serious_violations(page) == []


def test_category_filter_narrows_the_overview(page: Page, live_server, analyst_town) -> None:
    sign_in(page, live_server.url, "ilze")
    page.goto(f"{live_server.url}/o/havenstad/incidents/")
    summary = page.locator("p.summary")
    everything = int(re.search(r"\d+", summary.inner_text()).group(0))
    page.get_by_label("Category").select_option("bicycle-theft")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"category=bicycle-theft"))
    bikes = int(re.search(r"\d+", summary.inner_text()).group(0))
    assert 0 < bikes < everything
    page.get_by_label("Hotspot method").select_option("kde")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("of the highest density").first).to_be_visible()


def test_near_repeat_page_reads_out_the_pattern(page: Page, live_server, analyst_town) -> None:
    sign_in(page, live_server.url, "ilze")
    page.goto(f"{live_server.url}/o/havenstad/incidents/near-repeats/?category=burglary")
    expect(page.locator(".notice").first).to_contain_text("near-repeat pattern")
    assert serious_violations(page) == []


def test_neighbourhood_import_page(page: Page, live_server, analyst_town) -> None:
    from pathlib import Path

    sign_in(page, live_server.url, "ilze")
    page.goto(f"{live_server.url}/o/havenstad/incidents/areas/")
    expect(page.get_by_role("table").first).to_contain_text("Stationsbuurt")
    data = Path(__file__).parent.parent / "data" / "areas" / "buurten.csv"
    page.get_by_label("Neighbourhoods file").set_input_files(str(data))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_contain_text("1 added, 1 updated")
    assert serious_violations(page) == []
