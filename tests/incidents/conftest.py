"""The demo town with its generated incidents, built once per module that reads it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from secu4all.organisations.models import Organisation
from tests.support.database import built_once
from tests.support.incidents import demo_town_make


@pytest.fixture(scope="module")
def demo_town(django_db_setup, django_db_blocker) -> Iterator[Organisation]:
    yield from built_once(django_db_blocker, demo_town_make)
