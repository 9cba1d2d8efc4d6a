"""In a real browser on a phone-sized screen: answer the survey, without serious axe findings;
and the results pages an analyst reads."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Browser, expect

from secu4all.perception.models import Response
from secu4all.perception.services import audit_pin_add, audit_walk_create
from tests.support.browser import serious_violations, sign_in
from tests.support.incidents import add_incidents
from tests.support.perception import RATINGS, fill, surveyed_town_make

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def browser_town(transactional_db, havenstad) -> dict:
    return surveyed_town_make(havenstad)


def no_sideways_scrolling(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_answering_the_survey_on_a_phone(browser: Browser, live_server, browser_town) -> None:
    wave = browser_town["wave"]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{wave.token}/")
    assert serious_violations(page) == []
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("45 to 64 years").check()
    page.get_by_label("Female").check()
    page.get_by_label("Which neighbourhood do you live in?").select_option(label="Zuid")
    assert serious_violations(page) == []
    assert no_sideways_scrolling(page)
    page.get_by_role("button", name="Start the survey").click()
    expect(page).to_have_url(re.compile(r"/s/r/[^/]+/1/$"))
    question = page.get_by_role(
        "group", name="How safe do you – or would you – feel walking alone in this area after dark?"
    )
    question.get_by_label("Unsafe", exact=True).check()
    assert serious_violations(page) == []
    assert no_sideways_scrolling(page)
    page.get_by_role("button", name="Next").click()
    page.get_by_role("group", name="How often do you feel unsafe, in general?").get_by_label(
        "Sometimes"
    ).check()
    page.get_by_role("button", name="Next").click()
    # The report mark: ten buttons in a grid, labelled by number.
    while not page.get_by_role("group", name=re.compile("What mark from 1 to 10")).count():
        page.get_by_role("button", name="Next").click()
    page.get_by_role("group", name=re.compile("What mark from 1 to 10")).get_by_label(
        "7", exact=True
    ).check()
    assert serious_violations(page) == []
    assert no_sideways_scrolling(page)
    while page.get_by_role("button", name="Next").count():
        page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert context.cookies() == []
    with scopes_disabled():
        response = Response.objects.get()
        assert response.complete
        assert dict(response.answers.values_list("item__code", "value")) == {
            "ess_safe_after_dark": 3,
            "vm_feels_unsafe": 2,
            "vm_report_mark": 7,
        }
    context.close()


def test_results_pages_pass_axe(page, live_server, browser_town, make_member) -> None:
    organisation = browser_town["organisation"]
    make_member(organisation, "analyst", username="ilze")
    fill(browser_town["wave"], per_cell=1)
    sign_in(page, live_server.url, "ilze")
    page.goto(f"{live_server.url}/o/havenstad/perception/")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Wave 2025").click()
    expect(page.get_by_role("table", name="Feels unsafe sometimes or often")).to_be_visible()
    assert serious_violations(page) == []
    with scope(organisation=organisation):
        add_incidents(
            organisation,
            {"BU01": 30, "BU02": 10, "BU03": 5},
            at={"BU01": (4.29, 52.07), "BU02": (4.31, 52.08), "BU03": (4.30, 52.06)},
        )
    page.get_by_role("link", name="Fear beside recorded crime").click()
    expect(page.locator("#fear-map")).to_have_attribute("data-ready", "3")
    assert serious_violations(page) == []
    with scope(organisation=organisation):
        walk = audit_walk_create(
            organisation=organisation,
            actor=None,
            area_code="BU01",
            route="Quay",
            time_of_day="night",
            walked_on=date(2025, 3, 1),
            walkers=3,
        )
        for lon in (4.30, 4.31):
            audit_pin_add(
                walk=walk, actor=None, lon=lon, lat=52.07, comment="<b>dark</b>", **RATINGS
            )
    page.goto(f"{live_server.url}/o/havenstad/perception/walks/{walk.pk}/")
    expect(page.locator("#pin-map")).to_have_attribute("data-ready", "2")
    assert serious_violations(page) == []


def test_management_pages_pass_axe(page, live_server, browser_town, make_member) -> None:
    organisation = browser_town["organisation"]
    make_member(organisation, "org-admin", username="anouk")
    with scope(organisation=organisation):
        walk = audit_walk_create(
            organisation=organisation,
            actor=None,
            area_code="BU02",
            route="Park",
            time_of_day="day",
            walked_on=date(2025, 3, 1),
            walkers=2,
        )
        audit_pin_add(walk=walk, actor=None, lon=4.3, lat=52.07, **RATINGS)
    sign_in(page, live_server.url, "anouk")
    base = f"{live_server.url}/o/havenstad/perception"
    wave, questionnaire = browser_town["wave"], browser_town["questionnaire"]
    for path in (
        "/",
        "/questionnaires/new/",
        f"/questionnaires/{questionnaire.pk}/",
        "/waves/new/",
        f"/waves/{wave.pk}/",
        "/walks/",
        f"/walks/{walk.pk}/",
        "/walks/area/BU02/",
    ):
        page.goto(base + path)
        assert serious_violations(page) == [], path
    # A pin rated with the keyboard-usable radio groups.
    page.goto(f"{base}/walks/{walk.pk}/")
    page.get_by_label("Latitude").fill("52.071")
    page.get_by_label("Longitude").fill("4.301")
    for name in (
        "Lighting",
        "Openness",
        "Visibility",
        "People present",
        "Security presence",
        "Walk path",
        "Public transport",
        "Gender diversity",
        "Feeling of safety",
    ):
        page.get_by_role("group", name=re.compile(name)).get_by_label("2").check()
    page.get_by_role("button", name="Add pin").click()
    expect(page.locator("#pin-map")).to_have_attribute("data-ready", "2")
