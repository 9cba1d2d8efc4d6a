"""In a real browser: sign in, switch language, five languages, and no serious axe violation."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.support.browser import serious_violations, sign_in

pytestmark = pytest.mark.browser


def test_sign_in_and_reach_own_organisation(page: Page, live_server, demo_town) -> None:
    sign_in(page, live_server.url, "anouk")
    page.get_by_role("link", name="Gemeente Havenstad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemeente Havenstad")
    page.get_by_role("link", name="Members").click()
    expect(page.get_by_role("cell", name="luca", exact=True)).to_be_visible()


def test_wrong_password_is_said_plainly(page: Page, live_server, demo_town) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("anouk")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("did not match")


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_accept_language_sets_the_page_language(browser, live_server, code: str) -> None:
    context = browser.new_context(locale=code)
    page = context.new_page()
    page.goto(live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator("#language-select")).to_have_value(code)
    context.close()


def test_language_switcher_changes_every_string(page: Page, live_server, db) -> None:
    page.goto(live_server.url)
    english_heading = page.get_by_role("heading", level=1).inner_text()
    seen = {english_heading}
    for code in ["nl", "de", "fr", "it", "en"]:
        # Choosing is not changing (WCAG 3.2.2): the button applies the choice.
        page.locator("#language-select").select_option(code)
        page.locator(".language-form button[type=submit]").click()
        expect(page.locator("html")).to_have_attribute("lang", code)
        seen.add(page.get_by_role("heading", level=1).inner_text())
    assert len(seen) == 5
    assert page.get_by_role("heading", level=1).inner_text() == english_heading


def test_anonymous_reader_gets_the_public_description(page: Page, live_server, db) -> None:
    page.goto(live_server.url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Neighbourhoods").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Neighbourhoods")
    expect(page.get_by_role("link", name="Sign in to use it")).to_be_visible()


def test_skip_link_moves_focus_to_main(page: Page, live_server, db) -> None:
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/accounts/login/",
        "/accounts/password-reset/",
        "/crime/",
        "/o/havenstad/",
        "/o/havenstad/members/",
        "/o/havenstad/settings/",
        "/o/havenstad/audit/",
        "/accounts/api-token/",
    ],
)
def test_no_serious_accessibility_violations(page: Page, live_server, demo_town, path) -> None:
    if path.startswith(("/o/", "/accounts/api")):
        sign_in(page, live_server.url, "anouk")
    page.goto(f"{live_server.url}{path}")
    assert serious_violations(page) == []


def test_no_serious_accessibility_violations_in_dutch(browser, live_server, demo_town) -> None:
    context = browser.new_context(locale="nl")
    page = context.new_page()
    page.goto(live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert serious_violations(page) == []
    context.close()
