"""Significance helpers shared by the local statistics: pseudo p-values, FDR, hot/cold classes."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

#: Confidence levels of the hot/cold classes, as (class, two-sided alpha).
CLASS_LEVELS: tuple[tuple[int, float], ...] = ((3, 0.01), (2, 0.05), (1, 0.10))


def two_sided_normal_p(z: np.ndarray) -> np.ndarray:
    """Two-sided p-value ``2 * (1 - Phi(|z|))`` of standard-normal z-scores (NaN stays NaN)."""
    return 2.0 * stats.norm.sf(np.abs(z))


def folded_pseudo_p(larger: np.ndarray, permutations: int) -> np.ndarray:
    """esda's pseudo p-value from the count of simulated statistics ``>=`` the observed one.

    ``p = (min(larger, permutations - larger) + 1) / (permutations + 1)``: one-tailed,
    in the tail the observed value lies in (esda's ``alternative="directed"``, its
    default ``p_sim``). Its smallest value is ``1 / (permutations + 1)``.
    """
    folded = np.minimum(larger, permutations - larger)
    return (folded + 1.0) / (permutations + 1.0)


def benjamini_hochberg(p: ArrayLike) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values); NaN entries are ignored and kept.

    ``q_(i) = min_{j >= i} min(1, m * p_(j) / j)`` over the ``m`` sorted finite p-values.
    Rejecting ``q <= alpha`` controls the false discovery rate at ``alpha``
    (Benjamini & Hochberg 1995, JRSS B 57:289-300); equals
    ``scipy.stats.false_discovery_control(p, method="bh")``.
    """
    p = np.asarray(p, dtype=np.float64)
    q = np.full_like(p, np.nan)
    finite = np.isfinite(p)
    if ((p[finite] < 0) | (p[finite] > 1)).any():
        raise ValueError("p-values must lie in [0, 1]")
    values = p[finite]
    m = values.size
    if m == 0:
        return q
    order = np.argsort(values)
    scaled = values[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    out = np.empty(m)
    out[order] = adjusted
    q[finite] = out
    return q


def significance_classes(z: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Hot (+) / cold (-) classes 3, 2, 1 for two-sided p below 0.01, 0.05 and 0.10, else 0.

    The sign comes from ``z``; NaN p-values (islands) give class 0.
    """
    classes = np.zeros(np.shape(z), dtype=np.int8)
    with np.errstate(invalid="ignore"):
        for level, alpha in reversed(CLASS_LEVELS):
            classes[p < alpha] = level
    return (classes * np.sign(np.nan_to_num(z))).astype(np.int8)
