"""A municipality with three neighbourhoods, margins, and a wave of every library item."""

from __future__ import annotations

import pytest

from tests.support.perception import surveyed_town_make


@pytest.fixture
def town(havenstad) -> dict:
    return surveyed_town_make(havenstad)
