"""Survey weights: Kish's effective sample size, post-stratification and raking to margins.

Respondents are weighted so that the weighted sample reproduces known population counts
(from the municipal population register: age band × sex per neighbourhood). Every check
on the margins raises a :class:`MarginError` naming the variable and category at fault.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from secu4all.engines import _checks

from . import _validate
from ._validate import shown
from .errors import MarginError

#: Margins of different variables must describe the same population; totals may differ by
#: this relative amount (rounding in published tables) and are then scaled to their mean.
TOTAL_TOLERANCE = 0.005


def kish_effective_n(weights: ArrayLike) -> float:
    r"""Kish's effective sample size ``n_eff = (Σ w_i)² / Σ w_i²``.

    The number of equally weighted respondents that would give the same precision for a
    mean as these unequally weighted ones; ``n / n_eff = 1 + CV²(w)`` is the design
    effect due to weighting (Kish 1965, *Survey Sampling*, §11.7; Kish 1992, J. Off.
    Stat. 8:183–200). Equals ``n`` for equal weights.
    """
    w = _validate.weights_vector(weights)
    return float(w.sum() ** 2 / np.square(w).sum())


def check_margins(margins: Mapping[str, Mapping[Hashable, float]]) -> None:
    """Validate population margins on their own (for instance, when a margin file is imported).

    Each variable (``"age_band"``, ``"sex"``) maps its categories to population counts.
    Counts must be finite and non-negative, each variable's total positive, and all
    variables must describe the same population: totals that differ by more than 0.5 %
    raise a :class:`MarginError` naming both variables and their totals.
    """
    if not isinstance(margins, Mapping) or not margins:
        raise MarginError("margins are empty: give at least one variable with its categories")
    totals: dict[str, float] = {}
    for variable, categories in margins.items():
        if not isinstance(categories, Mapping) or not categories:
            raise MarginError(f"margin of {variable!r} has no categories")
        for category, count in categories.items():
            if (
                isinstance(count, bool)
                or not isinstance(count, int | float | np.integer | np.floating)
                or not math.isfinite(count)
                or count < 0
            ):
                raise MarginError(
                    f"margin of {variable!r}, category {shown(category)}: population must be a "
                    f"finite number of at least 0, got {shown(count)}"
                )
        totals[variable] = float(sum(categories.values()))
        if totals[variable] <= 0:
            raise MarginError(f"margin of {variable!r} has a total population of 0")
    smallest = min(totals, key=totals.__getitem__)
    largest = max(totals, key=totals.__getitem__)
    if totals[largest] > totals[smallest] * (1 + TOTAL_TOLERANCE):
        raise MarginError(
            f"margins describe different populations: {largest!r} sums to "
            f"{totals[largest]:,.0f} but {smallest!r} sums to {totals[smallest]:,.0f} "
            f"(they may differ by at most {TOTAL_TOLERANCE:.1%})"
        )


def post_stratify(
    cells: Sequence[Hashable],
    population: Mapping[Hashable, float],
    base_weights: ArrayLike | None = None,
) -> np.ndarray:
    r"""Post-stratified weights: the weights in each cell sum to that cell's population.

    ``w_i = d_i · N_c / Σ_{j ∈ c} d_j`` for respondent ``i`` in cell ``c`` with base
    weight ``d_i`` (1 when not given) and population count ``N_c`` (Holt & Smith 1979,
    JRSS A 142:33–46; Lumley 2010, *Complex Surveys*, §7.2). A cell is any hashable, for
    instance ``(neighbourhood, age_band, sex)``.

    Raises :class:`MarginError` when a respondent's cell is missing from ``population``,
    when a cell with a positive population has no respondents (collapse it with a
    neighbouring cell: its people would otherwise be silently dropped from every
    estimate), or when a cell with respondents has a population of 0.
    """
    _check_counts("population", population)
    codes, labels = _validate.group_codes(cells, "cells")
    n = codes.size
    if n == 0:
        raise ValueError("cells is empty: there are no respondents")
    base = _base_weights(base_weights, n)
    counts = np.bincount(codes, minlength=len(labels))
    for label, count in zip(labels, counts, strict=True):
        if label not in population:
            raise MarginError(
                f"cell {shown(label)} has {count} respondent(s) but no population count"
            )
    present = set(labels)
    for label, size in population.items():
        if size > 0 and label not in present:
            raise MarginError(
                f"cell {shown(label)} has a population of {size:,.0f} but no respondents; "
                "collapse it with a neighbouring cell"
            )
    targets = np.array([float(population[label]) for label in labels])
    sums = np.bincount(codes, weights=base, minlength=len(labels))
    _check_fillable("cell", labels, targets, sums)
    return base * (targets / sums)[codes]


def rake(
    variables: Mapping[str, Sequence[Hashable]],
    margins: Mapping[str, Mapping[Hashable, float]],
    base_weights: ArrayLike | None = None,
    *,
    tol: float = 1e-8,
    max_iter: int = 200,
) -> np.ndarray:
    r"""Raking (iterative proportional fitting) of the weights to several population margins.

    Starting from the base weights, each pass rescales the weights so that they
    reproduce one variable's margin, ``w_i ← w_i · N_{v,c} / Σ_{j ∈ c} w_j`` for the
    category ``c`` of respondent ``i`` on variable ``v``, and cycles over the variables
    until every category sum is within ``tol`` (relative) of its margin (Deming &
    Stephan 1940, Ann. Math. Stat. 11:427–444). The limit is the calibration estimator
    with the raking distance of Deville & Särndal 1992 (JASA 87:376–382); Lumley 2010,
    §7.3. Margins whose totals differ within 0.5 % are first scaled to their mean total,
    since no weights can meet two different totals.

    Raises :class:`MarginError` when the margins fail :func:`check_margins`, the
    variables and margins name different variables, a category in the data is absent
    from the margins, a margin category with a positive population has no respondents,
    or the fit has not converged after ``max_iter`` passes (it says how far off it is
    and where; usually a combination of categories has no respondents).
    """
    check_margins(margins)
    if set(variables) != set(margins):
        raise MarginError(
            f"variables {sorted(variables)} and margins {sorted(margins)} do not match"
        )
    tol = _validate.finite_number(tol, "tol")
    if tol <= 0:
        raise ValueError(f"tol must be positive, got {tol!r}")
    max_iter = _validate.minimum_count(max_iter, "max_iter")
    if max_iter < 1:
        raise ValueError(f"max_iter must be at least 1, got {max_iter}")
    n = _checks.same_length(**{name: variables[name] for name in variables})
    if n == 0:
        raise ValueError("variables are empty: there are no respondents")
    base = _base_weights(base_weights, n)

    common_total = float(np.mean([sum(margins[name].values()) for name in variables]))
    fits = [
        _Margin.build(name, variables[name], margins[name], base, common_total)
        for name in variables
    ]

    weights = base.copy()
    gap, where = math.inf, ""
    for _ in range(max_iter):
        for fit in fits:
            sums = np.bincount(fit.codes, weights=weights, minlength=fit.targets.size)
            weights *= fit.factors(sums)[fit.codes]
        gap, where = max(fit.gap(weights) for fit in fits)
        if gap <= tol:
            return weights
    raise MarginError(
        f"raking did not converge after {max_iter} iterations: the largest remaining gap "
        f"is {gap:.4%} of the margin, for {where}; some combinations of categories "
        "probably have no respondents (collapse categories)"
    )


def rake_by_group(
    groups: Sequence[Hashable],
    variables: Mapping[str, Sequence[Hashable]],
    margins: Mapping[Hashable, Mapping[str, Mapping[Hashable, float]]],
    base_weights: ArrayLike | None = None,
    *,
    tol: float = 1e-8,
    max_iter: int = 200,
) -> np.ndarray:
    """:func:`rake` separately within each group, for instance each neighbourhood.

    ``margins`` maps each group to its own margins (``{"Noord": {"age_band": {...},
    "sex": {...}}, ...}``), so each neighbourhood's weights reproduce its own age and sex
    counts. Every :class:`MarginError` is prefixed with the group at fault. A group in the
    data without margins, or a group in the margins with people but no respondents,
    raises too.
    """
    codes, labels = _validate.group_codes(groups, "groups")
    n = _checks.same_length(groups=codes, **{name: variables[name] for name in variables})
    if n == 0:
        raise ValueError("groups is empty: there are no respondents")
    base = _base_weights(base_weights, n)
    for label in labels:
        if label not in margins:
            raise MarginError(f"group {shown(label)} has respondents but no margins")
    present = set(labels)
    for label, group_margins in margins.items():
        if label not in present and any(
            sum(categories.values()) > 0 for categories in group_margins.values()
        ):
            raise MarginError(f"group {shown(label)} has a population but no respondents")
    weights = np.empty(n)
    for k, label in enumerate(labels):
        rows = np.flatnonzero(codes == k)
        subset = {name: [variables[name][i] for i in rows] for name in variables}
        try:
            weights[rows] = rake(subset, margins[label], base[rows], tol=tol, max_iter=max_iter)
        except MarginError as error:
            raise MarginError(f"group {shown(label)}: {error}") from error
    return weights


class _Margin:
    """One raking variable: respondents' category codes and the target per category."""

    def __init__(
        self, name: str, labels: list[Hashable], codes: np.ndarray, targets: np.ndarray
    ) -> None:
        self.name, self.labels, self.codes, self.targets = name, labels, codes, targets

    @classmethod
    def build(
        cls,
        name: str,
        values: Sequence[Hashable],
        margin: Mapping[Hashable, float],
        base: np.ndarray,
        common_total: float,
    ) -> _Margin:
        codes, labels = _validate.group_codes(values, name)
        for label in labels:
            if label not in margin:
                count = int(np.count_nonzero(codes == labels.index(label)))
                raise MarginError(
                    f"{name!r}: category {shown(label)} has {count} respondent(s) but is not "
                    "in the margins"
                )
        present = set(labels)
        for label, size in margin.items():
            if size > 0 and label not in present:
                raise MarginError(
                    f"{name!r}: category {shown(label)} has a population of {size:,.0f} but no "
                    "respondents; collapse it with a neighbouring category"
                )
        scale = common_total / float(sum(margin.values()))
        targets = np.array([float(margin[label]) * scale for label in labels])
        sums = np.bincount(codes, weights=base, minlength=len(labels))
        _check_fillable(repr(name) + " category", labels, targets, sums)
        return cls(name, labels, codes, targets)

    def factors(self, sums: np.ndarray) -> np.ndarray:
        return self.targets / sums

    def gap(self, weights: np.ndarray) -> tuple[float, str]:
        sums = np.bincount(self.codes, weights=weights, minlength=self.targets.size)
        relative = np.abs(sums - self.targets) / self.targets
        worst = int(np.argmax(relative))
        return float(relative[worst]), f"{self.name} = {shown(self.labels[worst])}"


def _base_weights(base_weights: ArrayLike | None, n: int) -> np.ndarray:
    if base_weights is None:
        return np.ones(n)
    base = _validate.weights_vector(base_weights, "base_weights")
    if base.size != n:
        raise ValueError(f"lengths do not match: base_weights has {base.size}, respondents {n}")
    return base


def _check_counts(name: str, counts: Mapping[Hashable, float]) -> None:
    check_margins({name: counts})


def _check_fillable(
    what: str, labels: list[Hashable], targets: np.ndarray, sums: np.ndarray
) -> None:
    """Raise where respondents cannot carry their category's population."""
    for label, target, total in zip(labels, targets, sums, strict=True):
        if target == 0:
            raise MarginError(
                f"{what} {shown(label)} has respondents but a population of 0; their answers "
                "would be weighted away"
            )
        if total == 0:
            raise MarginError(
                f"{what} {shown(label)} has respondents but their base weights sum to 0"
            )
