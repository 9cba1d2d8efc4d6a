"""In a real browser, in two languages: the crime map's hot count is what it colours, the
near-repeat table has no doubled units or nan, and only significant cells are highlighted."""

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


def in_language(page: Page, base: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])


@pytest.mark.parametrize(("language", "hot_word"), [("en", "hot"), ("nl", "hot")])
def test_kde_hot_count_is_what_the_map_colours(
    page: Page, live_server, analyst_town, language, hot_word
) -> None:
    sign_in(page, live_server.url, "ilze")
    in_language(page, live_server.url, language)
    page.goto(f"{live_server.url}/o/havenstad/incidents/?method=kde&cell=100")
    expect(page.locator("#map")).to_have_attribute("data-ready", re.compile(r"^\d+$"))
    drawn = int(page.locator("#map").get_attribute("data-ready"))
    summary = page.locator("#map-heading + p").inner_text()
    counted = int(re.search(r"(\d+)", summary.split(":")[-1]).group(1))
    assert drawn == counted > 0
    expect(page.locator("p.hot-rule")).to_contain_text("5%")
    assert serious_violations(page) == []


@pytest.mark.parametrize("language", ["en", "nl"])
def test_near_repeat_table_is_honest(page: Page, live_server, analyst_town, language) -> None:
    sign_in(page, live_server.url, "ilze")
    in_language(page, live_server.url, language)
    page.goto(f"{live_server.url}/o/havenstad/incidents/near-repeats/")
    table = page.locator("table.knox")
    expect(table).to_be_visible()
    text = table.inner_text()
    assert not re.search(r"\bm\s+m\b", text)
    assert not re.search(r"\b(days|dagen)\s+(days|dagen)\b", text)
    assert not re.search(r"\bnan\b", text, re.IGNORECASE)
    # Every highlighted cell shows its adjusted p below 0.05; reference cells never are.
    for cell in page.locator("td.significant").all():
        p = float(re.search(r"p = ([0-9.,]+)", cell.inner_text()).group(1).replace(",", "."))
        assert p < 0.05
    last_column = page.locator("table.knox tbody tr td:last-child")
    assert all("significant" not in (c.get_attribute("class") or "") for c in last_column.all())
    assert serious_violations(page) == []
