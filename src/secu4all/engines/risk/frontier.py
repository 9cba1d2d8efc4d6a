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
        raise ValueError(f"base_risk[{where[0]}]: {float(risk[where])!r} is negative")
    if (where := _validate.first_violation(cost < 0)) is not None:
        raise ValueError(f"costs[{where[0]}]: {float(cost[where])!r} is negative")
    if (where := _validate.first_violation((effect < 0) | (effect >= 1))) is not None:
        raise ValueError(
            f"effects[{where[0]}, {where[1]}]: {float(effect[where])!r} is outside [0, 1)"
        )
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
class _Problem:
    risk: np.ndarray
    effect: np.ndarray
    hazard: np.ndarray  # -log(1 - effect), which adds up over measures
    cost: np.ndarray
    total: float
    tolerance: float

    def gain(self, node: _Node) -> float:
        """Risk removed by the node's set, ``g(S) = R(∅) - R(S)``."""
        return self.total - float(node.remaining.sum())


@dataclass(frozen=True)
class _Curve:
    """``const + knapsack_frac(weights, b)`` as a piecewise-linear function of the budget."""

    const: float
    breakpoints: np.ndarray  # cumulative cost by decreasing weight per euro, from 0
    gains: np.ndarray  # cumulative weight, from 0

    def __call__(self, budget: np.ndarray | float) -> np.ndarray:
        return self.const + np.interp(budget, self.breakpoints, self.gains)


def _curve(const: float, weights: np.ndarray, cost: np.ndarray) -> tuple[_Curve, np.ndarray]:
    order = np.argsort(-weights / cost, kind="stable")
    zero = np.zeros(1)
    curve = _Curve(
        const,
        np.concatenate([zero, np.cumsum(cost[order])]),
        np.concatenate([zero, np.cumsum(weights[order])]),
    )
    return curve, order


def _knapsack_point(curve: _Curve, order: np.ndarray, budget: float) -> np.ndarray:
    """The fractional-knapsack optimum itself: whole items by ratio, then a fraction."""
    point = np.zeros(order.size)
    whole = int(np.searchsorted(curve.breakpoints, budget, side="right")) - 1
    point[order[:whole]] = 1.0
    if whole < order.size:
        width = curve.breakpoints[whole + 1] - curve.breakpoints[whole]
        point[order[whole]] = (budget - curve.breakpoints[whole]) / width
    return point


# Frank-Wolfe step lengths tried at once on the relaxation (a vectorised line search).
_STEPS = np.linspace(0.0, 1.0, 17)[1:]


