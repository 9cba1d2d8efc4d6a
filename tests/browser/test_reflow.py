"""Every main page at 390 px in all five languages: nothing wider than the phone's screen
unless it scrolls inside its own region (WCAG 1.4.10); and the forms' server-side error
summary and the language choice, which must not switch the page on arrow keys (WCAG 3.2.2).

The pages come from the URL conf and the demo data (tests/support/pages.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.support.browser import serious_violations
from tests.support.pages import MainPage, discover_main_pages, signed_in_client

pytestmark = pytest.mark.browser

LANGUAGES = ("nl", "en", "de", "fr", "it")
PHONE = {"width": 390, "height": 844}

# What sticks out of the viewport, leaving out what scrolls or is clipped inside an element
# and what is deliberately off screen (the skip link, visually hidden text).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > window.innerWidth) {
    found.push(`the page is ${document.documentElement.scrollWidth} px wide`);
  }
  const contained = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= 0 || box.right <= width + 1) continue;
    if (contained(el)) continue;
    const parent = el.parentElement.getBoundingClientRect();
    if (parent.right > width + 1 && !contained(el.parentElement)) continue;  // report the outermost
    const classes = typeof el.className === "string" ? el.className.trim() : "";
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (classes ? "." + classes.split(/\\s+/).join(".") : "");
    const text = el.textContent.trim().slice(0, 40);
    found.push(`${name} reaches ${Math.round(box.right)} px: ${text}`);
  }
  return found;
}"""


@pytest.fixture
def demo_pages(transactional_db) -> list[MainPage]:
    from secu4all.shell.demo_loader import load_demo

    load_demo()
    return discover_main_pages()


def session_cookie(username: str, base: str) -> dict:
    client = signed_in_client(username)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}


def reader_page(browser: Browser, base: str, username: str, language: str, **options) -> Page:
    context = browser.new_context(**options)
    context.add_cookies(
        [
            session_cookie(username, base),
            {"name": "django_language", "value": language, "url": base},
        ]
    )
    return context.new_page()


def test_every_main_page_fits_a_phone_in_every_language(
    browser: Browser, live_server, demo_pages: list[MainPage]
) -> None:
    base = live_server.url
    failures = []
    for username in sorted({page.username for page in demo_pages}):
        tab = reader_page(browser, base, username, "en", viewport=PHONE)
        for language in LANGUAGES:
            tab.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
            for page in (p for p in demo_pages if p.username == username):
                tab.goto(base + page.path, wait_until="load")
                for problem in tab.evaluate(OVERFLOW):
                    failures.append(f"{language} {page.path} ({username}): {problem}")
        tab.context.close()
    assert len(demo_pages) >= 30
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("language", ["de", "fr"])
def test_audit_walk_table_fits_a_laptop(
    browser: Browser, live_server, demo_pages: list[MainPage], language: str
) -> None:
    walk = next(p for p in demo_pages if p.view_name == "perception:walk")
    tab = reader_page(
        browser, live_server.url, walk.username, language, viewport={"width": 1366, "height": 768}
    )
    tab.goto(live_server.url + walk.path)
    widths = tab.evaluate(
        "() => [...document.querySelectorAll('main table')].map("
        "t => t.parentElement.scrollWidth - t.parentElement.clientWidth)"
    )
    assert widths, "the walk page has no table"
    assert max(widths) <= 1, widths
    # At 200 % zoom (640 CSS px) the table scrolls in a named region a keyboard can reach.
    tab.set_viewport_size({"width": 640, "height": 768})
    tab.reload()
    assert tab.evaluate(OVERFLOW) == []
    assert serious_violations(tab) == []
