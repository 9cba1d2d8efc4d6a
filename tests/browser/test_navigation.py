"""In a real browser, in two languages: the navigation offers only what opens, the phone menu
folds and opens, the 403 page names who to ask, and the mapping assistant reads a Dutch header."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from secu4all.organisations.models import Role
from tests.support.browser import serious_violations, sign_in

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "nl"]
PHONE = {"width": 390, "height": 844}
TEXT = {
    "en": {"menu": "Menu", "who": "Who to ask", "step2": "Step 2 of 2", "read": "Read the header"},
    "nl": {
        "menu": "Menu",
        "who": "Wie u het kunt vragen",
        "step2": "Stap 2 van 2",
        "read": "Kopregel lezen",
    },
}
DUTCH_CSV = (
    "Registratienummer;Pleegdatum;Tijdstip;Categorie;Wijkcode;Lengtegraad;Breedtegraad\n"
    "A1;14-03-2026;22:40;burglary;W01;4.4777;51.9244\n"
)


@pytest.fixture
def town(transactional_db, make_organisation, make_member):
    havenstad = make_organisation("havenstad", "Gemeente Havenstad")
    stadium = make_organisation("stadion", "Havenstad Stadion BV", kind="venue")
    admin = make_member(havenstad, Role.ORG_ADMIN, username="anouk")
    admin.first_name, admin.last_name = "Anouk", "de Vries"
    admin.save()
    make_member(havenstad, Role.TRAINER, username="marta")
    make_member(havenstad, Role.LEARNER, username="luca")
    make_member(havenstad, Role.ANALYST, username="ilze")
    make_member(stadium, Role.PARTNER, username="sophie")
    return havenstad


def signed_in(browser: Browser, base: str, username: str, language: str, **options) -> Page:
    """A page signed in as ``username`` that then reads the site in ``language``."""
    context = browser.new_context(locale="en", **options)
    page = context.new_page()
    sign_in(page, base, username)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    return page


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("username", "org_slug"), [("marta", "havenstad"), ("luca", "havenstad"), ("sophie", "stadion")]
)
def test_no_link_of_the_navigation_or_the_organisation_page_answers_403(
    browser, live_server, town, username, org_slug, language
) -> None:
    page = signed_in(browser, live_server.url, username, language)
    page.goto(f"{live_server.url}/o/{org_slug}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    links = page.locator("#main-nav a, main .cards a, main .sub-nav a")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert hrefs, "the organisation page offers nothing"
    for href in sorted(hrefs):
        answer = page.request.get(f"{live_server.url}{href}")
        assert answer.status != 403, href
        assert answer.ok, (href, answer.status)
    assert serious_violations(page) == []
    page.goto(live_server.url)
    home = page.locator("#main-nav a, main .cards a")
    for i in range(home.count()):
        href = home.nth(i).get_attribute("href")
        assert page.request.get(f"{live_server.url}{href}").ok, href
    page.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_phone_menu_folds_and_opens(browser, live_server, town, language) -> None:
    page = signed_in(browser, live_server.url, "ilze", language, viewport=PHONE)
    page.goto(f"{live_server.url}/o/havenstad/")
    button = page.get_by_role("button", name=TEXT[language]["menu"])
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#main-nav")).to_be_hidden()
    expect(page.locator("#account-nav")).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#main-nav")).to_be_visible()
    expect(page.locator("#account-nav")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    assert serious_violations(page) == []
    page.locator("#main-nav a").first.click()
    expect(page.locator("main h1")).to_be_visible()
    page.context.close()


def test_without_javascript_the_phone_navigation_stays_open(browser, live_server, town) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url)
    expect(page.locator(".menu-button")).to_be_hidden()
    expect(page.locator("#main-nav")).to_be_visible()
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_403_page_names_who_to_ask(browser, live_server, town, language) -> None:
    page = signed_in(browser, live_server.url, "luca", language)
    answer = page.goto(f"{live_server.url}/o/havenstad/sites/")
    assert answer.status == 403
    expect(page.get_by_role("heading", name=TEXT[language]["who"])).to_be_visible()
    expect(page.locator(".who-to-ask")).to_contain_text("Anouk de Vries")
    assert serious_violations(page) == []
    # A member of another organisation is told nothing about this one.
    outsider = signed_in(browser, live_server.url, "sophie", language)
    answer = outsider.goto(f"{live_server.url}/o/havenstad/sites/")
    assert answer.status == 404
    expect(outsider.locator("main")).not_to_contain_text("Anouk")
    page.context.close()
    outsider.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_mapping_assistant_proposes_a_mapping_for_a_dutch_header(
    browser, live_server, town, language, tmp_path
) -> None:
    source = tmp_path / "meldingen.csv"
    source.write_text(DUTCH_CSV, encoding="utf-8")
    page = signed_in(browser, live_server.url, "ilze", language)
    page.goto(f"{live_server.url}/o/havenstad/incidents/imports/assistant/")
    assert serious_violations(page) == []
    page.locator("input[type=file]").set_input_files(str(source))
    page.get_by_role("button", name=TEXT[language]["read"]).click()
    expect(page.get_by_role("heading", level=2)).to_contain_text(TEXT[language]["step2"])
    expect(page.locator("select[name=date]")).to_have_value("Pleegdatum")
    expect(page.locator("select[name=category]")).to_have_value("Categorie")
    expect(page.locator("select[name=area]")).to_have_value("Wijkcode")
    expect(page.locator("select[name=longitude]")).to_have_value("Lengtegraad")
    expect(page.locator("input[name=date_format]")).to_have_value("%d-%m-%Y")
    assert serious_violations(page) == []
    page.context.close()
