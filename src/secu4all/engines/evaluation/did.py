"""Difference-in-differences for several treated and comparison areas over time."""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from secu4all.engines import _checks

from . import _validate

# Below this many clusters the cluster-robust t test over-rejects (Cameron, Gelbach & Miller
# 2008); the wild cluster bootstrap takes over.
BOOTSTRAP_BELOW_CLUSTERS = 30
# Up to this many clusters every Rademacher sign pattern is enumerated (2^13 = 8,192).
ENUMERATE_UP_TO_CLUSTERS = 13
_DEMEAN_TOLERANCE = 1e-11
_DEMEAN_MAX_ROUNDS = 10_000


@dataclass(frozen=True)
class PreTrend:
    """Joint Wald test that the leads (periods before the start) are all zero.

    ``leads`` are the event times (−2, −3, …; −1 is the reference) and ``coefficients``
    their estimates; a small ``p_value`` means treated and comparison areas were already
    drifting apart before the start, which undermines the parallel-trends assumption.
    """

    leads: np.ndarray
    coefficients: np.ndarray
    statistic: float
    df: int
    p_value: float


@dataclass(frozen=True)
class DiDResult:
    """The treatment effect with its interval and p-value, and the pre-trend test.

    For ``model="poisson"`` ``effect`` is the log rate ratio and ``rate_ratio`` (with its
    interval) is ``exp`` of it; for ``"linear"`` ``rate_ratio`` and its bounds are NaN.
    ``inference`` names how ``ci`` and ``p_value`` were obtained.
    """

    effect: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    rate_ratio: float
    rate_ratio_low: float
    rate_ratio_high: float
    clusters: int
    observations: int
    model: str
    inference: str
    pre_trend: PreTrend | None


def did(
    outcome: ArrayLike,
    area: Sequence[Hashable],
    period: ArrayLike,
    treated: ArrayLike,
    *,
    model: str = "linear",
    exposure: ArrayLike | None = None,
    level: float = 0.95,
    bootstrap_draws: int = 9999,
    seed: int = 0,
    leads: int = 3,
) -> DiDResult:
    r"""Two-way fixed-effects difference-in-differences on a long (area × period) panel.

    ``y_it = α_i + λ_t + β D_it + ε_it`` (``model="linear"``, for rates) or
    ``E[y_it] = exposure_it · exp(α_i + λ_t + β D_it)`` (``model="poisson"``, for counts with
    exposure = population; Poisson pseudo-likelihood, Santos Silva & Tenreyro 2006). The
    fixed effects are swept out by alternating (weighted) projections (Guimarães & Portugal
    2010; Correia 2016), so unbalanced panels are fine and the estimate equals the dummy
    regression's.

    Standard errors are clustered by area: ``V = c · B⁻¹ (Σ_g s_g s_gᵀ) B⁻¹`` with the scores
    ``s_g`` summed over area g, the Hessian B and ``c = G/(G−1) · (N−1)/(N−K)`` where K counts
    every fixed effect, as statsmodels does for the dummy regression. The interval and p-value
    use t with G−1 degrees of freedom (Cameron & Miller 2015, *J. Human Resources* 50:317).
    With fewer than 30 areas they come from the wild cluster bootstrap with the null imposed
    (WCR, Rademacher weights; Cameron, Gelbach & Miller 2008, *REStat* 90:414), every sign
    pattern enumerated up to 13 areas, the interval by test inversion (linear model; for
    Poisson the score bootstrap of Kline & Santos 2012 gives the p-value and the interval
    stays the t interval).

    ``D_it`` is 0/1. When areas start at different periods, plain TWFE weights some effects
    negatively (Goodman-Bacon 2021): use :func:`staggered_did` for the effect, and read this
    one as a check. The pre-trend test adds leads ``1{t = start_i + e}``, e = −2 … −(leads+1),
    for every treated area and tests them jointly (Wald, cluster-robust); it is ``None`` when
    no lead can be formed.
    """
    data = _panel(outcome, area, period, treated, model, exposure)
    level = _validate.level(level)
    bootstrap_draws = _validate.integer(bootstrap_draws, "bootstrap_draws", low=99)
    leads = _validate.integer(leads, "leads", low=0)
    fit = _fit(data, data.treatment[:, None])
    clusters = data.area_count
    estimate, se = float(fit.beta[0]), float(math.sqrt(fit.covariance[0, 0]))
    alpha = 1 - level
    if clusters < BOOTSTRAP_BELOW_CLUSTERS:
        signs = _signs(clusters, bootstrap_draws, seed)
        if model == "linear":
            p_value = _wild_p(fit, data, 0.0, signs)
            low, high = _wild_interval(fit, data, estimate, se, signs, alpha)
            inference = "wild cluster bootstrap (WCR, Rademacher), interval by test inversion"
        else:
            p_value = _score_p(data, signs)
            half = stats.t.ppf(1 - alpha / 2, clusters - 1) * se
            low, high = estimate - half, estimate + half
            inference = "wild score bootstrap p-value (Rademacher); cluster-robust t interval"
    else:
        t_value = estimate / se if se > 0 else math.inf
        p_value = float(2 * stats.t.sf(abs(t_value), clusters - 1))
        half = stats.t.ppf(1 - alpha / 2, clusters - 1) * se
        low, high = estimate - half, estimate + half
        inference = f"cluster-robust (CR1) t with {clusters - 1} df"
    ratio = (math.nan,) * 3
    if model == "poisson":
        ratio = (math.exp(estimate), math.exp(low), math.exp(high))
    return DiDResult(
        estimate,
        se,
        float(low),
        float(high),
        float(p_value),
        *ratio,
        clusters,
        data.outcome.size,
        model,
        inference,
        _pre_trend(data, leads),
    )


