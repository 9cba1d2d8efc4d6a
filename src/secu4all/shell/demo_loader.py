"""Demo data: every app may add a ``demo.py`` with a ``load()``; this runs them in app order."""

from __future__ import annotations

import importlib
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction
from django_scopes import scopes_disabled

DEMO_PASSWORD = "demo-secu4all"  # noqa: S105 -- shown on screen; the demo binds to 127.0.0.1


def _demo_modules() -> list:
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("secu4all.") and find_spec(f"{config.name}.demo"):
            modules.append(importlib.import_module(f"{config.name}.demo"))
    return modules


def load_demo() -> bool:
    """Load the demo data of every app; True when anything was created, False if all was there."""
    created = False
    with transaction.atomic(), scopes_disabled():
        for module in _demo_modules():
            created = bool(module.load(password=DEMO_PASSWORD)) or created
    return created


def demo_credentials() -> list[tuple[str, str, str, str]]:
    """(username, role, organisation, password) of every demo account, for the console."""
    people = [p for module in _demo_modules() for p in getattr(module, "DEMO_PEOPLE", ())]
    return [(p.username, str(p.role.label), p.org_name, DEMO_PASSWORD) for p in people]