class _Relaxation:
    r"""Upper bounds on the extra risk reduction reachable from a node, per extra budget.

    With ``r`` the node's per-scenario risk and ``λ_is = -log(1 - e_is)``, taking the open
    measures ``T`` removes ``Σ_s r_s φ(Λ_s)``, ``φ(x) = 1 - exp(-x)``, ``Λ_s = Σ_{i∈T} λ_is``.
    For every scenario each of these is an upper bound that is linear in ``T``:

    * the chord ``Σ_{i∈T} e_is`` (union bound; summed over scenarios it is the
      submodular bound of Nemhauser, Wolsey & Fisher 1978),
    * a tangent of the concave ``φ`` at any ``a``: ``φ(a) + exp(-a)(Λ_s - a)``,
    * the ceiling ``φ(Σ_{i∈U} λ_is)`` of taking every open measure.

    Picking one per scenario gives ``const + Σ_{i∈T} w_i``, so the best ``T`` within budget
    ``b`` gains at most ``const + knapsack_frac(w, b)`` — a bound for every ``b`` at once.
    The pieces are chosen by Frank-Wolfe on the concave relaxation
    ``max_{x∈[0,1]^U, c·x≤b} Σ_s r_s min(chord, φ, ceiling)``: each iterate's supergradient
    is such a choice, and its curve is the Frank-Wolfe duality bound (Jaggi 2013).
    ``reachable(b)`` is the smallest curve, never above the gain of taking every open measure.
    """

    def __init__(self, node: _Node, open_items: np.ndarray, problem: _Problem) -> None:
        self.risk = node.remaining
        self.rows = problem.effect[open_items]
        self.rates = problem.hazard[open_items]
        self.price = problem.cost[open_items]
        gain = self.rows @ self.risk
        chord, self.order = _curve(0.0, gain, self.price)
        self.items = open_items[self.order]  # by decreasing marginal gain per euro
        self.curves = [chord]
        self.share_ceiling = -np.expm1(-self.rates.sum(axis=0))
        self.ceiling = float(self.risk @ self.share_ceiling)  # g(S ∪ U) - g(S)

    def reachable(self, budget: np.ndarray | float) -> np.ndarray:
        bound = np.minimum.reduce([curve(budget) for curve in self.curves])
        return np.minimum(bound, self.ceiling)

    def _value(self, points: np.ndarray) -> np.ndarray:
        chord = points @ self.rows
        concave = -np.expm1(-(points @ self.rates))
        return np.minimum(np.minimum(chord, concave), self.share_ceiling) @ self.risk

    def tighten(self, budget: float, iterations: int) -> None:
        """Add the Frank-Wolfe curves of the relaxation at this extra budget."""
        point = _knapsack_point(self.curves[0], self.order, budget)
        for _ in range(iterations):
            chord = point @ self.rows
            load = point @ self.rates
            concave = -np.expm1(-load)
            use_chord = (chord <= concave) & (chord <= self.share_ceiling)
            use_ceiling = ~use_chord & (concave >= self.share_ceiling)
            use_tangent = ~(use_chord | use_ceiling)
            tangent_const = concave - np.exp(-load) * load
            const = np.where(use_ceiling, self.share_ceiling, 0.0)
            const = np.where(use_tangent, tangent_const, const)
            weights = self.rates @ np.where(use_tangent, np.exp(-load) * self.risk, 0.0)
            weights += self.rows @ np.where(use_chord, self.risk, 0.0)
            curve, order = _curve(float(self.risk @ const), weights, self.price)
            self.curves.append(curve)
            vertex = _knapsack_point(curve, order, budget)
            trial = point + _STEPS[:, None] * (vertex - point)
            point = trial[int(np.argmax(self._value(trial)))]


def _relax(node: _Node, problem: _Problem, cap: float) -> _Relaxation | None:
    """The node's relaxation over the open measures that fit ``cap`` and help, if any."""
    open_items = node.undecided[problem.cost[node.undecided] <= cap]
    if open_items.size:
        open_items = open_items[problem.effect[open_items] @ node.remaining > 0]
    return _Relaxation(node, open_items, problem) if open_items.size else None


def _children(node: _Node, item: int, problem: _Problem) -> tuple[_Node, _Node]:
    """The node without and with ``item``."""
    rest = node.undecided[node.undecided != item]
    include = _Node(
        node.remaining * (1.0 - problem.effect[item]),
        node.cost + float(problem.cost[item]),
        (*node.chosen, item),
        rest,
    )
    return _Node(node.remaining, node.cost, node.chosen, rest), include


def _prepare(base_risk: ArrayLike, effects: ArrayLike, costs: ArrayLike) -> tuple[_Problem, _Node]:
    """The validated problem and its root node."""
    risk, effect, cost = _problem(base_risk, effects, costs)
    total = float(risk.sum())
    problem = _Problem(
        risk, effect, -np.log1p(-effect), cost, total, RELATIVE_TOLERANCE * max(total, 1.0)
    )
    # Free measures that help are in every optimal set; useless ones in none.
    useful = effect @ risk > 0
    free = np.flatnonzero(useful & (cost == 0))
    root = _Node(
        risk * np.prod(1.0 - effect[free], axis=0),
        0.0,
        tuple(int(i) for i in free),
        np.flatnonzero(useful & (cost > 0)),
    )
    return problem, root


