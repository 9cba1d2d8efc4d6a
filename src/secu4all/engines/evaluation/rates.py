"""Rates in small areas: exact rate ratios, empirical-Bayes smoothing and funnel limits."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from secu4all.engines import _checks

from . import _validate


@dataclass(frozen=True)
class RateRatio:
    """``(a/E_a) / (b/E_b)`` with its exact conditional interval and two-sided p-value."""

    ratio: float
    ci_low: float
    ci_high: float
    p_value: float


@dataclass(frozen=True)
class SmoothedRates:
    """Raw and empirical-Bayes rates per ``per`` inhabitants, and the shrinkage used.

    ``shrinkage[i]`` is the weight of the area's own rate (0: fully pulled to the overall
    rate, 1: kept as is); ``between_variance`` Marshall's estimate of the true rates' spread.
    """

    raw: np.ndarray
    smoothed: np.ndarray
    shrinkage: np.ndarray
    overall: float
    between_variance: float


@dataclass(frozen=True)
class FunnelLimits:
    """Funnel-plot control limits on the rate for each area's population.

    ``lower``/``upper`` have shape (levels, areas); ``outside[k, i]`` is True when area i's
    rate lies outside the ``levels[k]`` limits — truly unusual, not just small and noisy.
    """

    target: float
    levels: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    outside: np.ndarray


def rate_ratio(
    events_a: int, exposure_a: float, events_b: int, exposure_b: float, *, level: float = 0.95
) -> RateRatio:
    r"""Ratio of two Poisson rates with its exact interval.

    Conditional on ``n = a + b``, ``a ~ Binomial(n, π)`` with ``π = ρE_a / (ρE_a + E_b)``;
    the Clopper–Pearson limits ``π_L, π_U`` give ``ρ = π/(1−π) · E_b/E_a`` (Ederer & Mantel
    1974; Breslow & Day 1987, *Statistical Methods in Cancer Research* II, §2.2). The p-value
    is the exact two-sided binomial test of ρ = 1. With ``a = 0`` the lower limit is 0, with
    ``b = 0`` the upper limit is ∞.
    """
    level = _validate.level(level)
    a, b = (_whole(events_a, "events_a"), _whole(events_b, "events_b"))
    e_a = _validate.positive_number(exposure_a, "exposure_a")
    e_b = _validate.positive_number(exposure_b, "exposure_b")
    n = a + b
    if n == 0:
        raise ValueError("events_a and events_b are both 0: the rate ratio is undefined")
    alpha = 1 - level
    scale = e_b / e_a
    low_pi = 0.0 if a == 0 else stats.beta.ppf(alpha / 2, a, b + 1)
    high_pi = 1.0 if b == 0 else stats.beta.ppf(1 - alpha / 2, a + 1, b)
    ratio = math.inf if b == 0 else (a / e_a) / (b / e_b)
    low = low_pi / (1 - low_pi) * scale
    high = math.inf if high_pi >= 1 else high_pi / (1 - high_pi) * scale
    p_value = stats.binomtest(a, n, e_a / (e_a + e_b)).pvalue
    return RateRatio(ratio, float(low), float(high), float(p_value))


def _whole(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer | float):
        raise ValueError(f"{name} must be a whole count, got {value!r}")
    if not math.isfinite(value) or value < 0 or value != int(value):
        raise ValueError(f"{name} must be a whole non-negative count, got {value!r}")
    return int(value)


def empirical_bayes_rates(
    events: ArrayLike, population: ArrayLike, *, per: float = 1000.0
) -> SmoothedRates:
    r"""Global empirical-Bayes smoothing of small-area rates (Marshall 1991).

    With ``r_i = y_i / n_i``, the overall rate ``m = Σy / Σn``, the population-weighted
    variance ``s² = Σ n_i (r_i − m)² / Σ n_i`` and the mean population ``n̄``, the variance of
    the true rates is ``A = max(0, s² − m / n̄)`` and each rate is shrunk towards m:

    ``r̃_i = m + C_i (r_i − m)``, ``C_i = A / (A + m / n_i)``

    (Marshall 1991, *Applied Statistics* 40:283–294, eq. 5 with the moment estimator of §3).
    An area of 40 inhabitants keeps little of its own rate, an area of 10,000 nearly all.
    Rates are returned per ``per`` inhabitants.
    """
    y = _validate.count_array(events, "events")
    n = _checks.float_array(population, "population", ndim=1)
    _checks.same_length(events=y, population=n)
    _validate.non_negative(n, "population")
    _validate.positive(n, "population")
    per = _validate.positive_number(per, "per")
    if y.size < 2:
        raise ValueError("empirical-Bayes smoothing needs at least 2 areas")
    raw = y / n
    overall = y.sum() / n.sum()
    spread = float((n * (raw - overall) ** 2).sum() / n.sum())
    between = max(0.0, spread - overall / n.mean())
    shrinkage = np.zeros_like(n) if between == 0 else between / (between + overall / n)
    smoothed = overall + shrinkage * (raw - overall)
    return SmoothedRates(raw * per, smoothed * per, shrinkage, overall * per, between * per**2)


def funnel_limits(
    events: ArrayLike,
    population: ArrayLike,
    *,
    target: float | None = None,
    levels: tuple[float, ...] = (0.95, 0.998),
    per: float = 1000.0,
) -> FunnelLimits:
    r"""Exact Poisson funnel-plot limits for rates (Spiegelhalter 2005).

    For an area with population n and target rate θ (the overall rate unless given, per
    ``per``), the expected count is ``λ = θn``. The limit at tail probability p is the
    Poisson quantile ``r_p`` interpolated to be continuous in n:
    ``α = (F(r_p) − p) / (F(r_p) − F(r_p − 1))``, limit count ``r_p − α``, limit rate
    ``(r_p − α)/n`` (Spiegelhalter 2005, *Statistics in Medicine* 24:1185–1202, Appendix A.1.2).
    ``levels`` are two-sided coverages: 0.95 (≈ 2 SD) and 0.998 (≈ 3 SD) as recommended.
    """
    y = _validate.count_array(events, "events")
    n = _checks.float_array(population, "population", ndim=1)
    _checks.same_length(events=y, population=n)
    _validate.non_negative(n, "population")
    _validate.positive(n, "population")
    per = _validate.positive_number(per, "per")
    chosen = np.array([_validate.level(value) for value in levels])
    theta = y.sum() / n.sum() if target is None else _target(target, per)
    if theta <= 0:
        raise ValueError("the target rate is 0: there were no events at all")
    expected = theta * n
    lower, upper = [], []
    for coverage in chosen:
        tail = (1 - coverage) / 2
        lower.append(_limit(tail, expected) / n * per)
        upper.append(_limit(1 - tail, expected) / n * per)
    low, high = np.array(lower), np.array(upper)
    rate = y / n * per
    outside = (rate < low) | (rate > high)
    return FunnelLimits(theta * per, chosen, low, high, outside)


def _target(target: float, per: float) -> float:
    return _validate.positive_number(target, "target") / per


def _limit(p: float, expected: np.ndarray) -> np.ndarray:
    """Spiegelhalter's interpolated Poisson quantile at probability p."""
    quantile = stats.poisson.ppf(p, expected)
    at = stats.poisson.cdf(quantile, expected)
    below = stats.poisson.cdf(quantile - 1, expected)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(at > below, (at - p) / (at - below), 0.0)
    return np.clip(quantile - alpha, 0.0, None)
