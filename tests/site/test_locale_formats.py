"""Every main page in each of the five languages: no frozen English, no internal codes, and
numbers and dates as the language writes them.

The pages come from the URL conf and the demo data (tests/support/pages.py), so a page added
later is checked without editing this file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from django.utils import translation
from django.utils.dates import MONTHS, WEEKDAYS

from tests.support.database import built_once
from tests.support.pages import MainPage, discover_main_pages, signed_in_client

LANGUAGES = ("nl", "en", "de", "fr", "it")
ENGLISH_MONTHS = [str(name) for name in MONTHS.values()]
ENGLISH_WEEKDAYS = [str(name) for name in WEEKDAYS.values()]

# Internal codes and Python leaking onto a page, in any language.
CODES = [
    (re.compile(r"\(annualised\)"), "an English note in brackets"),
    (re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"), "an internal code (snake_case)"),
    (re.compile(r"\b[a-z]+\.[a-z]+ #\d+"), "a model label"),
    (re.compile(r"\(\s*'[^']*',"), "a Python tuple"),
    (re.compile(r"\[\s*'[^']*'[,\]]"), "a Python list"),
    (re.compile(r"\b(?:nan|NaN|inf)\b"), "not a number"),
    (re.compile(r"\bNone\b"), "Python's None"),
    (re.compile(r"\b(?:True|False)\b"), "Python's True or False"),
]
# A decimal point between digits in languages that write a decimal comma; "1.234" (a
# thousands group), dotted dates (03.12.2026) and versions (1.0.3) are not decimals.
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.(?:\d{1,2}|\d{4,})(?![\d.])")
US_DATE = re.compile(r"\b(?:0?[1-9]|1[0-2])/(?:1[3-9]|2\d|3[01])/\d{4}\b")
US_LONG_DATE = re.compile(
    r"\b(?:" + "|".join(m[:3] for m in ENGLISH_MONTHS) + r")[a-z]*\.? \d{1,2}, \d{4}\b"
)
# What a reader does not read: scripts, styles, code, and the tags themselves.
UNREAD = re.compile(r"<(script|style|code|pre|kbd|samp|svg|textarea)\b.*?</\1>", re.S | re.I)
# Not decimals: "TLP 2.0" (Traffic Light Protocol 2.0, TLP-2.0-Kennzeichnung), a version
# like 2025.1, a time like 22.00.
NOT_DECIMAL = re.compile(
    r"(?:TLP|Protoco\w*|Protokoll)[\s-]\d\.\d|\b\d{4}\.\d\b|\b(?:[01]\d|2[0-3])\.[0-5]\d\b"
)
# Text the demo's users typed in (not interface text): it stays in the language typed.
TYPED_BY_DEMO_USERS = ("Late November to 31 December",)
TAG = re.compile(r"<[^>]+>")
LABEL = re.compile(r"""\b(?:aria-label|title|alt|placeholder)="([^"]*)\"""")


def visible_text(page_html: str) -> str:
    """The text a reader sees or hears: element text and the labels in attributes."""
    body = page_html.split("<body", 1)[-1]
    body = UNREAD.sub(" ", body)
    labels = " ".join(LABEL.findall(body))
    return html.unescape(TAG.sub(" ", body) + " " + labels)


def english_words(language: str) -> list[str]:
    """English month and weekday names that the language does not write the same way."""
    with translation.override(language):
        own = {str(name) for name in [*MONTHS.values(), *WEEKDAYS.values()]}
    return [word for word in ENGLISH_MONTHS + ENGLISH_WEEKDAYS if word not in own]


def problems_in(text: str, language: str) -> list[str]:
    for typed in TYPED_BY_DEMO_USERS:
        text = text.replace(typed, " ")
    found = []
    for pattern, what in CODES:
        # "None", "True" and "False" are English words on an English page ("True or false").
        if language == "en" and what in ("Python's None", "Python's True or False"):
            continue
        found += [f"{what}: {m.group(0)!r}" for m in pattern.finditer(text)]
    if language != "en":
        found += [
            f"English word: {word!r}"
            for word in english_words(language)
            if re.search(rf"\b{word}\b", text)
        ]
        numbers = NOT_DECIMAL.sub(" ", text)
        found += [f"decimal point: {m.group(0)!r}" for m in DECIMAL_POINT.finditer(numbers)]
    else:
        found += [f"US date: {m.group(0)!r}" for m in US_DATE.finditer(text)]
        found += [f"US date: {m.group(0)!r}" for m in US_LONG_DATE.finditer(text)]
    return sorted(set(found))


@pytest.fixture(scope="module")
def main_pages(django_db_setup, django_db_blocker) -> Iterator[list[MainPage]]:
    def build() -> list[MainPage]:
        from secu4all.shell.demo_loader import load_demo

        load_demo()
        return discover_main_pages()

    yield from built_once(django_db_blocker, build)


def test_the_page_list_covers_every_capability(main_pages: list[MainPage], db) -> None:
    namespaces = {page.view_name.split(":")[0] for page in main_pages}
    assert {"incidents", "assessments", "perception", "partnerships", "training"} <= namespaces
    assert {"adviser", "analyst", "trainer"} <= {page.username for page in main_pages}
    assert len(main_pages) >= 30


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_speak_the_readers_language(main_pages: list[MainPage], language: str, db) -> None:
    clients = {}
    failures = []
    for page in main_pages:
        client = clients.get(page.username) or signed_in_client(page.username)
        clients[page.username] = client
        client.cookies["django_language"] = language
        response = client.get(page.path)
        assert response.status_code == 200, f"{page.path} as {page.username}"
        for problem in problems_in(visible_text(response.content.decode()), language):
            failures.append(f"{page.path} ({page.username}): {problem}")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Kosten 49.638 € am 03.12.2026, Rate 84,1 %", []),
        ("de", "Rate 84.1 %", ["decimal point: '84.1'"]),
        ("nl", "TLP 2.0, versie 2025.1, 22.00–02.00 uur", []),
        ("de", "Traffic Light Protocol 2.0, eine TLP-2.0-Kennzeichnung", []),
        ("nl", "maandag single_choice", ["an internal code (snake_case): 'single_choice'"]),
        ("fr", "lundi Monday", ["English word: 'Monday'"]),
        ("en", "on 12/13/2026", ["US date: '12/13/2026'"]),
        ("en", "on Dec. 3, 2026", ["US date: 'Dec. 3, 2026'"]),
        ("en", "on 3 December 2026, 03/12/2026", []),
        ("it", "('a', 1) nan", ["a Python tuple: \"('a',\"", "not a number: 'nan'"]),
    ],
)
def test_the_checks_find_what_they_look_for(language: str, text: str, expected: list) -> None:
    assert problems_in(text, language) == sorted(expected)