def _greedy(root: _Node, problem: _Problem, budget: float) -> _Node:
    """Largest marginal gain per euro that still fits, until nothing fits (an incumbent)."""
    node = root
    while (relaxation := _relax(node, problem, budget - node.cost)) is not None:
        node = _children(node, int(relaxation.items[0]), problem)[1]
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
    iterations: int = 4,
) -> MeasureSelection:
    r"""The set of measures with the lowest total residual risk whose cost fits the budget.

    Minimises :math:`R(S) = \sum_s R_s \prod_{i \in S}(1 - e_{is})` subject to
    :math:`\sum_{i \in S} c_i \le B` exactly, by depth-first branch and bound on the
    risk reduction ``g(S) = R(∅) - R(S)``: branch on the open measure with the largest
    marginal reduction per euro (include first), and prune a node when ``g(S)`` plus the
    bound of its relaxation (see ``_Relaxation``: the submodular fractional-knapsack
    bound, tightened by Frank-Wolfe tangents of ``1 - exp(-Λ)``) cannot beat the best set
    found. A node whose open measures all fit is closed with all of them (``g`` is
    monotone). Measures without effect are never chosen, free ones with an effect always
    are. The start incumbent is the cost-benefit greedy set.

    Parameters
    ----------
    base_risk : (scenarios,) non-negative risk per scenario, e.g. FEMA ``A × T × V``.
    effects : (measures, scenarios) fraction of a scenario's risk each measure removes,
        in ``[0, 1)``.
    costs : (measures,) non-negative cost of each measure (one cost basis throughout).
    budget : the most that may be spent; below the cheapest measure is an error.
    node_limit : stop after this many nodes; the result then carries a proven
        ``lower_bound`` and ``gap`` instead of being proven optimal.
    iterations : Frank-Wolfe iterations per node (more: fewer nodes, dearer nodes).

    References
    ----------
    Nemhauser, Wolsey & Fisher (1978), *Math. Programming* 14, 265–294 (submodular bound);
    Jaggi (2013), *ICML*, "Revisiting Frank-Wolfe" (duality gap as a certified bound).
    """
    problem, root = _prepare(base_risk, effects, costs)
    budget = _validate.non_negative(budget, "budget")
    cost = problem.cost
    if cost.size and budget < cost.min():
        cheapest = int(np.argmin(cost))
        raise ValueError(
            f"budget: {budget:g} is below the cost of every measure "
            f"(the cheapest, measures[{cheapest}], costs {cost[cheapest]:g})"
        )
    if node_limit is not None:
        _validate.count(node_limit, "node_limit")
    _validate.count(iterations, "iterations")
    best = _greedy(root, problem, budget)
    best_gain = problem.gain(best)

    def bound(node: _Node) -> tuple[float, _Relaxation | None]:
        cap = budget - node.cost
        relaxation = _relax(node, problem, cap)
        if relaxation is None:
            return problem.gain(node), None
        upper = problem.gain(node) + float(relaxation.reachable(cap))
        if upper > best_gain + problem.tolerance:
            relaxation.tighten(cap, iterations)
            upper = problem.gain(node) + float(relaxation.reachable(cap))
        return upper, relaxation

    stack = [root]
    nodes = 0
    while stack and (node_limit is None or nodes < node_limit):
        node = stack.pop()
        nodes += 1
        upper, relaxation = bound(node)
        if relaxation is None or upper <= best_gain + problem.tolerance:
            continue
        if relaxation.curves[0].breakpoints[-1] <= budget - node.cost:
            everything = node
            for item in relaxation.items:
                everything = _children(everything, int(item), problem)[1]
            best, best_gain = everything, problem.gain(everything)
            continue
        exclude, include = _children(node, int(relaxation.items[0]), problem)
        if problem.gain(include) > best_gain:
            best, best_gain = include, problem.gain(include)
        stack += [exclude, include]
    open_bound = max([best_gain, *(bound(node)[0] for node in stack)])
    return _selection(best, problem.total - open_bound)


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

    def shortfall(
        self, gain: float, cost: float, cap: float, relaxation: _Relaxation
    ) -> tuple[float, float]:
        """Largest excess of the node's bound over the staircase, and the extra budget there.

        The staircase is constant between its costs and the bound increases, so the
        worst budgets are just before each next staircase cost and the node's last budget.
        """
        costs, gains = self.arrays()
        after = int(np.searchsorted(costs, cost, side="right"))
        extra = np.append(np.minimum(costs[after:] - cost, cap), cap)
        excess = gain + relaxation.reachable(extra) - gains[after - 1 :]
        worst = int(np.argmax(excess))
        return float(excess[worst]), float(extra[worst])


