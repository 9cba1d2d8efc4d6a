"""The five-language fixture curriculum, as it is or copied to be broken."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parents[2] / "data" / "curriculum"


@pytest.fixture
def curriculum_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture curriculum, for tests that break it."""
    target = tmp_path / "curriculum"
    shutil.copytree(FIXTURE, target)
    return target
