"""Budgeted optimisation and the cost–risk frontier against brute force."""

from __future__ import annotations

import numpy as np
import pytest

from secu4all.engines.risk import cost_risk_frontier, optimal_measures, residual_risk

from .conftest import all_sets, pareto, random_instance


@pytest.mark.parametrize("seed", range(12))
def test_optimal_measures_matches_brute_force(seed: int) -> None:
    n = 8 + seed
    risk, effects, costs = random_instance(seed, n, 6)
    _, set_costs, residuals = all_sets(risk, effects, costs)
    rng = np.random.default_rng(seed)
    for budget in rng.uniform(costs.min(), costs.sum(), 4):
        result = optimal_measures(risk, effects, costs, budget)
        best = residuals[set_costs <= budget].min()
        assert result.residual_risk == pytest.approx(best, rel=1e-9)
        assert result.cost <= budget
        assert result.gap == pytest.approx(0, abs=1e-6)
        assert residual_risk(risk, effects, result.chosen) == pytest.approx(result.residual_risk)


def test_optimal_measures_twenty_measures() -> None:
    risk, effects, costs = random_instance(99, 20, 20, density=0.2)
    _, set_costs, residuals = all_sets(risk, effects, costs)
    for share in (0.1, 0.3, 0.6):
        budget = share * costs.sum()
        result = optimal_measures(risk, effects, costs, budget)
        assert result.residual_risk == pytest.approx(residuals[set_costs <= budget].min(), rel=1e-9)


@pytest.mark.parametrize(("seed", "n"), [(1, 6), (2, 10), (3, 14), (4, 16)])
def test_frontier_matches_brute_force(seed: int, n: int) -> None:
    risk, effects, costs = random_instance(seed, n, 5, density=0.4)
    _, set_costs, residuals = all_sets(risk, effects, costs)
    expected = pareto(set_costs, residuals, 1e-9 * risk.sum())
    frontier = cost_risk_frontier(risk, effects, costs)
    assert frontier.complete
    assert frontier.gap == 0
    got = [(point.cost, point.residual_risk) for point in frontier]
    assert len(got) == len(expected)
    np.testing.assert_allclose(got, expected, rtol=1e-9)
    for point in frontier:
        assert costs[list(point.chosen)].sum() == pytest.approx(point.cost)
    assert frontier[0].chosen == ()
    assert frontier[0].residual_risk == pytest.approx(risk.sum())


def test_frontier_with_max_budget_is_a_prefix() -> None:
    risk, effects, costs = random_instance(5, 12, 5)
    full = cost_risk_frontier(risk, effects, costs)
    limit = float(np.median([point.cost for point in full]))
    part = cost_risk_frontier(risk, effects, costs, max_budget=limit)
    assert [p.cost for p in part] == [p.cost for p in full if p.cost <= limit]


def test_node_limit_reports_a_proven_gap() -> None:
    risk, effects, costs = random_instance(7, 20, 10)
    _, set_costs, residuals = all_sets(risk, effects, costs)
    budget = 0.3 * costs.sum()
    result = optimal_measures(risk, effects, costs, budget, node_limit=3)
    best = residuals[set_costs <= budget].min()
    assert result.lower_bound <= best + 1e-9 <= result.residual_risk + 1e-9
    frontier = cost_risk_frontier(risk, effects, costs, node_limit=20)
    assert not frontier.complete
    assert frontier.gap > 0
    for point in frontier:
        true_best = residuals[set_costs <= point.cost].min()
        assert point.residual_risk - frontier.gap <= true_best + 1e-9


def test_useless_and_free_measures() -> None:
    risk = np.array([100.0, 50.0])
    effects = np.array([[0.0, 0.0], [0.5, 0.0], [0.0, 0.2]])
    costs = np.array([1.0, 10.0, 0.0])
    result = optimal_measures(risk, effects, costs, 10.0)
    assert result.chosen == (1, 2)
    assert result.residual_risk == pytest.approx(50 + 40)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"costs": [-1.0, 2.0]}, r"costs\[0\]: -1.0 is negative"),
        ({"effects": [[0.2, 1.0], [0.1, 0.1]]}, r"effects\[0, 1\]: 1.0 is outside \[0, 1\)"),
        ({"effects": [[0.2, -0.1], [0.1, 0.1]]}, r"effects\[0, 1\]"),
        ({"budget": 0.5}, r"budget: 0.5 is below the cost of every measure"),
        ({"budget": -1}, "budget: -1 is negative"),
        ({"base_risk": [1.0, np.nan]}, r"base_risk\[1\]"),
        ({"effects": [[0.2, 0.1]]}, "effects must have shape"),
    ],
)
def test_bad_input(kwargs: dict, message: str) -> None:
    problem = {
        "base_risk": [10.0, 20.0],
        "effects": [[0.2, 0.1], [0.1, 0.3]],
        "costs": [1.0, 2.0],
        "budget": 2.0,
    } | kwargs
    with pytest.raises(ValueError, match=message):
        optimal_measures(**problem)
