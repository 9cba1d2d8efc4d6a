"""A municipality with three neighbourhoods, margins, and a wave of every library item."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.support.perception import surveyed_town_make


@pytest.fixture
def town(havenstad) -> dict:
    return surveyed_town_make(havenstad)


@pytest.fixture
def fresh_cache():
    """An empty cache: rate-limit counters and the day's salt start from nothing."""
    cache.clear()
    yield
    cache.clear()
