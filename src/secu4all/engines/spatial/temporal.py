"""Temporal profiles of incidents: hour-by-weekday counts and monthly series with a trend test."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

# Up to this many pairs the Theil-Sen slopes are listed (16 MB); beyond, they are counted.
_LISTED_PAIRS = 1 << 21
# The counted median is found to this fraction of the series' range per step.
_SLOPE_TOLERANCE = 1e-12

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class HourWeekdayProfile:
    """``counts[d, h]``: incidents on weekday ``d`` (0 = Monday) in hour ``h`` (0-23)."""

    counts: np.ndarray


@dataclass(frozen=True)
class TrendResult:
    """Mann-Kendall trend test: ``S``, its tie-corrected variance, ``z``, two-sided ``p``,
    Kendall's ``tau`` (tau-b) and the Theil-Sen ``slope`` (per step)."""

    s: np.ndarray
    variance: np.ndarray
    z: np.ndarray
    p: np.ndarray
    tau: np.ndarray
    slope: np.ndarray


@dataclass(frozen=True)
class MonthlySeries:
    """Incident counts for every calendar month from the first to the last (zeros kept)."""

    months: np.ndarray
    counts: np.ndarray
    trend: TrendResult


def _timestamps(timestamps: ArrayLike) -> np.ndarray:
    values = np.asarray(timestamps)
    if not np.issubdtype(values.dtype, np.datetime64):
        try:
            values = values.astype("datetime64[s]")
        except (TypeError, ValueError) as error:
            raise ValueError(f"timestamps must be datetime64 values: {error}") from error
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"timestamps must be a non-empty 1-D array, got shape {values.shape}")
    if np.isnat(values).any():
        raise ValueError("timestamps contains missing values (NaT)")
    return values


def hour_weekday_counts(timestamps: ArrayLike) -> HourWeekdayProfile:
    """Count incidents by weekday (rows, Monday first) and hour of day (columns).

    Timestamps are taken as local wall-clock times (``datetime64``, no time zone).
    """
    values = _timestamps(timestamps)
    days = values.astype("datetime64[D]")
    # 1970-01-01 was a Thursday (weekday 3).
    weekday = (days.astype(np.int64) + 3) % 7
    hour = (values - days).astype("timedelta64[h]").astype(np.int64)
    counts = np.bincount(weekday * 24 + hour, minlength=7 * 24).reshape(7, 24)
    return HourWeekdayProfile(counts=counts)


