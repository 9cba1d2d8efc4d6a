"""In a real browser, issue 15 point 4: a closed wave's page, the invitation-code page and a
device answering twice, on a phone (390 px) in several languages with axe; and the adviser's
review queue making a new version of the frozen estimates."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Browser, expect

from secu4all.perception.models import Response, Review, Suspicion
from secu4all.perception.services import invitation_codes_generate, wave_set_open
from tests.support.browser import serious_violations, sign_in
from tests.support.perception import fill, surveyed_town_make

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# Set FIELDWORK_SHOTS to a directory to keep a screenshot of each page checked.
SHOTS = os.environ.get("FIELDWORK_SHOTS", "")


@pytest.fixture
def browser_town(transactional_db, havenstad) -> dict:
    return surveyed_town_make(havenstad)


def checked(page, name: str) -> None:
    """No serious axe finding and no sideways scrolling; a screenshot when asked for."""
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"fieldwork-{name}.png"), full_page=True)


@pytest.mark.parametrize(
    ("lang", "closed_text"),
    [
        ("en", "This survey closed on "),
        ("nl", "Deze enquête is gesloten op "),
    ],
)
def test_a_closed_wave_says_when_it_closed_on_a_phone(
    browser: Browser, live_server, browser_town, lang: str, closed_text: str
) -> None:
    wave = browser_town["wave"]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    # The respondent opened the first page while the wave was open ...
    page.goto(f"{live_server.url}/s/{wave.token}/{lang}/")
    page.locator("input[name=age_band]").first.check()
    page.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/s/r/[^/]+/1/$"))
    page.locator("fieldset.question input[type=radio]").first.check()
    # ... and sends it after the adviser closed the wave: refused, nothing stored.
    with scope(organisation=wave.organisation):
        wave_set_open(wave=wave, actor=None, is_open=False)
    page.locator("button[type=submit]").last.click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(".survey-closed")).to_contain_text(closed_text)
    expect(page.locator(".survey-closed")).to_contain_text(re.compile(r"\d{1,2} \w+ 20\d\d"))
    checked(page, f"closed-{lang}")
    with scopes_disabled():
        assert not Response.objects.get().answers.exists()
    assert context.cookies() == []
    context.close()


@pytest.mark.parametrize(
    ("lang", "label", "start", "wrong"),
    [
        ("de", "Code aus Ihrem Einladungsschreiben", "Befragung starten", "ungültig"),
        ("fr", "Code figurant sur votre lettre d'invitation", "Commencer", "pas valide"),
    ],
)
def test_the_invitation_code_page_on_a_phone(
    browser: Browser, live_server, browser_town, lang: str, label: str, start: str, wrong: str
) -> None:
    wave = browser_town["wave"]
    wave.codes_required = True
    wave.save()
    with scope(organisation=wave.organisation):
        codes = invitation_codes_generate(wave=wave, actor=None, count=2)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{wave.token}/{lang}/")
    checked(page, f"code-{lang}")
    page.get_by_label(label).fill("ABCD-EFGH")
    page.get_by_role("button", name=re.compile(start)).click()
    expect(page.locator("#id_code_error")).to_contain_text(wrong)
    expect(page.get_by_label(label)).to_have_attribute("aria-invalid", "true")
    checked(page, f"code-wrong-{lang}")
    page.get_by_label(label).fill(codes[0].lower())
    page.get_by_role("button", name=re.compile(start)).click()
    expect(page).to_have_url(re.compile(r"/s/r/[^/]+/1/$"))
    context.close()


@pytest.mark.parametrize(
    ("lang", "notice"),
    [
        ("en", "This device has answered this survey before."),
        ("it", "Da questo dispositivo si è già risposto a questa indagine."),
    ],
)
def test_a_device_answering_twice_is_told_and_flagged_without_a_cookie(
    browser: Browser, live_server, browser_town, lang: str, notice: str
) -> None:
    wave = browser_town["wave"]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    for attempt in range(2):
        page.goto(f"{live_server.url}/s/{wave.token}/{lang}/")
        page.locator("input[name=age_band]").nth(attempt).check()
        page.locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/s/r/[^/]+/1/$"))
    expect(page.locator(".survey-same-device")).to_contain_text(notice)
    checked(page, f"same-device-{lang}")
    token = page.evaluate("window.localStorage.getItem('secu4all-survey-device')")
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    assert context.cookies() == []
    with scopes_disabled():
        flagged = list(Response.objects.values_list("suspicion", "review", "device_hash"))
    assert [(s, r) for s, r, _h in flagged] == [(Suspicion.DEVICE, Review.PENDING)] * 2
    assert all(token not in h for _s, _r, h in flagged)
    context.close()


def test_the_adviser_reviews_flagged_responses_and_sees_version_2(
    browser: Browser, live_server, browser_town, make_member
) -> None:
    wave = browser_town["wave"]
    organisation = browser_town["organisation"]
    fill(wave, per_cell=1)
    make_member(organisation, "security-adviser", username="sanne")
    with scope(organisation=organisation):
        suspects = list(Response.objects.filter(wave=wave).values_list("pk", flat=True)[:2])
        Response.objects.filter(pk__in=suspects).update(
            suspicion=Suspicion.NETWORK, review=Review.PENDING
        )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, "sanne")
    page.goto(f"{live_server.url}/o/havenstad/perception/waves/{wave.pk}/fieldwork/")
    expect(page.locator("#fieldwork-status")).to_contain_text("2 flagged responses await")
    page.get_by_role("button", name="Close the survey now").click()
    expect(page.locator(".versions")).to_contain_text("frozen when the wave closed")
    for pk in suspects:
        page.get_by_role("group", name=f"Decision on response {pk}").get_by_label("Exclude").check()
    checked(page, "review-en")
    page.get_by_role("button", name="Save the decisions").click()
    expect(page.locator(".versions")).to_contain_text("changed: 2 responses excluded")
    expect(page.locator("table.estimates caption")).to_contain_text("version 2 of")
    page.locator("#language-select").select_option("nl")
    page.locator(".language-form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator(".versions")).to_contain_text("gewijzigd: 2 responsen uitgesloten")
    checked(page, "review-nl")
    context.close()
