"""Item analysis: difficulty and the corrected point-biserial against scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import pointbiserialr

from secu4all.engines.curriculum import item_statistics


def test_against_scipy_point_biserial() -> None:
    rng = np.random.default_rng(7)
    ability = rng.normal(size=60)
    items = [f"q{i}" for i in range(6)]
    learners = [
        {q: float(a + rng.normal() > (i - 2.5) / 2) for i, q in enumerate(items)} for a in ability
    ]
    stats = {s.item: s for s in item_statistics(learners, items)}
    for item in items:
        right = np.array([row[item] for row in learners])
        rest = np.array([sum(v for k, v in row.items() if k != item) for row in learners])
        assert stats[item].difficulty == pytest.approx(right.mean())
        assert stats[item].discrimination == pytest.approx(pointbiserialr(right, rest)[0])
    # Able learners get the items right: discrimination is positive.
    assert all(s.discrimination > 0 for s in stats.values())


def test_undefined_when_everyone_is_right_or_nobody_answered() -> None:
    stats = item_statistics([{"a": 1.0, "b": 0.0}, {"a": 1.0, "b": 1.0}], ["a", "c"])
    assert stats[0].difficulty == 1.0
    assert stats[0].discrimination is None
    assert (stats[1].answered, stats[1].difficulty) == (0, None)