@dataclass(frozen=True)
class _Panel:
    outcome: np.ndarray
    treatment: np.ndarray
    areas: np.ndarray
    periods: np.ndarray
    period_values: np.ndarray
    area_count: int
    period_count: int
    offset: np.ndarray | None
    model: str


@dataclass(frozen=True)
class _Fit:
    beta: np.ndarray
    covariance: np.ndarray
    design: np.ndarray  # regressors with the fixed effects swept out (weighted for Poisson)
    residual: np.ndarray  # working residual in the same space as design
    hessian: np.ndarray
    correction: float


def _panel(outcome, area, period, treated, model, exposure) -> _Panel:
    model = _validate.choice(model, "model", ("linear", "poisson"))
    y = _checks.float_array(outcome, "outcome", ndim=1)
    d = _checks.float_array(treated, "treated", ndim=1)
    t = _checks.float_array(period, "period", ndim=1)
    labels = list(area)
    _checks.same_length(outcome=y, area=labels, period=t, treated=d)
    if not np.isin(d, (0.0, 1.0)).all():
        at = _checks.first(~np.isin(d, (0.0, 1.0)))
        raise ValueError(f"treated must be 0 or 1: row {at} has {d[at]:g}")
    if not d.any() or d.all():
        raise ValueError("treated must hold both treated (1) and untreated (0) rows")
    codes = {}
    try:
        areas = np.fromiter((codes.setdefault(label, len(codes)) for label in labels), np.intp)
    except TypeError as error:
        raise ValueError(f"area must hold hashable labels: {error}") from error
    period_values, periods = np.unique(t, return_inverse=True)
    pairs = areas.astype(np.int64) * period_values.size + periods
    if np.unique(pairs).size != pairs.size:
        at = int(np.flatnonzero(np.bincount(pairs) > 1)[0])
        duplicated = _validate.label(labels[int(np.flatnonzero(pairs == at)[0])])
        raise ValueError(
            f"area {duplicated!r} has more than one row for "
            f"period {period_values[at % period_values.size]:g}"
        )
    if len(codes) < 2:
        raise ValueError("did needs at least 2 areas")
    offset = None
    if model == "poisson":
        _validate.count_array(y, "outcome")
        if exposure is None:
            raise ValueError("model='poisson' needs exposure (the population of each row)")
        e = _checks.float_array(exposure, "exposure", ndim=1)
        _checks.same_length(outcome=y, exposure=e)
        _validate.non_negative(e, "exposure")
        _validate.positive(e, "exposure")
        offset = np.log(e)
    elif exposure is not None:
        raise ValueError("exposure is only used with model='poisson'")
    if model == "linear" and np.ptp(y) == 0:
        raise ValueError("outcome is constant: there is no variation to explain")
    return _Panel(
        y, d, areas, periods, period_values, len(codes), period_values.size, offset, model
    )


