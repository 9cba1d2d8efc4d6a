"""Shared helpers for the risk engine tests: random instances and brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest


def random_instance(
    seed: int, measures: int, scenarios: int, density: float = 0.3
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    risk = rng.uniform(10, 600, scenarios)
    effects = np.where(
        rng.random((measures, scenarios)) < density, rng.uniform(0, 0.6, (measures, scenarios)), 0
    )
    costs = np.round(rng.lognormal(np.log(20_000), 1.0, measures), -2)
    return risk, effects, costs


def all_sets(
    risk: np.ndarray, effects: np.ndarray, costs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cost and residual risk of every subset (bit i of the row index = measure i)."""
    n = len(costs)
    masks = np.array(list(itertools.product([0, 1], repeat=n)), dtype=bool)[:, ::-1]
    factors = np.ones((len(masks), len(risk)))
    for i in range(n):
        factors[masks[:, i]] *= 1.0 - effects[i]
    return masks, masks @ costs, factors @ risk


def pareto(costs: np.ndarray, residuals: np.ndarray, tolerance: float) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for cost, residual in sorted(zip(costs.tolist(), residuals.tolist(), strict=True)):
        if points and residual >= points[-1][1] - tolerance:
            continue
        if points and points[-1][0] == cost:
            points.pop()
        points.append((cost, residual))
    return points


@pytest.fixture
def instance():
    return random_instance