def mann_kendall(series: ArrayLike) -> TrendResult:
    r"""Mann-Kendall test for a monotonic trend in an ordered series.

    ``S = sum_{i<j} sign(x_j - x_i)``, ``Var S = (n(n-1)(2n+5) - sum_t t(t-1)(2t+5)) / 18``
    over groups of ``t`` tied values, ``z = S / sqrt(Var S)`` (no continuity correction)
    and a two-sided normal p-value — the same test as ``scipy.stats.kendalltau``
    (asymptotic) of the series against time. ``slope`` is the Theil-Sen median slope.
    ``S`` is counted by merge sort (:func:`ordered_pairs`) and the slope selected
    without listing the pairs (:func:`theil_sen_slope`): memory grows with ``n``, not
    ``n^2``, so a series of a hundred thousand values costs megabytes, not terabytes.

    References: Mann, H.B. (1945). Nonparametric tests against trend. Econometrica 13,
    245-259. Kendall, M.G. (1975). Rank Correlation Methods. Sen, P.K. (1968). JASA 63.
    """
    x = np.asarray(series, dtype=np.float64)
    if x.ndim != 1 or x.size < 3:
        raise ValueError(f"the trend test needs a 1-D series of at least 3 values, got {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError("series contains NaN or infinite values")
    n = x.size
    rising, falling = ordered_pairs(x)
    s = rising - falling
    _, ties = np.unique(x, return_counts=True)
    variance = (n * (n - 1) * (2 * n + 5) - (ties * (ties - 1) * (2 * ties + 5)).sum()) / 18
    if variance == 0:
        raise ValueError("series is constant (zero variance); no trend can be tested")
    z = s / np.sqrt(variance)
    pairs = n * (n - 1) / 2
    tau = s / np.sqrt(pairs * (pairs - (ties * (ties - 1) / 2).sum()))
    slope = theil_sen_slope(x)
    return TrendResult(
        s=np.asarray(s),
        variance=np.asarray(variance),
        z=np.asarray(z),
        p=np.asarray(2 * stats.norm.sf(abs(z))),
        tau=np.asarray(tau),
        slope=np.asarray(slope),
    )


def ordered_pairs(values: ArrayLike) -> tuple[int, int]:
    """``(#{i<j: v_i < v_j}, #{i<j: v_i > v_j})`` in O(n log^2 n) time and O(n) memory.

    Bottom-up merge sort on the ranks of the values: at each level, every element of a
    right run counts the elements of its left run below and above it with one
    vectorised binary search over all runs at once (runs are kept apart by adding
    ``run number * number of ranks`` to their keys).
    """
    _, inverse = np.unique(np.asarray(values), return_inverse=True)
    runs = inverse.astype(np.int64).ravel()
    n = runs.size
    ranks = int(runs.max()) + 1 if n else 1
    position = np.arange(n, dtype=np.int64)
    rising = falling = 0
    width = 1
    while width < n:
        block = position // width
        pair = block // 2
        keys = pair * ranks + runs
        right = (block % 2).astype(bool)
        left_keys, right_keys, right_pair = keys[~right], keys[right], pair[right]
        start = np.searchsorted(left_keys, right_pair * ranks, "left")
        end = np.searchsorted(left_keys, (right_pair + 1) * ranks, "left")
        below = np.searchsorted(left_keys, right_keys, "left")
        not_above = np.searchsorted(left_keys, right_keys, "right")
        rising += int((below - start).sum())
        falling += int((end - not_above).sum())
        runs = np.sort(keys) - (position // (2 * width)) * ranks
        width *= 2
    return rising, falling


def theil_sen_slope(series: ArrayLike) -> float:
    """Median of ``(x_j - x_i) / (j - i)`` over all pairs ``i < j`` with bounded memory.

    Up to about two million pairs the slopes are listed and the median taken exactly.
    Beyond, the k-th smallest slope is found by bisection on ``t``: the number of slopes
    at most ``t`` is the number of pairs with ``x_j - t j <= x_i - t i``, counted by
    :func:`ordered_pairs` in O(n log^2 n); the bisection stops at a width of
    ``1e-12`` times the series' range.
    """
    x = np.asarray(series, dtype=np.float64)
    n = x.size
    pairs = n * (n - 1) // 2
    if pairs <= _LISTED_PAIRS:
        i, j = np.triu_indices(n, k=1)
        return float(np.median((x[j] - x[i]) / (j - i)))
    steps = np.arange(n, dtype=np.float64)
    reach = float(np.ptp(x)) + 1.0
    tolerance = _SLOPE_TOLERANCE * reach

    def kth(k: int) -> float:
        low, high = -reach, reach
        while high - low > tolerance:
            middle = (low + high) / 2
            steeper, _ = ordered_pairs(x - middle * steps)
            if pairs - steeper >= k:
                high = middle
            else:
                low = middle
        return high

    if pairs % 2:
        return kth(pairs // 2 + 1)
    return (kth(pairs // 2) + kth(pairs // 2 + 1)) / 2


def monthly_series(timestamps: ArrayLike) -> MonthlySeries:
    """Counts per calendar month, including empty months, with a Mann-Kendall trend test."""
    months = _timestamps(timestamps).astype("datetime64[M]")
    first = months.min()
    index = (months - first).astype(np.int64)
    counts = np.bincount(index)
    return MonthlySeries(
        months=first + np.arange(counts.size),
        counts=counts,
        trend=mann_kendall(counts),
    )
