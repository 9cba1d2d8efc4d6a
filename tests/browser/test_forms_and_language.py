"""Server-side validation in the page's language, GOV.UK style (an error summary linked to
each field, no browser bubbles), and a language choice that waits for its button
(WCAG 3.2.2), in two languages each, with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import serious_violations

pytestmark = pytest.mark.browser

SUMMARY = {"nl": "Er is een probleem", "de": "Es gibt ein Problem"}
REQUIRED = {"nl": "Dit veld is vereist.", "de": "Dieses Feld ist zwingend erforderlich."}


def in_language(page: Page, base: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])


@pytest.mark.parametrize("language", ["nl", "de"])
def test_a_refused_form_lists_its_problems_first(page: Page, live_server, language: str) -> None:
    base = live_server.url
    in_language(page, base, language)
    page.goto(f"{base}/accounts/password-reset/")
    form = page.locator("main form")
    assert form.get_attribute("novalidate") is not None
    form.locator("button[type=submit]").click()  # empty: the browser must not stop it

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name=SUMMARY[language])).to_be_visible()
    expect(summary).to_be_focused()
    link = summary.get_by_role("link")
    expect(link).to_contain_text(REQUIRED[language])
    link.click()
    expect(page.locator("#id_email")).to_be_focused()
    expect(page.locator(".field.has-error .error")).to_contain_text(REQUIRED[language])
    assert serious_violations(page) == []


@pytest.mark.parametrize(("language", "other"), [("nl", "de"), ("fr", "it")])
def test_arrow_keys_in_the_language_choice_do_not_switch_the_page(
    page: Page, live_server, language: str, other: str
) -> None:
    base = live_server.url
    in_language(page, base, language)
    page.goto(f"{base}/accounts/login/")
    choice = page.locator("#language-select")
    choice.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    expect(page.locator("html")).to_have_attribute("lang", language)
    choice.select_option(other)
    expect(page.locator("html")).to_have_attribute("lang", language)
    button = page.locator(".language-form button[type=submit]")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    assert serious_violations(page) == []
