"""Playwright drives Debian's Chromium, headless, against Django's live server."""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread beside Django's ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Browser tests need Debian's chromium at {CHROMIUM}: apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture
def demo_town(transactional_db, make_organisation, make_member):
    havenstad = make_organisation("havenstad", "Gemeente Havenstad")
    return {
        "organisation": havenstad,
        "admin": make_member(havenstad, "org-admin", username="anouk"),
        "learner": make_member(havenstad, "learner", username="luca"),
    }
