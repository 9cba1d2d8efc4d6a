"""Fixtures of the training tests: the five-language fixture curriculum, loaded or copied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "curriculum"


@pytest.fixture
def curriculum_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture curriculum, for tests that break it."""
    target = tmp_path / "curriculum"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture
def loaded_curriculum(db: None):
    from secu4all.training.curriculum import curriculum_load

    return curriculum_load(FIXTURE)
