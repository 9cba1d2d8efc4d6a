"""Survey results read at a glance, in a real browser and two languages: charts beside the
tables with their captions, plain readings, the previous wave preselected, and the fear gap's
honest classes; axe finds nothing serious."""

from __future__ import annotations

from datetime import date

import pytest
from django_scopes import scope
from playwright.sync_api import Page, expect

from secu4all.perception.services import wave_create
from tests.support.browser import serious_violations, sign_in
from tests.support.incidents import add_incidents
from tests.support.perception import fill, surveyed_town_make

pytestmark = pytest.mark.browser

TEXT = {
    "en": {
        "reading": "95 times in 100",
        "details": "How this was computed",
        "tick": "20%",
        "fear_more": "More fear than its recorded crime suggests",
        "class_more": "Clearly more fear than all neighbourhoods together",
        "unclear": "No clear difference",
    },
    "nl": {
        "reading": "95 van de 100 keer",
        "details": "Hoe dit is berekend",
        "tick": "20\u00a0%",
        "fear_more": "Meer angst dan de geregistreerde criminaliteit doet verwachten",
        "class_more": "Duidelijk meer angst dan alle wijken samen",
        "unclear": "Geen duidelijk verschil",
    },
}


@pytest.fixture
def two_waves(transactional_db, havenstad, make_member) -> dict:
    town = surveyed_town_make(havenstad)
    organisation = town["organisation"]
    with scope(organisation=organisation):
        second = wave_create(
            organisation=organisation,
            actor=None,
            questionnaire=town["questionnaire"],
            name="Wave 2026",
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 28),
        )
        # Crime per 1,000: Noord 5, Zuid 20, West 50 — the reverse of the fear order.
        add_incidents(
            organisation,
            {"BU01": 20, "BU02": 120, "BU03": 100},
            on=date(2026, 6, 1),
            at={"BU01": (4.29, 52.07), "BU02": (4.31, 52.08), "BU03": (4.30, 52.06)},
        )
    fill(town["wave"], per_cell=2)
    fill(second, unsafe={"BU01": 0.75, "BU02": 0.5, "BU03": 0.25})
    make_member(organisation, "analyst", username="ilze")
    return {**town, "second": second}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_results_and_fear_gap_read_at_a_glance(
    page: Page, live_server, two_waves, language
) -> None:
    words = TEXT[language]
    sign_in(page, live_server.url, "ilze")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    first, second = two_waves["wave"], two_waves["second"]
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/o/havenstad/perception/waves/{second.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    # A bar chart with its caption beside each indicator's table, numbers in the language.
    figures = page.locator("figure.chart-figure")
    expect(figures.first).to_be_visible()
    bars = page.locator("svg.chart-bars")
    assert bars.count() == 2  # feels unsafe and the report mark, the items the wave asked
    first_bars = bars.first
    expect(first_bars).to_have_attribute("role", "img")
    assert first_bars.locator("g.interval").count() == 3
    assert words["tick"] in first_bars.locator("text.tick").all_text_contents()
    assert page.locator("svg.chart-trend").count() >= 1
    box = first_bars.bounding_box()
    table = page.locator("section.result table.estimates").first.bounding_box()
    assert box["x"] > table["x"] + table["width"] - 1  # beside, not below, at 1366 px
    # Plain words on the page; the method behind a closed details block.
    expect(page.locator("p.reading").first).to_contain_text(words["reading"])
    details = page.locator("details.method")
    expect(details.locator("summary")).to_have_text(words["details"])
    expect(details.get_by_text("Korn–Graubard", exact=False)).to_be_hidden()
    # The previous wave is preselected for the change between waves.
    expect(page.locator("#compare")).to_have_value(str(first.pk))
    assert serious_violations(page) == []

    page.goto(f"{live_server.url}/o/havenstad/perception/waves/{second.pk}/fear-gap/")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    noord = page.locator("tr", has=page.locator("th", has_text="Noord"))
    expect(noord).to_contain_text(words["fear_more"])
    expect(noord).to_contain_text(words["class_more"])
    zuid = page.locator("tr", has=page.locator("th", has_text="Zuid"))
    expect(zuid).to_contain_text(words["unclear"])
    assert serious_violations(page) == []
    # The map data gives each area an honest class and label.
    data = page.evaluate("JSON.parse(document.getElementById('fear-data').textContent)")
    classes = {f["properties"]["name"]: f["properties"]["fear_class"] for f in data["features"]}
    assert classes == {"Noord": "higher", "Zuid": "unclear", "West": "lower"}
    assert all(f["properties"]["label"] for f in data["features"])