def _demean(columns: np.ndarray, data: _Panel, weights: np.ndarray | None) -> np.ndarray:
    """Sweep area and period means out of ``columns`` by alternating projections."""
    result = columns.copy()
    w = np.ones(result.shape[0]) if weights is None else weights
    area_total = np.bincount(data.areas, w, data.area_count)
    period_total = np.bincount(data.periods, w, data.period_count)
    for column in result.T:
        for _ in range(_DEMEAN_MAX_ROUNDS):
            before = column.copy()
            column -= (np.bincount(data.areas, w * column, data.area_count) / area_total)[
                data.areas
            ]
            column -= (np.bincount(data.periods, w * column, data.period_count) / period_total)[
                data.periods
            ]
            if np.abs(column - before).max() <= _DEMEAN_TOLERANCE * (1 + np.abs(before).max()):
                break
    return result


def _fit(data: _Panel, regressors: np.ndarray) -> _Fit:
    """TWFE coefficients of ``regressors`` and their clustered covariance."""
    n, k = regressors.shape
    fixed = data.area_count + data.period_count - 1
    correction = data.area_count / (data.area_count - 1) * (n - 1) / (n - fixed - k)
    if data.model == "linear":
        design = _demean(regressors, data, None)
        y = _demean(data.outcome[:, None], data, None)[:, 0]
        hessian = design.T @ design
        beta = _solve(hessian, design.T @ y)
        residual = y - design @ beta
        scores = design * residual[:, None]
    else:
        beta, design, residual, hessian = _poisson(data, regressors)
        scores = design * residual[:, None]
    meat = _cluster_sum(scores, data)
    bread = np.linalg.inv(hessian)
    covariance = correction * bread @ (meat.T @ meat) @ bread
    return _Fit(beta, covariance, design, residual, hessian, correction)


def _solve(hessian: np.ndarray, gradient: np.ndarray) -> np.ndarray:
    """Solve the normal equations, or name the regressor the fixed effects absorb."""
    if np.linalg.matrix_rank(hessian) < hessian.shape[0]:
        raise ValueError(
            "the treatment does not vary within areas and periods once the fixed effects are "
            "removed (every area treated or untreated throughout, or all start together with "
            "no comparison area)"
        )
    return np.linalg.solve(hessian, gradient)


def _cluster_sum(scores: np.ndarray, data: _Panel) -> np.ndarray:
    """Scores summed within each area: shape (G, k)."""
    return np.column_stack(
        [np.bincount(data.areas, column, data.area_count) for column in scores.T]
    )


def _poisson(data: _Panel, regressors: np.ndarray):
    """Poisson TWFE by IRLS, each weighted least squares step with the effects swept out.

    Returns the coefficients, the μ-weighted demeaned regressors, ``y − μ`` and the Hessian
    ``Σ μ x̃ x̃ᵀ``; the score of row i is ``x̃_i (y_i − μ_i)``.
    """
    y, offset = data.outcome, data.offset
    rate = (np.bincount(data.areas, y, data.area_count) + 0.5) / np.bincount(
        data.areas, np.exp(offset), data.area_count
    )
    eta = offset + np.log(rate)[data.areas]
    beta = np.zeros(regressors.shape[1])
    deviance = math.inf
    for _ in range(200):
        mu = np.exp(eta)
        working = eta - offset + (y - mu) / mu
        swept = _demean(np.column_stack([working, regressors]), data, mu)
        design, target = swept[:, 1:], swept[:, 0]
        hessian = (design * mu[:, None]).T @ design
        beta = _solve(hessian, (design * mu[:, None]).T @ target)
        eta = offset + working - (target - design @ beta)
        mu = np.exp(eta)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(y > 0, y * np.log(y / mu), 0.0) - (y - mu)
        new_deviance = 2 * terms.sum()
        if abs(new_deviance - deviance) <= 1e-10 * (1 + abs(new_deviance)):
            break
        deviance = new_deviance
    mu = np.exp(eta)
    design = _demean(regressors, data, mu)
    hessian = (design * mu[:, None]).T @ design
    return beta, design, y - mu, hessian


def _signs(clusters: int, draws: int, seed: int) -> np.ndarray:
    """Rademacher weights per draw and cluster; every pattern when there are few clusters."""
    if clusters <= ENUMERATE_UP_TO_CLUSTERS:
        return np.array(list(itertools.product((-1.0, 1.0), repeat=clusters)))
    return np.random.default_rng(seed).choice((-1.0, 1.0), size=(draws, clusters))


