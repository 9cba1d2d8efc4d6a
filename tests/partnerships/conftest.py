"""The partnership world, built once per module; each test's changes are rolled back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.database import built_once
from tests.support.partnerships import World, partnership_world_make


@pytest.fixture(scope="module")
def world_built(django_db_setup, django_db_blocker) -> Iterator[World]:
    yield from built_once(django_db_blocker, partnership_world_make)


@pytest.fixture
def world(world_built: World, db) -> World:
    return world_built.refresh()
