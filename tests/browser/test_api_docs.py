"""The API documentation page (Swagger UI served from drf-spectacular-sidecar) in a real
browser, in two languages: it draws every operation, breaks no rule of the Content Security
Policy, logs no console error, and passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.support.browser import serious_violations

pytestmark = pytest.mark.browser

# Recorded before any script of the page runs, so no violation is missed.
RECORD_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.mark.parametrize("code", ["en", "de"])
def test_api_docs_page_is_clean(browser: Browser, live_server, demo_town, code: str) -> None:
    context = browser.new_context(locale=code)
    context.add_init_script(RECORD_CSP)
    page = context.new_page()
    console = []
    page.on(
        "console",
        lambda message: console.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: console.append(str(error)))
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator("html")).to_have_attribute("lang", code)
    # Ours comes first; Swagger UI draws its own title heading when its script has run.
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible(timeout=15000)
    assert operations.count() >= 15
    # Open one operation: its answer's schema is drawn, not an empty object.
    page.locator(".opblock-summary").filter(has_text="/training/progress/").first.click()
    expect(page.locator(".opblock.is-open")).to_contain_text("modules")
    assert serious_violations(page) == []
    assert page.evaluate("window.__csp") == []
    assert console == []
    assert failed == []
    context.close()
