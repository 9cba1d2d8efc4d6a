"""In a real browser, in English and Dutch: risk levels with their scores, the portfolio, the
matrix plotting what it lists, a what-if that saves nothing, and a refused site outline."""

from __future__ import annotations

import re

import pytest
from django_scopes import scope
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import serious_violations
from tests.support.people import PASSWORD

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "nl"]
# An 80° × 80° "square": some 35 million km².
CONTINENT = "-40, -40\n-40, 40\n40, 40\n40, -40"


@pytest.fixture
def risk_town(transactional_db, make_organisation, make_member):
    from secu4all.assessments.models import Site
    from secu4all.assessments.services import assessment_create, default_data
    from secu4all.engines import risk

    havenstad = make_organisation("havenstad", "Gemeente Havenstad")
    make_member(havenstad, "security-adviser", username="bram")
    with scope(organisation=havenstad):
        plein = Site.objects.create(
            organisation=havenstad, name="Grote Plein", kind="square", capacity=5000
        )
        Site.objects.create(organisation=havenstad, name="Stadion", kind="stadium", capacity=900)
        for answer in (3, 0):  # the second version is worse: the trend goes up
            data = default_data(plein)
            data["answers"] = {q.id: min(answer, len(q.scale) - 1) for q in risk.QUESTIONS}
            assessment_create(site=plein, actor=None, data=data)
    return {"organisation": havenstad, "plein": plein}


def open_page(browser: Browser, base: str, code: str) -> Page:
    """A page whose browser asks for ``code``, signed in as the adviser."""
    page = browser.new_context(locale=code).new_page()
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill("bram")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))
    return page


@pytest.mark.parametrize("code", LANGUAGES)
def test_levels_with_scores_portfolio_and_matrix(browser, live_server, risk_town, code) -> None:
    plein = risk_town["plein"]
    page = open_page(browser, live_server.url, code)
    page.goto(f"{live_server.url}/o/havenstad/sites/{plein.pk}/v2/")
    expect(page.locator("html")).to_have_attribute("lang", code)
    headline = page.locator(".risk-headline")
    expect(headline).to_be_visible()
    expect(headline.locator(".risk-drivers li")).to_have_count(3)
    with scope(organisation=risk_town["organisation"]):
        scenarios = len(plein.assessments.get(version=2).result["scenarios"])
    # Every scenario's level and every driver's carries its score on the 1–1000 scale.
    levels = page.locator(".risk-level")
    expect(levels).to_have_count(scenarios + 3)
    expect(levels.first).to_contain_text(re.compile(r"1[.,]000\)"))
    expect(page.locator("figure.chart .axis-title")).to_have_count(2)
    expect(page.locator("table.recommended-measures tbody tr").first).to_contain_text("€")
    assert serious_violations(page) == []

    page.goto(f"{live_server.url}/o/havenstad/sites/portfolio/")
    rows = page.locator("table.portfolio tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Grote Plein")  # assessed, so first by level
    expect(rows.first.locator("td").nth(1)).to_contain_text("↑")
    assert serious_violations(page) == []
    page.locator("table.portfolio thead a").first.click()  # sort by site name
    expect(page.locator("table.portfolio thead th").first).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(rows.first).to_contain_text("Grote Plein")
    expect(rows.last).to_contain_text("Stadion")

    page.goto(f"{live_server.url}/o/havenstad/sites/matrix/")
    listed = page.locator("table.matrix-point-list tbody tr")
    expect(listed).to_have_count(1)
    expect(page.locator(f'table.matrix li[data-site="{plein.pk}"]')).to_have_count(1)
    assert serious_violations(page) == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_what_if_shows_levels_and_saves_no_version(browser, live_server, risk_town, code) -> None:
    from secu4all.assessments.models import Assessment

    havenstad, plein = risk_town["organisation"], risk_town["plein"]
    page = open_page(browser, live_server.url, code)
    page.goto(f"{live_server.url}/o/havenstad/sites/{plein.pk}/assess/")
    assert serious_violations(page) == []
    page.locator("button[name=preview]").click()
    preview = page.locator("section.what-if")
    expect(preview).to_be_visible()
    expect(preview.locator("[role=status]")).to_contain_text("v2")
    expect(preview.locator(".risk-level").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/assess/$"))
    with scope(organisation=havenstad):
        assert Assessment.objects.filter(site=plein).count() == 2
    assert serious_violations(page) == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_an_implausible_outline_is_refused_with_its_size(
    browser, live_server, risk_town, code
) -> None:
    plein = risk_town["plein"]
    page = open_page(browser, live_server.url, code)
    page.goto(f"{live_server.url}/o/havenstad/sites/{plein.pk}/edit/")
    page.locator("textarea[name=corners]").fill(CONTINENT)
    page.locator("form:has(textarea[name=corners]) button[type=submit]").last.click()
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.get_by_text(re.compile(r"km²")).first).to_be_visible()
    assert serious_violations(page) == []
    with scope(organisation=risk_town["organisation"]):
        plein.refresh_from_db()
    assert plein.area is None
