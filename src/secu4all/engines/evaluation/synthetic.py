"""Synthetic control for one treated area, and its placebo-in-space inference."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize

from secu4all.engines import _checks

from . import _validate

# A pre-period RMSPE above this share of the treated series' pre-period standard deviation
# means the synthetic explains less than about three quarters of its pre-period variation.
POOR_FIT_SHARE = 0.5


@dataclass(frozen=True)
class SyntheticControl:
    """Donor weights, the synthetic series and the treated − synthetic gap.

    ``predictor_weights`` is the chosen diagonal of V (summing to 1) when predictors were
    given, otherwise ``None``. ``fit_warning`` is True when the pre-period fit is too poor
    for the post-period gap to be read as an effect; ``fit_explanation`` says why in words.
    """

    weights: np.ndarray
    synthetic: np.ndarray
    gap: np.ndarray
    pre_rmspe: float
    post_rmspe: float
    rmspe_ratio: float
    predictor_weights: np.ndarray | None
    fit_warning: bool
    fit_explanation: str


@dataclass(frozen=True)
class PlaceboTest:
    """Placebo-in-space results; index 0 is the treated unit, 1..J the donors in order.

    ``included`` marks the units kept for the p-value (all, unless poorly fitted placebos
    were dropped); ``p_value`` is the treated unit's rank among the kept ratios divided by
    their number.
    """

    ratios: np.ndarray
    pre_rmspe: np.ndarray
    post_rmspe: np.ndarray
    gaps: np.ndarray
    included: np.ndarray
    p_value: float


def simplex_least_squares(
    matrix: ArrayLike, target: ArrayLike, *, tolerance: float = 1e-12, max_iterations: int = 0
) -> np.ndarray:
    r"""Exact minimiser of ``‖b − A w‖²`` over the simplex ``w ≥ 0, Σ w = 1``.

    An active-set method in the manner of Lawson & Hanson's NNLS (1974, *Solving Least
    Squares Problems*, ch. 23) with the equality constraint kept exactly: start from the
    best single column; while some column ``j`` outside the support has a negative reduced
    gradient ``g_j − μ`` (with ``g = Aᵀ(Aw − b)`` and ``μ`` the multiplier of ``Σw = 1``,
    equal to ``g_j`` on the support), add it, solve the equality-constrained least squares on
    the support by eliminating one weight (``w_k = 1 − Σ_{i≠k} w_i``), and step back to the
    boundary while a support weight would turn non-positive. It stops when the KKT
    conditions hold to ``tolerance`` relative to ``max|g|``, so the answer is the exact
    optimum up to rounding, not a general optimiser's loose default.
    """
    a = _checks.float_array(matrix, "matrix", ndim=2)
    b = _checks.float_array(target, "target", ndim=1)
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"matrix has {a.shape[0]} rows but target has {b.shape[0]} values")
    tolerance = _validate.positive_number(tolerance, "tolerance")
    max_iterations = _validate.integer(max_iterations, "max_iterations", low=0)
    return _simplex(a, b, tolerance, max_iterations or 10 * a.shape[1] + 100)


def _simplex(
    a: np.ndarray, b: np.ndarray, tolerance: float, limit: int, warm: np.ndarray | None = None
) -> np.ndarray:
    """The active-set iterations of :func:`simplex_least_squares`, without input checks.

    ``warm`` is a support to try first (the previous solution in the nested optimisation,
    where neighbouring V give the same support): if its equality-constrained optimum is
    positive the iterations start there instead of at the best single column.
    """
    columns = a.shape[1]
    weights = np.zeros(columns)
    support = np.zeros(columns, dtype=bool)
    if warm is not None and warm.any():
        candidate = _equality_least_squares(a[:, warm], b)
        if (candidate > 0).all():
            weights[warm] = candidate
            support = warm.copy()
    if not support.any():
        start = int(np.argmin(((a - b[:, None]) ** 2).sum(axis=0)))
        weights[start] = 1.0
        support[start] = True
    refused = np.zeros(columns, dtype=bool)
    for _ in range(limit):
        gradient = a.T @ (a @ weights - b)
        multiplier = gradient[support].mean()
        reduced = gradient - multiplier
        reduced[support | refused] = np.inf
        entering = int(np.argmin(reduced))
        scale = max(np.abs(gradient).max(), np.abs(a.T @ b).max(), 1e-300)
        if not reduced[entering] < -tolerance * scale:
            break
        support[entering] = True
        entered = _descend(a, b, weights, support)
        # Rank deficiency can make the entering column leave at once; refusing it until the
        # support changes again prevents cycling between the same two supports.
        refused[:] = False
        if not entered[entering]:
            refused[entering] = True
        support = entered
    return weights


def _descend(a: np.ndarray, b: np.ndarray, weights: np.ndarray, support: np.ndarray) -> np.ndarray:
    """Move ``weights`` (in place) towards the support's equality-constrained optimum."""
    while True:
        indices = np.flatnonzero(support)
        candidate = _equality_least_squares(a[:, indices], b)
        if (candidate > 0).all():
            weights[:] = 0.0
            weights[indices] = candidate
            return support
        current = weights[indices]
        blocked = candidate <= 0
        ratios = np.full(indices.size, np.inf)
        ratios[blocked] = current[blocked] / (current[blocked] - candidate[blocked])
        stop = int(np.argmin(ratios))
        moved = current + ratios[stop] * (candidate - current)
        moved[stop] = 0.0
        moved[moved < 1e-15] = 0.0
        moved /= moved.sum()
        weights[:] = 0.0
        weights[indices] = moved
        support = weights > 0


