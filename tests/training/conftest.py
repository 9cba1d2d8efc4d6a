"""Fixtures of the training tests: the five-language fixture curriculum, loaded or copied."""

from __future__ import annotations

import pytest

from secu4all.training.curriculum import curriculum_load
from tests.engines.curriculum.conftest import FIXTURE, curriculum_copy

__all__ = ["FIXTURE", "curriculum_copy"]


@pytest.fixture
def loaded_curriculum(db: None):
    return curriculum_load(FIXTURE)
