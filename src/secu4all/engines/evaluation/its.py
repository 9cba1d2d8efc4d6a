"""Before/after for one area: segmented (interrupted) time-series regression."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from secu4all.engines import _checks

from . import _validate


@dataclass(frozen=True)
class Segmented:
    """Level and slope change at the start of a measure, with Newey–West intervals.

    ``level_change`` is the jump at the first period after the start; ``slope_change`` the
    change of the trend per period; ``effect_at_end`` their combination at the last period
    (``level_change + slope_change · (T − 1 − start)``). ``coefficients`` and ``covariance``
    cover the whole model in the order: intercept, time, level, slope, then the seasons.
    """

    level_change: float
    level_se: float
    level_ci: tuple[float, float]
    level_p_value: float
    slope_change: float
    slope_se: float
    slope_ci: tuple[float, float]
    slope_p_value: float
    effect_at_end: float
    effect_at_end_ci: tuple[float, float]
    lags: int
    coefficients: np.ndarray
    covariance: np.ndarray
    fitted: np.ndarray
    counterfactual: np.ndarray


def segmented_regression(
    outcome: ArrayLike,
    *,
    start: int,
    comparison: ArrayLike | None = None,
    season_length: int = 12,
    lags: int | None = None,
    level: float = 0.95,
) -> Segmented:
    r"""Segmented regression of an interrupted time series (Wagner et al. 2002).

    ``y_t = β₀ + β₁ t + β₂ P_t + β₃ (t − start) P_t + Σ_s γ_s S_st + ε_t`` with
    ``P_t = 1{t ≥ start}`` and season dummies ``S_st`` (period index modulo
    ``season_length``, the first season the reference; ``season_length=1`` for none).
    β₂ is the level change, β₃ the slope change (Wagner, Soumerai, Zhang & Ross-Degnan 2002,
    *J. Clin. Pharm. Ther.* 27:299–309; Bernal, Cummins & Gasparrini 2017, *Int. J.
    Epidemiol.* 46:348). With a ``comparison`` series (e.g. the rest of the city) the outcome
    is ``y_t − c_t``, which removes shocks the two share (a controlled interrupted time series).

    Standard errors are Newey–West (1987, *Econometrica* 55:703) with Bartlett weights
    ``1 − l/(L+1)`` up to ``L = lags`` (default ``⌊4 (T/100)^{2/9}⌋``), robust to
    autocorrelation and heteroscedasticity; intervals and p-values use t with T − k degrees
    of freedom (statsmodels' ``cov_type="HAC"`` gives the same standard errors but uses the
    normal, slightly narrower for short series).
    """
    y = _checks.float_array(outcome, "outcome", ndim=1)
    size = y.size
    start = _validate.integer(start, "start", low=2, high=size - 2)
    season_length = _validate.integer(season_length, "season_length", low=1, high=size // 2)
    if comparison is not None:
        c = _checks.float_array(comparison, "comparison", ndim=1)
        _checks.same_length(outcome=y, comparison=c)
        y = y - c
    if np.ptp(y) == 0:
        raise ValueError("outcome is constant: there is no change to measure")
    level = _validate.level(level)
    time = np.arange(size, dtype=float)
    after = (time >= start).astype(float)
    columns = [np.ones(size), time, after, (time - start) * after]
    season = np.arange(size) % season_length
    columns += [(season == s).astype(float) for s in range(1, season_length)]
    design = np.column_stack(columns)
    k = design.shape[1]
    if size - k < 2:
        raise ValueError(
            f"{size} periods are too few for {k} coefficients (trend, level, slope and "
            f"{season_length - 1} seasons)"
        )
    if np.linalg.matrix_rank(design) < k:
        raise ValueError("the design is singular: too few periods before or after the start")
    if lags is None:
        lags = math.floor(4 * (size / 100) ** (2 / 9))
    lags = _validate.integer(lags, "lags", low=0, high=size - 1)
    inverse = np.linalg.inv(design.T @ design)
    beta = inverse @ design.T @ y
    residual = y - design @ beta
    covariance = inverse @ newey_west_meat(design, residual, lags) @ inverse
    df = size - k
    quantile = float(stats.t.ppf(0.5 + level / 2, df))

    def inference(vector: np.ndarray) -> tuple[float, float, tuple[float, float], float]:
        value = float(vector @ beta)
        se = math.sqrt(float(vector @ covariance @ vector))
        p_value = float(2 * stats.t.sf(abs(value / se), df)) if se > 0 else math.nan
        return value, se, (value - quantile * se, value + quantile * se), p_value

    unit = np.eye(k)
    level_change = inference(unit[2])
    slope_change = inference(unit[3])
    end = unit[2] + (size - 1 - start) * unit[3]
    at_end = inference(end)
    fitted = design @ beta
    counterfactual = fitted - design[:, 2] * beta[2] - design[:, 3] * beta[3]
    return Segmented(
        *level_change,
        *slope_change,
        at_end[0],
        at_end[2],
        lags,
        beta,
        covariance,
        fitted,
        counterfactual,
    )


def newey_west_meat(design: np.ndarray, residual: np.ndarray, lags: int) -> np.ndarray:
    r"""``Σ_{l=−L}^{L} (1 − |l|/(L+1)) Σ_t x_t u_t u_{t−l} x_{t−l}ᵀ`` (Newey & West 1987)."""
    scores = design * residual[:, None]
    meat = scores.T @ scores
    for lag in range(1, lags + 1):
        weight = 1 - lag / (lags + 1)
        cross = scores[lag:].T @ scores[:-lag]
        meat += weight * (cross + cross.T)
    return meat
