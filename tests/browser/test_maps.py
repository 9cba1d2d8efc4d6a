"""In a real browser: every kind of map draws the organisation's own base map, served by the
platform in byte ranges, with named neighbourhood boundaries, a metric scale, a legend with
its classes and a title with the period, in the reader's language, and passes axe."""

from __future__ import annotations

import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Browser, Page, expect

from secu4all.assessments.models import Site
from secu4all.perception.models import AuditWalk, SurveyWave
from secu4all.shell.demo_loader import DEMO_PASSWORD, load_demo
from tests.support.browser import serious_violations

pytestmark = pytest.mark.browser

# Texts that prove the page is in the language asked for, and Leaflet's controls with it.
LANGUAGES = {
    "en": {"legend": "Legend", "zoom_in": "Zoom in", "boundary": "Neighbourhood boundary"},
    "nl": {"legend": "Legenda", "zoom_in": "Inzoomen", "boundary": "Wijkgrens"},
    "de": {"legend": "Legende", "zoom_in": "Vergrößern", "boundary": "Grenze des Viertels"},
}
# Something of the period or subject each title must name, by page.
YEAR = re.compile(r"20\d\d")


@pytest.fixture
def demo(transactional_db, settings, tmp_path) -> dict:
    settings.BASE_MAP_ROOT = tmp_path / "basemaps"
    load_demo()
    with scopes_disabled():
        site = Site.objects.filter(organisation__slug="havenstad").order_by("pk").first()
        walk = (
            AuditWalk.objects.filter(organisation__slug="havenstad", pins__isnull=False)
            .order_by("pk")
            .first()
        )
        wave = SurveyWave.objects.filter(organisation__slug="havenstad").order_by("pk").last()
    return {"site": site.pk, "walk": walk.pk, "walk_area": walk.area_code, "wave": wave.pk}


def sign_in(page: Page, base: str, username: str = "admin") -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def map_pages(demo: dict) -> list[tuple[str, str, str]]:
    """(path, map element id, what the title must contain) for every kind of map."""
    return [
        ("/o/havenstad/incidents/?method=gistar&cell=100", "map", YEAR.pattern),
        ("/o/havenstad/incidents/?method=kde&cell=100", "map", YEAR.pattern),
        (f"/o/havenstad/sites/{demo['site']}/", "site-map", ".+"),
        (f"/o/havenstad/sites/{demo['site']}/edit/", "site-map", ".+"),
        (f"/o/havenstad/perception/walks/{demo['walk']}/", "pin-map", YEAR.pattern),
        (f"/o/havenstad/perception/walks/area/{demo['walk_area']}/", "pin-map", YEAR.pattern),
        (f"/o/havenstad/perception/waves/{demo['wave']}/fear-gap/", "fear-map", YEAR.pattern),
        ("/o/havenstad/neighbourhoods/", "areas-map", "Havenstad"),
    ]


@pytest.mark.parametrize("code", ["en", "nl", "de"])
def test_every_map_reads_on_its_own_base_map(browser: Browser, live_server, demo, code) -> None:
    words = LANGUAGES[code]
    context = browser.new_context(locale=code, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    outside, archive = [], []

    def watch(request) -> None:
        if not request.url.startswith((live_server.url, "data:", "blob:")):
            outside.append(request.url)
        if "basemap.pmtiles" in request.url:
            archive.append(request.headers.get("range", ""))

    page.on("request", watch)
    sign_in(page, live_server.url)
    for number, (path, map_id, title) in enumerate(map_pages(demo)):
        archive.clear()
        with page.expect_response(
            lambda r: "/basemap.pmtiles" in r.url and r.status == 206
        ) as first_range:
            page.goto(f"{live_server.url}{path}")
        served = first_range.value.headers["content-range"]
        # The archive's header comes first; on later pages the browser may answer it from its
        # own cache (the range is cacheable), so the first range it asks us for is a later one.
        assert re.fullmatch(r"bytes \d+-\d+/\d+", served), served
        if number == 0:
            assert served.startswith("bytes 0-"), served
        element = page.locator(f"#{map_id}")
        expect(element, path).to_have_attribute("data-ready", re.compile(r".+"))
        # The base map is the organisation's own archive, read in byte ranges from us.
        expect(element, path).to_have_attribute("data-base", "pmtiles")
        expect(element.locator("canvas").first, path).to_be_attached()
        assert archive, path
        assert all(r.startswith("bytes=") for r in archive), (path, archive)
        # Nine neighbourhoods of the demo town, each with its name on the map.
        expect(element, path).to_have_attribute("data-areas", "9")
        expect(element.locator(".area-label", has_text="Stationsbuurt"), path).to_be_visible()
        # A metric scale bar, and Leaflet's controls in the reader's language.
        expect(element.locator(".leaflet-control-scale-line"), path).to_have_text(
            re.compile(r"^\d+ k?m$")
        )
        expect(element.locator(".leaflet-control-zoom-in"), path).to_have_attribute(
            "title", words["zoom_in"]
        )
        # The legend and the title are HTML text in the reader's language.
        figure = page.locator("figure.map-figure").filter(has=element)
        legend = figure.locator(".map-legend")
        expect(legend, path).to_contain_text(words["legend"])
        expect(legend.locator("li"), path).not_to_have_count(0)
        expect(legend, path).to_contain_text(words["boundary"])
        expect(figure.locator(".map-title"), path).to_have_text(re.compile(title))
        assert serious_violations(page) == [], path
    assert outside == []
    context.close()


def test_legend_lists_the_classes_of_each_map(page: Page, live_server, demo) -> None:
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/o/havenstad/incidents/?method=gistar&cell=100")
    legend = page.locator("#map-legend")
    expect(legend).to_contain_text("Getis-Ord Gi* z-score classes on cells of 100 m")
    expect(legend.locator("li")).to_have_count(8)  # six classes, incidents, boundaries
    expect(legend).to_contain_text("Hot spot, 99% confidence")
    expect(page.locator(".map-title")).to_contain_text("all categories")
    page.goto(f"{live_server.url}/o/havenstad/incidents/?method=kde&cell=100")
    expect(page.locator("#map-legend")).to_contain_text("incidents per km²")
    page.goto(f"{live_server.url}/o/havenstad/perception/walks/{demo['walk']}/")
    expect(page.locator("#pin-map-legend")).to_contain_text("Feeling of safety 0 of 3 (poor)")
    expect(page.locator("#pin-map-legend")).to_contain_text("after dark")
    page.goto(f"{live_server.url}/o/havenstad/perception/waves/{demo['wave']}/fear-gap/")
    expect(page.locator("#fear-map-legend")).to_contain_text("No clear difference")
    expect(page.locator("#fear-map-legend")).to_contain_text("per 1,000 inhabitants")


def test_site_drawing_starts_at_the_region_not_the_world(page: Page, live_server, demo) -> None:
    with scopes_disabled():
        known = Site.objects.get(pk=demo["site"])
        site = Site.objects.create(
            organisation=known.organisation, name="Nieuw plein", kind=known.kind
        )
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{error} {error.stack}"))
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/o/havenstad/sites/{site.pk}/edit/")
    page.wait_for_load_state("load")
    assert errors == []
    expect(page.locator("#site-map")).to_have_attribute("data-ready", "true")
    # The drawn view covers the demo town (around 4.30° E, 52.08° N), not the world.
    centre = page.locator("#site-map .area-label", has_text="Centrum")
    expect(centre).to_be_visible()
    scale = page.locator("#site-map .leaflet-control-scale-line").inner_text()
    assert re.match(r"^\d+ k?m$", scale)
    assert not scale.endswith("000 km")