def _equality_least_squares(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Minimise ``‖b − A s‖²`` subject to ``Σ s = 1`` (no sign constraint)."""
    if a.shape[1] == 1:
        return np.ones(1)
    pivot = a[:, -1]
    reduced = a[:, :-1] - pivot[:, None]
    head = np.linalg.lstsq(reduced, b - pivot, rcond=None)[0]
    return np.append(head, 1.0 - head.sum())


def synthetic_control(
    treated: ArrayLike,
    donors: ArrayLike,
    *,
    pre_periods: int,
    predictors: ArrayLike | None = None,
    donor_predictors: ArrayLike | None = None,
) -> SyntheticControl:
    r"""Synthetic control of one treated unit from a pool of donors.

    Abadie & Gardeazabal (2003, *AER* 93:113–132); Abadie, Diamond & Hainmueller (2010,
    *JASA* 105:493–505). ``treated`` has shape (T,), ``donors`` (T, J); rows
    ``0..pre_periods−1`` lie before the intervention.

    Without predictors the weights solve ``min_w Σ_{t<T0} (Y_1t − Σ_j w_j Y_jt)²`` over the
    simplex exactly (:func:`simplex_least_squares`). With ``predictors`` (K,) and
    ``donor_predictors`` (K, J) each predictor is divided by its standard deviation over all
    J+1 units, and ``W(V) = argmin (X_1 − X_0 w)ᵀ V (X_1 − X_0 w)`` for a diagonal V ≥ 0 with
    ``tr V = 1``; V minimises the pre-period outcome MSPE of ``W(V)`` (the nested optimisation
    of R's Synth, Abadie, Diamond & Hainmueller 2011, *J. Stat. Softw.* 42(13)), by
    Nelder–Mead from equal weights and from the regression-based start, keeping the better.

    ``gap = treated − synthetic``; ``pre_rmspe = √(mean_{t<T0} gap²)``, ``post_rmspe`` likewise
    over the later rows (NaN there is skipped); ``rmspe_ratio = post_rmspe / pre_rmspe``.
    """
    y1, y0, t0 = _panel(treated, donors, pre_periods)
    _check_donors(y1, y0, t0)
    x1, x0 = _predictors(predictors, donor_predictors, y0.shape[1])
    return _fit(y1, y0, t0, x1, x0)


def placebo_test(
    treated: ArrayLike,
    donors: ArrayLike,
    *,
    pre_periods: int,
    predictors: ArrayLike | None = None,
    donor_predictors: ArrayLike | None = None,
    max_pre_rmspe_multiple: float | None = None,
) -> PlaceboTest:
    r"""Placebo-in-space inference for a synthetic control (Abadie et al. 2010, §2.4).

    The method is rerun with each donor in turn as if it were treated, its donor pool being
    the other donors (the treated unit is left out of every placebo pool). For each unit the
    ratio ``post_rmspe / pre_rmspe`` is computed; the p-value is
    ``#{kept units with ratio ≥ treated's ratio} / #{kept units}`` — the treated unit
    included, so the smallest attainable value is ``1/(J+1)``. With
    ``max_pre_rmspe_multiple = k`` placebos whose pre-period RMSPE exceeds k times the
    treated unit's are dropped (Abadie et al. 2010 use k = 5, 20, 2), because a unit the
    method cannot fit before the intervention tells nothing about a gap after it.
    """
    y1, y0, t0 = _panel(treated, donors, pre_periods)
    _check_donors(y1, y0, t0)
    if y0.shape[1] < 3:
        raise ValueError("placebo_test needs at least 3 donors: each placebo keeps 2 or more")
    if max_pre_rmspe_multiple is not None:
        max_pre_rmspe_multiple = _validate.positive_number(
            max_pre_rmspe_multiple, "max_pre_rmspe_multiple"
        )
    x1, x0 = _predictors(predictors, donor_predictors, y0.shape[1])
    units = y0.shape[1] + 1
    fits = [_fit(y1, y0, t0, x1, x0)]
    for unit in range(y0.shape[1]):
        others = np.delete(y0, unit, axis=1)
        placebo_x = None if x0 is None else x0[:, unit]
        placebo_x0 = None if x0 is None else np.delete(x0, unit, axis=1)
        fits.append(_fit(y0[:, unit], others, t0, placebo_x, placebo_x0))
    pre = np.array([fit.pre_rmspe for fit in fits])
    post = np.array([fit.post_rmspe for fit in fits])
    ratios = np.array([fit.rmspe_ratio for fit in fits])
    gaps = np.column_stack([fit.gap for fit in fits])
    included = np.ones(units, dtype=bool)
    if max_pre_rmspe_multiple is not None:
        included = pre <= max_pre_rmspe_multiple * pre[0]
        included[0] = True
    kept = ratios[included]
    p_value = float(np.count_nonzero(kept >= ratios[0]) / kept.size)
    return PlaceboTest(ratios, pre, post, gaps, included, p_value)


def _panel(treated: ArrayLike, donors: ArrayLike, pre_periods: int):
    """Validated (treated, donors, pre_periods); NaN is allowed only after the intervention."""
    y1 = _checks.float_array(treated, "treated", ndim=1, allow_nan=True)
    y0 = _checks.float_array(donors, "donors", ndim=2, allow_nan=True)
    if y0.shape[0] != y1.shape[0]:
        raise ValueError(
            f"donors has {y0.shape[0]} rows (periods) but treated has {y1.shape[0]}: "
            "donors must have shape (T, J)"
        )
    if y0.shape[1] < 2:
        raise ValueError(f"a synthetic control needs at least 2 donors, got {y0.shape[1]}")
    t0 = _validate.integer(pre_periods, "pre_periods", low=1, high=y1.shape[0] - 1)
    if np.isnan(y1[:t0]).any():
        at = _checks.first(np.isnan(y1[:t0]))
        raise ValueError(f"treated has a missing (NaN) value in the pre-period at row {at}")
    if np.isnan(y0[:t0]).any():
        row, column = _checks.first(np.isnan(y0[:t0]))
        raise ValueError(
            f"donors has a missing (NaN) value in the pre-period: row {row}, donor {column}"
        )
    return y1, y0, t0


def _check_donors(y1: np.ndarray, y0: np.ndarray, t0: int) -> None:
    """Refuse a constant treated series, constant donors and donors equal to the treated."""
    if np.ptp(y1[:t0]) == 0:
        raise ValueError("treated is constant in the pre-period: there is nothing to fit")
    constant = np.ptp(y0[:t0], axis=0) == 0
    if constant.any():
        raise ValueError(
            f"donor {_checks.first(constant)} is constant in the pre-period; remove it"
        )
    identical = (y0[:t0] == y1[:t0, None]).all(axis=0)
    if identical.any():
        raise ValueError(
            f"donor {_checks.first(identical)} is identical to the treated unit in the "
            "pre-period (is the treated unit also in the donor pool?)"
        )


def _predictors(predictors, donor_predictors, donor_count: int):
    """Validated predictors of the treated unit and the donors, or (None, None)."""
    if predictors is None and donor_predictors is None:
        return None, None
    if predictors is None or donor_predictors is None:
        raise ValueError("give both predictors and donor_predictors, or neither")
    x1 = _checks.float_array(predictors, "predictors", ndim=1)
    x0 = _checks.float_array(donor_predictors, "donor_predictors", ndim=2)
    if x0.shape != (x1.shape[0], donor_count):
        raise ValueError(
            f"donor_predictors must have shape ({x1.shape[0]}, {donor_count}) "
            f"(predictors × donors), got {x0.shape}"
        )
    spread = np.column_stack([x0, x1]).std(axis=1, ddof=1)
    if (spread == 0).any():
        raise ValueError(
            f"predictor {_checks.first(spread == 0)} has the same value for every unit"
        )
    return x1, x0


def _fit(y1, y0, t0, x1, x0) -> SyntheticControl:
    """Weights (outcome-only or nested V) and the summary of the fit."""
    z1, z0 = y1[:t0], y0[:t0]
    predictor_weights = None
    if x0 is None:
        weights = simplex_least_squares(z0, z1)
    else:
        # Scaled over the units of this fit (a placebo's own pool), as Synth does.
        spread = np.column_stack([x0, x1]).std(axis=1, ddof=1)
        spread[spread == 0] = 1.0
        predictor_weights, weights = _nested(z1, z0, x1 / spread, x0 / spread[:, None])
    synthetic = y0 @ weights if not np.isnan(y0).any() else _nan_synthetic(y0, weights)
    gap = y1 - synthetic
    pre = math.sqrt(float(np.mean(gap[:t0] ** 2)))
    post_gap = gap[t0:][~np.isnan(gap[t0:])]
    post = math.sqrt(float(np.mean(post_gap**2))) if post_gap.size else math.nan
    ratio = post / pre if pre > 0 else (math.inf if post > 0 else math.nan)
    warning, explanation = _fit_quality(z1, z0, pre)
    return SyntheticControl(
        weights, synthetic, gap, pre, post, ratio, predictor_weights, warning, explanation
    )


def _nan_synthetic(y0: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Synthetic series when a donor has NaN after the intervention: NaN only where it bites."""
    used = weights > 0
    return np.where(
        np.isnan(y0[:, used]).any(axis=1), np.nan, np.nan_to_num(y0[:, used]) @ weights[used]
    )


def _nested(z1, z0, x1, x0) -> tuple[np.ndarray, np.ndarray]:
    """Predictor weights V and donor weights W(V) minimising the pre-period outcome MSPE."""

    last_support = [None]
    limit = 10 * x0.shape[1] + 100

    def inner(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        v = np.abs(raw)
        v = v / v.sum() if v.sum() > 0 else np.full(v.size, 1 / v.size)
        root = np.sqrt(v)
        weights = _simplex(x0 * root[:, None], x1 * root, 1e-12, limit, last_support[0])
        last_support[0] = weights > 0
        return v, weights

    def loss(raw: np.ndarray) -> float:
        return float(np.mean((z1 - z0 @ inner(raw)[1]) ** 2))

    starts = [np.full(x1.size, 1 / x1.size), _regression_start(z1, z0, x1, x0)]
    best = None
    for start in starts:
        result = optimize.minimize(loss, start, method="Nelder-Mead", options={"maxiter": 1000})
        if best is None or result.fun < best.fun:
            best = result
    return inner(best.x)


def _regression_start(z1, z0, x1, x0) -> np.ndarray:
    """Synth's regression-based start: squared coefficients of outcomes on the predictors."""
    design = np.column_stack([np.ones(x0.shape[1] + 1), np.column_stack([x0, x1]).T])
    outcomes = np.column_stack([z0, z1]).T
    coefficients = np.linalg.lstsq(design, outcomes, rcond=None)[0][1:]
    start = (coefficients**2).sum(axis=1)
    return start / start.sum() if start.sum() > 0 else np.full(x1.size, 1 / x1.size)


def _fit_quality(z1: np.ndarray, z0: np.ndarray, pre_rmspe: float) -> tuple[bool, str]:
    """Whether the pre-period fit is too poor to read the gap, and why in plain words."""
    spread = float(np.std(z1))
    outside = float(np.mean((z1 > z0.max(axis=1)) | (z1 < z0.min(axis=1))))
    if pre_rmspe > POOR_FIT_SHARE * spread:
        return True, (
            f"The synthetic control misses the treated series before the intervention by "
            f"{pre_rmspe:.3g} on average (root mean square), more than half its own spread "
            f"({spread:.3g}): the donors cannot reproduce its past, so a gap afterwards is "
            "not evidence of an effect."
        )
    if outside > 0.25:
        return True, (
            f"In {outside:.0%} of the periods before the intervention the treated series lies "
            "outside the range of every donor: no weighted average of them can follow it."
        )
    return False, "The synthetic control follows the treated series closely before the start."
