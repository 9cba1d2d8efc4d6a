"""Finding 12.13: a form fuzzer. It walks the demo organisation's pages as an admin holding
every role, finds every form, and sends each field hostile values; no answer may be a 5xx."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django_scopes import scopes_disabled

from secu4all.organisations.models import Membership, Organisation, Role
from secu4all.organisations.services import membership_grant, organisation_set_two_factor
from secu4all.shell.demo_loader import load_demo

pytestmark = pytest.mark.django_db

START = "/o/havenstad/"
SETTINGS = START + "settings/"
TWO_FACTOR = "/accounts/two-factor/"
MAX_PAGES = 160
# Forms whose success would change what the crawl stands on, or end the session.
SKIP_ACTIONS = ("logout", "sign-out", "delete", "remove", "revoke", "/accounts/")

HOSTILE = [
    "",
    " ",
    "-1",
    "0",
    "9223372036854775808",  # one past a 64-bit integer
    "-99999999999999999999999999",
    "1e309",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "31/02/2026",
    "\x00",
    "x" * 140_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "\U0001f600\u202e\ufeff",
    '[1, {"a": [[[[]]]]}]',
]


# Sent also to each field alone, beside the page's own defaults, so it reaches the code behind
# the form: an integer past 64 bits (what slipped past whole forms before) and a NUL byte.
SINGLE_FIELD = (HOSTILE[4], HOSTILE[11])


class _Page(HTMLParser):
    """The links and forms of one page: each form as its action, method and default fields."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": {},
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            if a.get("type") in ("submit", "button", "file", "image"):
                return
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self._form["fields"].setdefault(a["name"], "")
                return
            self._form["fields"][a["name"]] = a.get("value", "")
            self._select = a["name"] if tag == "select" else None
        elif (
            tag == "option"
            and self._form is not None
            and self._select
            and not self._form["fields"].get(self._select)
            and a.get("value")
        ):
            self._form["fields"][self._select] = a["value"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _crawl(client) -> tuple[list[dict], list[str]]:
    """Breadth-first over the organisation's pages; the forms found, one per action and shape."""
    seen, queue, forms, broken = {START}, [START], {}, []
    while queue and len(seen) <= MAX_PAGES:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code >= 500:
            broken.append(f"GET {url}: {response.status_code}")
        if not response["Content-Type"].startswith("text/html") or response.status_code != 200:
            continue
        page = _Page()
        page.feed(response.content.decode())
        for href in page.links:
            target = urlsplit(urljoin(url, href))
            if target.netloc or not target.path.startswith(START):
                continue
            if any(word in target.path for word in SKIP_ACTIONS):
                continue
            if target.path not in seen:
                seen.add(target.path)
                queue.append(target.path)
        for form in page.forms:
            action = urljoin(url, form["action"]) if form["action"] else url
            if any(word in action for word in SKIP_ACTIONS):
                continue
            # One form per shape: the same form for another object (an id, or a slug as the
            # last step of the address, as the measures have) adds no new code path.
            shape = re.sub(r"/[^/#]+/$", "/*/", re.sub(r"/\d+/", "/#/", action))
            key = (shape, form["method"], tuple(sorted(form["fields"])))
            forms.setdefault(key, {**form, "action": action})
    return list(forms.values()), broken


def _send(client, form: dict, data: dict):
    if form["method"] == "post":
        return client.post(form["action"], data)
    return client.get(form["action"], data)


def _two_factor_off(organisation: Organisation) -> None:
    """A value the policy form takes as "on" would send every later request of the admin to
    the two-factor set-up instead of the form under test: the crawl keeps the policy off."""
    organisation_set_two_factor(actor=None, organisation=organisation, required=False)


def test_no_form_answers_hostile_values_with_a_server_error(client) -> None:
    load_demo()
    with scopes_disabled():
        havenstad = Organisation.objects.get(slug="havenstad")
        admin = Membership.objects.get(organisation=havenstad, role=Role.ORG_ADMIN).user
        for role in Role.values:
            if role != Role.PARTNER:
                membership_grant(actor=None, organisation=havenstad, user=admin, role=role)
    client.force_login(admin)
    client.raise_request_exception = False

    forms, failures = _crawl(client)
    assert len(forms) >= 30, f"the crawl found only {len(forms)} forms"
    sent = diverted = 0
    for form in forms:
        fields = [name for name in form["fields"] if name != "csrfmiddlewaretoken"]
        for value in HOSTILE:
            # Every field at once, then each field alone beside the page's own defaults.
            variants = [dict.fromkeys(fields, value)]
            if value in SINGLE_FIELD:
                variants += [{**form["fields"], name: value} for name in fields]
            for data in variants:
                response = _send(client, form, data)
                sent += 1
                if response.status_code >= 500:
                    failures.append(f"{form['method'].upper()} {form['action']} {data!r:.200}")
                if response.status_code == 302 and TWO_FACTOR in response["Location"]:
                    diverted += 1
                if form["action"].endswith(SETTINGS):
                    _two_factor_off(havenstad)
    assert sent > 1000
    # The values reached the forms: a request sent to the two-factor step tested nothing.
    assert diverted == 0, f"{diverted} of {sent} requests were sent to the two-factor step"
    assert failures == [], "\n".join(failures)