def cost_risk_frontier(
    base_risk: ArrayLike,
    effects: ArrayLike,
    costs: ArrayLike,
    *,
    max_budget: float | None = None,
    node_limit: int | None = None,
    iterations: int = 2,
    refinements: int = 3,
) -> CostRiskFrontier:
    r"""Every Pareto-optimal set of measures, ordered by cost.

    A set ``S`` is on the frontier if no other set costs no more and leaves less
    residual risk, or costs less and leaves no more; one set is returned per frontier
    point (ties within round-off are merged). The search is the branch and bound of
    :func:`optimal_measures` run for all budgets at once: the incumbent is a staircase
    ``best(b)``, the largest reduction found at cost ``<= b``, and a node is pruned only
    if its relaxation bound is no larger than ``best(b)`` at every budget ``b >= c(S)``
    (checked just before each staircase step, where the excess peaks). The bound starts
    as the submodular one and is tightened by Frank-Wolfe at the budget where it
    exceeds the staircase most, up to ``refinements`` times per node.

    Parameters
    ----------
    base_risk, effects, costs : as for :func:`optimal_measures`.
    max_budget : only sets costing at most this are considered (default: no limit).
    node_limit : stop after this many nodes; the result then has ``complete=False``
        and a proven ``gap``.
    iterations, refinements : Frank-Wolfe effort per tightening and tightenings per node.
    """
    problem, root = _prepare(base_risk, effects, costs)
    limit = np.inf if max_budget is None else _validate.non_negative(max_budget, "max_budget")
    if node_limit is not None:
        _validate.count(node_limit, "node_limit")
    _validate.count(iterations, "iterations")
    _validate.count(refinements, "refinements")
    staircase = _Staircase(root, problem.gain(root))

    def excess(node: _Node) -> tuple[float, _Relaxation | None]:
        cap = limit - node.cost
        relaxation = _relax(node, problem, cap)
        if relaxation is None:
            return 0.0, None
        worst, where = staircase.shortfall(problem.gain(node), node.cost, cap, relaxation)
        for _ in range(refinements):
            if worst <= problem.tolerance:
                break
            relaxation.tighten(where, iterations)
            worst, where = staircase.shortfall(problem.gain(node), node.cost, cap, relaxation)
        return worst, relaxation

    stack = [root]
    nodes = 0
    while stack and (node_limit is None or nodes < node_limit):
        node = stack.pop()
        nodes += 1
        worst, relaxation = excess(node)
        if relaxation is None or worst <= problem.tolerance:
            continue
        exclude, include = _children(node, int(relaxation.items[0]), problem)
        staircase.offer(include, problem.gain(include), problem.tolerance)
        stack += [exclude, include]
    gap = max([0.0, *(excess(node)[0] for node in stack)])
    points = tuple(_selection(node, float(node.remaining.sum()) - gap) for node in staircase.nodes)
    return CostRiskFrontier(points, problem.total, not stack, gap, nodes)