def _wild_t(fit: _Fit, data: _Panel, null: float, signs: np.ndarray) -> tuple[np.ndarray, float]:
    """Bootstrap t statistics under ``β = null`` and the sample t against ``null``.

    Linear model with one regressor: with restricted residuals ``ũ = ỹ − null·x̃`` and
    ``y* = null·x̃ + v_g ũ`` the bootstrap estimate is ``β* = null + Σ_g v_g S_g / Q`` with
    ``S_g = Σ_{i∈g} x̃_i ũ_i`` and ``Q = Σ x̃²``, and its cluster score is ``v_g S_g −
    (β* − null) Q_g`` — so every draw costs O(G).
    """
    x = fit.design[:, 0]
    q = fit.hessian[0, 0]
    beta = fit.beta[0]
    fitted_residual = fit.residual + (beta - null) * x  # ỹ − null·x̃
    s = np.bincount(data.areas, x * fitted_residual, data.area_count)
    q_g = np.bincount(data.areas, x * x, data.area_count)
    shift = signs @ s / q
    scores = signs * s - shift[:, None] * q_g
    se = np.sqrt(fit.correction * (scores**2).sum(axis=1)) / q
    with np.errstate(divide="ignore", invalid="ignore"):
        t_star = np.where(se > 0, shift / se, 0.0)
    sample_se = math.sqrt(fit.covariance[0, 0])
    return t_star, (beta - null) / sample_se


def _wild_p(fit: _Fit, data: _Panel, null: float, signs: np.ndarray) -> float:
    """Symmetric WCR bootstrap p-value of ``β = null``."""
    t_star, t_value = _wild_t(fit, data, null, signs)
    return float(np.mean(np.abs(t_star) >= abs(t_value) - 1e-12))


def _wild_interval(fit, data, estimate, se, signs, alpha) -> tuple[float, float]:
    """The set of nulls the WCR test does not reject at ``alpha``, found by bisection."""

    def bound(direction: float) -> float:
        inside, outside = estimate, estimate + direction * se
        while _wild_p(fit, data, outside, signs) > alpha:
            inside, outside = outside, outside + direction * 2 * abs(outside - estimate)
        for _ in range(60):
            middle = (inside + outside) / 2
            if _wild_p(fit, data, middle, signs) > alpha:
                inside = middle
            else:
                outside = middle
        return (inside + outside) / 2

    return bound(-1.0), bound(1.0)


def _score_p(data: _Panel, signs: np.ndarray) -> float:
    """Wild score bootstrap p-value of β = 0 for Poisson.

    Kline & Santos (2012, *J. Econometric Methods* 1:23): the cluster scores ``s_g`` of the
    model fitted without the treatment, re-signed per draw; with Rademacher signs
    ``Σ(v_g s_g)² = Σ s_g²``, so the test compares ``|Σ v_g s_g|`` with ``|Σ s_g|``.
    """
    restricted = _poisson(data, np.zeros((data.outcome.size, 0)))
    mu = data.outcome - restricted[2]
    x = _demean(data.treatment[:, None], data, mu)[:, 0]
    score = np.bincount(data.areas, x * (data.outcome - mu), data.area_count)
    spread = float((score**2).sum())
    if spread == 0:
        return 1.0
    statistic = score.sum() ** 2 / spread
    star = (signs @ score) ** 2 / spread
    return float(np.mean(star >= statistic - 1e-12))


def _pre_trend(data: _Panel, leads: int) -> PreTrend | None:
    """Joint cluster-robust Wald test of the leads before each treated area's start."""
    if leads == 0:
        return None
    treated_rows = data.treatment == 1
    first = np.full(data.area_count, data.period_count)
    np.minimum.at(first, data.areas[treated_rows], data.periods[treated_rows])
    start = np.where(first < data.period_count, first, -1)
    event = np.where(start[data.areas] >= 0, data.periods - start[data.areas], 10**9)
    columns, names = [], []
    for e in range(-2, -leads - 2, -1):
        column = (event == e).astype(float)
        if column.any() and not column.all():
            columns.append(column)
            names.append(e)
    if not columns:
        return None
    regressors = np.column_stack([data.treatment, *columns])
    try:
        fit = _fit(data, regressors)
    except (ValueError, np.linalg.LinAlgError):
        return None
    beta = fit.beta[1:]
    covariance = fit.covariance[1:, 1:]
    statistic = float(beta @ np.linalg.pinv(covariance) @ beta)
    df = len(names)
    return PreTrend(np.array(names), beta, statistic, df, float(stats.chi2.sf(statistic, df)))
