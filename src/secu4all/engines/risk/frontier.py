"""Cheapest sets of protective measures: exact budgeted optimisation and the cost–risk frontier."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from . import _validate

# Subtrees that could improve the objective by less than this fraction of the base risk are
# pruned: it keeps float round-off from splitting one frontier point into two.
RELATIVE_TOLERANCE = 1e-12


@dataclass(frozen=True)
class MeasureSelection:
    """A set of measures with its cost and the total residual risk it leaves.

    Attributes
    ----------
    chosen : indices of the chosen measures, ascending.
    cost : sum of their costs.
    residual_risk : ``sum_s base_risk[s] * prod_{i in chosen} (1 - effects[i, s])``.
    lower_bound : proven lower bound on the residual risk of any set within the same budget;
        equal to ``residual_risk`` (up to round-off) when the search finished.
    """

    chosen: tuple[int, ...]
    cost: float
    residual_risk: float
    lower_bound: float

    @property
    def gap(self) -> float:
        """``residual_risk - lower_bound``: 0 when the selection is proven optimal."""
        return max(0.0, self.residual_risk - self.lower_bound)


@dataclass(frozen=True)
class CostRiskFrontier:
    """Every Pareto-optimal (cost, residual risk) point, one set each, ordered by cost.

    Attributes
    ----------
    points : the selections; costs strictly increase and residual risks strictly decrease.
    base_risk : total risk with no measure, the residual risk of the empty set.
    complete : True when the search finished, so ``points`` is exactly the frontier.
    gap : proven bound on how much lower than ``points`` the residual risk at any budget
        could still be (0 when complete).
    nodes : search nodes expanded.
    """

    points: tuple[MeasureSelection, ...]
    base_risk: float
    complete: bool
    gap: float
    nodes: int

    def __iter__(self) -> Iterator[MeasureSelection]:
        return iter(self.points)

    def __len__(self) -> int:
        return len(self.points)

    def __getitem__(self, index: int) -> MeasureSelection:
        return self.points[index]


def _problem(
    base_risk: ArrayLike, effects: ArrayLike, costs: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    risk = _validate.array(base_risk, "base_risk", ndim=1)
    effect = _validate.array(effects, "effects", ndim=2)
    cost = _validate.array(costs, "costs", ndim=1)
    if effect.shape != (cost.size, risk.size):
        raise ValueError(
            f"effects must have shape (measures, scenarios) = ({cost.size}, {risk.size}), "
            f"got {effect.shape}"
        )
    if (where := _validate.first_violation(risk < 0)) is not None:
        raise ValueError(f"base_risk[{where[0]}]: {risk[where]!r} is negative")
    if (where := _validate.first_violation(cost < 0)) is not None:
        raise ValueError(f"costs[{where[0]}]: {cost[where]!r} is negative")
    if (where := _validate.first_violation((effect < 0) | (effect >= 1))) is not None:
        raise ValueError(f"effects[{where[0]}, {where[1]}]: {effect[where]!r} is outside [0, 1)")
    return risk, effect, cost


def residual_risk(base_risk: ArrayLike, effects: ArrayLike, chosen: ArrayLike) -> float:
    r"""Total residual risk after the chosen measures, assuming independent effects.

    .. math:: R(S) = \sum_s R_s \prod_{i \in S} (1 - e_{is})

    A measure removes the fraction ``e_is`` of the risk of scenario ``s`` that is left
    by the others (the "independent layers" rule of defence in depth; see e.g.
    Garcia, *Vulnerability Assessment of Physical Protection Systems*, 2006, ch. 13).
    """
    risk = _validate.array(base_risk, "base_risk", ndim=1)
    effect = _validate.array(effects, "effects", ndim=2)
    if effect.shape[1] != risk.size:
        raise ValueError(f"effects has {effect.shape[1]} scenarios, base_risk has {risk.size}")
    index = np.asarray(chosen, dtype=np.int64).ravel()
    if index.size and (index.min() < 0 or index.max() >= effect.shape[0]):
        raise ValueError(f"chosen contains an index outside 0..{effect.shape[0] - 1}")
    return float(risk @ np.prod(1.0 - effect[index], axis=0))


@dataclass
class _Node:
    remaining: np.ndarray  # per-scenario residual risk of the partial set
    cost: float
    chosen: tuple[int, ...]
    undecided: np.ndarray  # item indices still open in this subtree


@dataclass(frozen=True)
class _Relaxation:
    """Bound on the risk reduction reachable from a node, as a function of extra budget.

    ``g(S ∪ T) - g(S) <= sum_{i in T} Δ_i(S)`` because the reduction ``g`` is monotone
    submodular, so the best extra reduction with budget ``b`` is at most the
    fractional-knapsack optimum of the marginal gains ``Δ_i`` (Nemhauser, Wolsey &
    Fisher 1978); it is also at most ``g(S ∪ U) - g(S)`` with every open item taken.
    """

    items: np.ndarray  # open items by decreasing gain per euro
    breakpoints: np.ndarray  # cumulative cost, starting at 0
    gains: np.ndarray  # cumulative marginal gain, starting at 0
    ceiling: float  # g(S ∪ U) - g(S)

    def extra(self, budget: np.ndarray | float) -> np.ndarray:
        return np.minimum(np.interp(budget, self.breakpoints, self.gains), self.ceiling)


def _relax(node: _Node, effect: np.ndarray, cost: np.ndarray, cap: float) -> _Relaxation | None:
    open_items = node.undecided[cost[node.undecided] <= cap]
    if open_items.size == 0:
        return None
    rows = effect[open_items]
    gain = rows @ node.remaining
    useful = gain > 0
    if not useful.any():
        return None
    open_items, rows, gain = open_items[useful], rows[useful], gain[useful]
    order = np.argsort(-gain / cost[open_items], kind="stable")
    items = open_items[order]
    zero = np.zeros(1)
    ceiling = float(node.remaining.sum() - node.remaining @ np.prod(1.0 - rows, axis=0))
    return _Relaxation(
        items=items,
        breakpoints=np.concatenate([zero, np.cumsum(cost[items])]),
        gains=np.concatenate([zero, np.cumsum(gain[order])]),
        ceiling=ceiling,
    )


def _children(node: _Node, item: int, effect: np.ndarray, cost: np.ndarray) -> tuple[_Node, _Node]:
    rest = node.undecided[node.undecided != item]
    include = _Node(
        node.remaining * (1.0 - effect[item]),
        node.cost + cost[item],
        (*node.chosen, item),
        rest,
    )
    return _Node(node.remaining, node.cost, node.chosen, rest), include


def _root(risk: np.ndarray, effect: np.ndarray, cost: np.ndarray) -> _Node:
    # Free measures that help are in every optimal set; useless ones in none.
    useful = effect @ risk > 0
    free = np.flatnonzero(useful & (cost == 0))
    return _Node(
        risk * np.prod(1.0 - effect[free], axis=0),
        0.0,
        tuple(int(i) for i in free),
        np.flatnonzero(useful & (cost > 0)),
    )


def _greedy(root: _Node, effect: np.ndarray, cost: np.ndarray, budget: float) -> _Node:
    """Largest marginal gain per euro that still fits, until nothing fits (an incumbent)."""
    node = root
    while (relaxation := _relax(node, effect, cost, budget - node.cost)) is not None:
        node = _children(node, int(relaxation.items[0]), effect, cost)[1]
    return node


def _selection(node: _Node, lower_bound: float) -> MeasureSelection:
    residual = float(node.remaining.sum())
    return MeasureSelection(
        tuple(sorted(node.chosen)), float(node.cost), residual, min(lower_bound, residual)
    )


def optimal_measures(
    base_risk: ArrayLike,
    effects: ArrayLike,
    costs: ArrayLike,
    budget: float,
    *,
    node_limit: int | None = None,
) -> MeasureSelection:
    r"""The set of measures with the lowest total residual risk whose cost fits the budget.

    Minimises :math:`R(S) = \sum_s R_s \prod_{i \in S}(1 - e_{is})` subject to
    :math:`\sum_{i \in S} c_i \le B` exactly, by depth-first branch and bound: branch on
    the open measure with the largest marginal reduction per euro (include first), and
    prune a node when ``g(S) + knapsack_frac(Δ(S), B - c(S))`` — an upper bound on the
    reduction ``g = R(∅) - R`` because ``g`` is monotone submodular — cannot beat the
    best set found. A node whose open measures all fit is closed with all of them
    (``g`` is monotone). Measures with no effect are never chosen, free measures with an
    effect always are. The start incumbent is the cost-benefit greedy set.

    Parameters
    ----------
    base_risk : (scenarios,) non-negative risk per scenario, e.g. FEMA ``A × T × V``.
    effects : (measures, scenarios) fraction of a scenario's risk each measure removes,
        in ``[0, 1)``.
    costs : (measures,) non-negative cost of each measure (one cost basis throughout).
    budget : the most that may be spent; below the cheapest measure is an error.
    node_limit : stop after this many nodes; the result then carries a proven
        ``lower_bound`` and ``gap`` instead of being proven optimal.

    References
    ----------
    Nemhauser, Wolsey & Fisher (1978), *Math. Programming* 14, 265–294 (submodularity);
    Sviridenko (2004), *Oper. Res. Lett.* 32, 41–43 (budgeted submodular maximisation).
    """
    risk, effect, cost = _problem(base_risk, effects, costs)
    budget = _validate.non_negative(budget, "budget")
    if cost.size and budget < cost.min():
        cheapest = int(np.argmin(cost))
        raise ValueError(
            f"budget: {budget:g} is below the cost of every measure "
            f"(the cheapest, measures[{cheapest}], costs {cost[cheapest]:g})"
        )
    if node_limit is not None:
        _validate.count(node_limit, "node_limit")
    total = float(risk.sum())
    tolerance = RELATIVE_TOLERANCE * max(total, 1.0)
    root = _root(risk, effect, cost)
    best = _greedy(root, effect, cost, budget)
    best_gain = total - float(best.remaining.sum())
    stack = [root]
    nodes = 0
    while stack:
        if node_limit is not None and nodes >= node_limit:
            break
        node = stack.pop()
        nodes += 1
        relaxation = _relax(node, effect, cost, budget - node.cost)
        if relaxation is None:
            continue
        gain = total - float(node.remaining.sum())
        if gain + float(relaxation.extra(budget - node.cost)) <= best_gain + tolerance:
            continue
        if relaxation.breakpoints[-1] <= budget - node.cost:
            everything = node
            for item in relaxation.items:
                everything = _children(everything, int(item), effect, cost)[1]
            best, best_gain = everything, total - float(everything.remaining.sum())
            continue
        exclude, include = _children(node, int(relaxation.items[0]), effect, cost)
        include_gain = total - float(include.remaining.sum())
        if include_gain > best_gain:
            best, best_gain = include, include_gain
        stack += [exclude, include]
    open_bound = best_gain
    for node in stack:
        relaxation = _relax(node, effect, cost, budget - node.cost)
        if relaxation is not None:
            gain = total - float(node.remaining.sum())
            open_bound = max(open_bound, gain + float(relaxation.extra(budget - node.cost)))
    return _selection(best, total - open_bound)


class _Staircase:
    """The best reduction found so far at every budget: costs and gains both increasing."""

    def __init__(self, node: _Node, gain: float) -> None:
        self.costs = [node.cost]
        self.gains = [gain]
        self.nodes = [node]
        self._arrays: tuple[np.ndarray, np.ndarray] | None = None

    def offer(self, node: _Node, gain: float, tolerance: float) -> None:
        at = bisect.bisect_right(self.costs, node.cost)
        if at and self.gains[at - 1] >= gain - tolerance:
            return
        end = at
        while end < len(self.costs) and self.gains[end] <= gain + tolerance:
            end += 1
        # A point at exactly the same cost is dominated by the new, larger gain.
        start = at - 1 if at and self.costs[at - 1] == node.cost else at
        self.costs[start:end] = [node.cost]
        self.gains[start:end] = [gain]
        self.nodes[start:end] = [node]
        self._arrays = None

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        if self._arrays is None:
            self._arrays = (np.asarray(self.costs), np.asarray(self.gains))
        return self._arrays

    def shortfall(self, gain: float, cost: float, cap: float, relaxation: _Relaxation) -> float:
        """Largest amount by which the node's bound exceeds the staircase at any budget.

        The staircase is constant between its costs and the bound increases, so the
        worst budgets are just before each next staircase cost and the node's last budget.
        """
        costs, gains = self.arrays()
        after = np.searchsorted(costs, cost, side="right")
        extra = np.minimum(costs[after:] - cost, cap)
        worst = gain + relaxation.extra(extra) - gains[after - 1 : -1]
        last = gain + float(relaxation.extra(cap)) - gains[-1]
        return max(last, float(worst.max())) if worst.size else last


def cost_risk_frontier(
    base_risk: ArrayLike,
    effects: ArrayLike,
    costs: ArrayLike,
    *,
    max_budget: float | None = None,
    node_limit: int | None = None,
) -> CostRiskFrontier:
    r"""Every Pareto-optimal set of measures, ordered by cost.

    A set ``S`` is on the frontier if no other set costs no more and leaves less
    residual risk, or costs less and leaves no more; one set is returned per frontier
    point (ties within round-off are merged). The search is the branch and bound of
    :func:`optimal_measures` run for all budgets at once: the incumbent is a staircase
    ``best(b)`` of the largest reduction found at cost ``<= b``, and a node is pruned
    only if its submodular bound ``g(S) + knapsack_frac(Δ(S), b - c(S))`` is no larger
    than ``best(b)`` at every budget ``b >= c(S)`` (checked just before each staircase
    step, where the difference peaks).

    Parameters
    ----------
    base_risk, effects, costs : as for :func:`optimal_measures`.
    max_budget : only sets costing at most this are considered (default: no limit).
    node_limit : stop after this many nodes; the result then has ``complete=False``
        and a proven ``gap``.
    """
    risk, effect, cost = _problem(base_risk, effects, costs)
    limit = np.inf if max_budget is None else _validate.non_negative(max_budget, "max_budget")
    if node_limit is not None:
        _validate.count(node_limit, "node_limit")
    total = float(risk.sum())
    tolerance = RELATIVE_TOLERANCE * max(total, 1.0)
    root = _root(risk, effect, cost)
    staircase = _Staircase(root, total - float(root.remaining.sum()))
    stack = [root]
    nodes = 0
    while stack:
        if node_limit is not None and nodes >= node_limit:
            break
        node = stack.pop()
        nodes += 1
        cap = limit - node.cost
        relaxation = _relax(node, effect, cost, cap)
        if relaxation is None:
            continue
        gain = total - float(node.remaining.sum())
        if staircase.shortfall(gain, node.cost, cap, relaxation) <= tolerance:
            continue
        exclude, include = _children(node, int(relaxation.items[0]), effect, cost)
        staircase.offer(include, total - float(include.remaining.sum()), tolerance)
        stack += [exclude, include]
    gap = 0.0
    for node in stack:
        cap = limit - node.cost
        relaxation = _relax(node, effect, cost, cap)
        if relaxation is not None:
            gain = total - float(node.remaining.sum())
            gap = max(gap, staircase.shortfall(gain, node.cost, cap, relaxation))
    points = tuple(_selection(node, float(node.remaining.sum())) for node in staircase.nodes)
    if stack:
        points = tuple(
            MeasureSelection(p.chosen, p.cost, p.residual_risk, p.residual_risk - gap)
            for p in points
        )
    return CostRiskFrontier(points, total, not stack, gap, nodes)
