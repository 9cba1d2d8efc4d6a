"""Knox test for near-repeat space-time clustering, as in Ratcliffe's Near Repeat Calculator."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.spatial import cKDTree

from secu4all.engines import _checks

from . import _validate

Convention = Literal["closed", "nrc"]
# Pairs closer than the outer spatial band held in memory (a few arrays of 32 MB each).
MAX_CLOSE_PAIRS = 1 << 22
Metric = Literal["euclidean", "manhattan"]


@dataclass(frozen=True)
class KnoxResult:
    """Knox contingency tables: rows are spatial bands, columns temporal bands.

    Rows: same location, the requested spatial bands, then "more than" the last one.
    Columns: the requested temporal bands, then "more than" the last one. Each cell
    counts unordered pairs of events.

    Attributes
    ----------
    observed : pair counts of the data.
    simulated : pair counts of every Monte Carlo run, shape ``(iterations, rows, cols)``.
    expected : mean of ``simulated`` (the calculator's "mean expected").
    ratio : Knox ratio ``observed / expected`` (the calculator's "observed over mean
        expected"; NaN where nothing is expected).
    p : Monte Carlo p-value ``(1 + #{simulated >= observed}) / (iterations + 1)``.
    expected_exact, ratio_exact : the exact expectation under random permutation of
        dates, ``rows_total[a] * cols_total[b] / (n (n - 1) / 2)``, and the ratio to it
        (the limit of ``expected`` and ``ratio`` as the iterations grow).
    spatial_labels, temporal_labels : the bands in interval notation (metres, days).
    """

    observed: np.ndarray
    simulated: np.ndarray
    expected: np.ndarray
    ratio: np.ndarray
    p: np.ndarray
    expected_exact: np.ndarray
    ratio_exact: np.ndarray
    spatial_labels: tuple[str, ...]
    temporal_labels: tuple[str, ...]


def knox_test(
    x: ArrayLike,
    y: ArrayLike,
    days: ArrayLike,
    *,
    spatial_bands: ArrayLike,
    temporal_bands: ArrayLike,
    iterations: int = 99,
    metric: Metric = "euclidean",
    convention: Convention = "closed",
    seed: int | None = None,
) -> KnoxResult:
    r"""Knox (1964) test of space-time interaction with Monte Carlo inference.

    Every pair of events falls into one spatial band (by distance ``d``) and one
    temporal band (by ``|t_i - t_j|`` in whole days). The observed table is compared
    with tables obtained by randomly permuting the dates over the events (Johnson et
    al. 2007), which keeps the locations and the multiset of dates. Like the Near Repeat
    Calculator (NRC), a "same location" band and "more than" bands are added.

    Band conventions, for ``spatial_bands = [e1, ..., eM]`` (metres) and
    ``temporal_bands = [t1, ..., tK]`` (days):

    ``convention="closed"`` (default) — what the NRC's labels say:
        same location ``d = 0``; ``(0, e1]``, ``(e1, e2]``, ..., more than ``d > eM``;
        ``[0, t1]``, ``(t1, t2]``, ..., more than ``> tK`` days. So NRC's
        "0 to 7 days" is 0-7 days and "8 to 14" is 8-14 days.
    ``convention="nrc"`` — what the NRC 1.3 computes (Davies & Steenbeek found its
    bands shifted by one unit; this reproduces its observed counts exactly):
        same location ``d = 0``; ``(0, e1)``, ``[e1, e2)``, ..., more than ``d >= eM``;
        ``[0, t1)``, ``[t1, t2)``, ..., more than ``>= tK`` days, so its "0 to 7 days"
        holds pairs 0-6 days apart. Coordinates are first rounded to single precision,
        as the calculator stores them (its verbose output prints 7 significant digits);
        this decides a few pairs lying within rounding distance of a band edge.

    Speed: the spatial band of a pair does not change when dates are permuted, so the
    pairs closer than the outer spatial band are found once with a k-d tree
    (Manhattan distance via the 1-norm) and each iteration only re-evaluates their
    permuted time differences. The "more than" row is the total number of pairs in
    each temporal band — invariant under permutation and computed from the histogram
    of dates — minus the inner rows.

    Parameters
    ----------
    x, y : event coordinates in metres.
    days : event dates as integer day numbers (any epoch) or ``datetime64`` values
        (truncated to days).
    spatial_bands : increasing upper limits of the spatial bands in metres, e.g.
        ``[100, 200, 300]`` for the NRC's bandwidth 100 with 3 bands.
    temporal_bands : increasing upper limits of the temporal bands in whole days.
    iterations : Monte Carlo permutations (the NRC's 19 for p = 0.05, 99 for 0.01).
    metric : ``"euclidean"`` or ``"manhattan"``.
    convention : ``"closed"`` or ``"nrc"``, see above.
    seed : seed of ``numpy.random.default_rng`` for reproducible p-values.

    References
    ----------
    Knox, E.G. (1964). The detection of space-time interactions. Applied Statistics
    13(1), 25-30.
    Johnson, S.D. et al. (2007). Space-time patterns of risk: a cross national
    assessment of residential burglary victimization. J. Quant. Criminol. 23, 201-219.
    Ratcliffe, J.H. (2009). Near Repeat Calculator (version 1.3). Temple University,
    Philadelphia, and the National Institute of Justice, Washington, DC.
    Davies, T. (2019) and Steenbeek, W. (2019), NearRepeat packages (Python, R):
    notes on the calculator's interval convention.
    """
    px = _checks.float_array(x, "x", ndim=1)
    py = _checks.float_array(y, "y", ndim=1)
    t = _day_numbers(days)
    n = _checks.same_length(x=px, y=py, days=t)
    if n < 2:
        raise ValueError(f"the Knox test needs at least 2 events, got {n}")
    s_edges = _increasing_positive(spatial_bands, "spatial_bands")
    t_edges = _increasing_positive(temporal_bands, "temporal_bands")
    if not np.array_equal(t_edges, np.round(t_edges)):
        raise ValueError("temporal_bands must be whole numbers of days")
    if not isinstance(iterations, (int, np.integer)) or iterations < 1:
        raise ValueError(f"iterations must be a positive integer, got {iterations!r}")
    _validate.choice(metric, "metric", ("euclidean", "manhattan"))
    _validate.choice(convention, "convention", ("closed", "nrc"))
    if convention == "nrc":
        px = px.astype(np.float32).astype(np.float64)
        py = py.astype(np.float32).astype(np.float64)
    # Closed bands (a, b] are found with side="left", half-open [a, b) with "right".
    side = "left" if convention == "closed" else "right"

    first, second, spatial_row = _close_pairs(px, py, s_edges, metric, side)
    n_rows, n_cols = s_edges.size + 2, t_edges.size + 1
    t = t - t.min()
    # Gaps beyond the last band all fall in the "more than" column: the lookup stops there.
    longest = int(t_edges[-1]) + 1
    temporal_column = np.searchsorted(t_edges, np.arange(longest + 1), side=side)
    column_totals = _pairs_per_column(t, temporal_column, n_cols)
    counter = _PairCounter(first, second, spatial_row, t_edges, side, n_rows, int(t.max()))

    def tables(dates: np.ndarray) -> np.ndarray:
        inner = counter(dates)
        return np.concatenate([inner, (column_totals - inner.sum(axis=1))[:, None, :]], axis=1)

    observed = tables(t[None, :])[0]
    rng = np.random.default_rng(seed)
    # One rng.permutation(t) per iteration, in order, as always: a seed keeps its p-values.
    batch = max(1, _BATCH_VALUES // n)
    simulated = np.concatenate(
        [
            tables(np.stack([rng.permutation(t) for _ in range(min(batch, iterations - done))]))
            for done in range(0, iterations, batch)
        ]
    )
    expected = simulated.mean(axis=0)
    row_totals = observed.sum(axis=1)
    expected_exact = np.outer(row_totals, column_totals) / (n * (n - 1) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = observed / expected
        ratio_exact = observed / expected_exact
    p = (1.0 + (simulated >= observed).sum(axis=0)) / (iterations + 1.0)
    return KnoxResult(
        observed=observed,
        simulated=simulated,
        expected=expected,
        ratio=ratio,
        p=p,
        expected_exact=expected_exact,
        ratio_exact=ratio_exact,
        spatial_labels=_spatial_labels(s_edges, convention),
        temporal_labels=_temporal_labels(t_edges, convention),
    )


def _day_numbers(days: ArrayLike) -> np.ndarray:
    """Whole day numbers from integers or datetime64 values."""
    array = np.asarray(days)
    if np.issubdtype(array.dtype, np.datetime64):
        if array.ndim != 1 or array.size == 0:
            raise ValueError(f"days must be a non-empty 1-D array, got shape {array.shape}")
        if np.isnat(array).any():
            raise ValueError("days contains missing dates (NaT)")
        return array.astype("datetime64[D]").astype(np.int64)
    numbers = _checks.float_array(array, "days", ndim=1)
    if not np.array_equal(numbers, np.round(numbers)):
        raise ValueError("days must be whole day numbers (or datetime64 values)")
    return numbers.astype(np.int64)


def _increasing_positive(bands: ArrayLike, name: str) -> np.ndarray:
    edges = _checks.float_array(bands, name, ndim=1)
    if (edges <= 0).any() or (np.diff(edges) <= 0).any():
        raise ValueError(f"{name} must be positive and strictly increasing, got {edges.tolist()}")
    return edges


def _close_pairs(
    x: np.ndarray, y: np.ndarray, edges: np.ndarray, metric: Metric, side: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs inside the outer spatial band and their row: 0 same location, 1..M bands."""
    norm = 2 if metric == "euclidean" else 1
    # A slightly larger search radius: the band is decided on our own distances below.
    radius = edges[-1] * (1 + 1e-9)
    tree = cKDTree(np.column_stack([x, y]))
    # Counting first keeps the pair list bounded: a city's incidents all geocoded to
    # one point would otherwise list n^2 / 2 pairs.
    close = (int(tree.count_neighbors(tree, radius, p=norm)) - x.size) // 2
    if close > MAX_CLOSE_PAIRS:
        raise ValueError(
            f"{close:,} pairs of events lie within {edges[-1]:g} m of each other, more than "
            f"the {MAX_CLOSE_PAIRS:,} the test holds in memory; choose fewer events or "
            "narrower spatial bands"
        )
    pairs = tree.query_pairs(radius, p=norm, output_type="ndarray")
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    first, second = pairs[:, 0].astype(np.intp), pairs[:, 1].astype(np.intp)
    dx, dy = x[first] - x[second], y[first] - y[second]
    distance = np.hypot(dx, dy) if metric == "euclidean" else np.abs(dx) + np.abs(dy)
    row = np.where(distance == 0, 0, np.searchsorted(edges, distance, side=side) + 1)
    inside = row <= edges.size
    return first[inside], second[inside], row[inside]


# Pairs handled per step: a (permutations x pairs) block of two-byte gaps stays in cache.
_PAIR_CHUNK = 4096
# Dates of this many (permutation, event) values per batch of permutations, about 8 MB.
_BATCH_VALUES = 1 << 22


class _PairCounter:
    """Counts the close pairs per spatial row and temporal band for many assignments of
    dates at once.

    Why it is fast: a pass over a million pairs is bound by memory traffic, not arithmetic.
    The pairs are sorted once by row and first event; then, a few thousand pairs at a time,
    the gaps of every permutation of the batch are taken together — each chunk of pair
    indices is read once for all permutations, the dates are held in the smallest integer
    type that holds their span (two bytes up to 89 years), and a band is a comparison and
    a count along the chunk, with no per-pair cell index. bench/bench_knox.py prints the
    ratio to the previous per-permutation ``bincount``, measured in the same run.
    """

    def __init__(
        self,
        first: np.ndarray,
        second: np.ndarray,
        row: np.ndarray,
        t_edges: np.ndarray,
        side: str,
        n_rows: int,
        span: int,
    ) -> None:
        order = np.lexsort((second, first, row))
        self.first, self.second = first[order], second[order]
        self.starts = np.searchsorted(row[order], np.arange(n_rows))
        self.dtype = next(d for d in (np.int16, np.int32, np.int64) if span <= np.iinfo(d).max)
        # "Closed" bands (a, b] hold gaps <= b, half-open [a, b) gaps < b: as whole days,
        # a gap below b is a gap of at most b - 1.
        limits = t_edges if side == "left" else t_edges - 1
        self.limits = limits.astype(np.int64)
        self.n_rows = n_rows

    def __call__(self, dates: np.ndarray) -> np.ndarray:
        """Inner rows (same location and the spatial bands) of the table of each row of
        ``dates`` (shape ``(assignments, events)``): shape ``(assignments, rows, cols)``."""
        days = np.ascontiguousarray(dates, dtype=self.dtype)
        n_cols = self.limits.size + 1
        inner = np.zeros((days.shape[0], self.n_rows - 1, n_cols), dtype=np.int64)
        for r in range(self.n_rows - 1):
            start, stop = int(self.starts[r]), int(self.starts[r + 1])
            for low in range(start, stop, _PAIR_CHUNK):
                high = min(low + _PAIR_CHUNK, stop)
                gaps = np.take(days, self.first[low:high], axis=1)
                gaps -= np.take(days, self.second[low:high], axis=1)
                np.abs(gaps, out=gaps)
                below = 0
                for k, limit in enumerate(self.limits):
                    within = np.count_nonzero(gaps <= limit, axis=1)
                    inner[:, r, k] += within - below
                    below = within
                inner[:, r, -1] += (high - low) - below
        return inner


def _pairs_per_column(t: np.ndarray, column: np.ndarray, n_cols: int) -> np.ndarray:
    """Number of event pairs in each temporal band, from the histogram of dates.

    Only the lags up to the last band are correlated (``column`` has one entry per lag,
    the last for every longer gap): a span of millennia costs its histogram, not the
    square of it. The "more than" column is all pairs minus the others.
    """
    histogram = np.bincount(t)
    lags = min(column.size - 1, histogram.size)
    lagged = np.array(
        [(histogram[: histogram.size - lag] * histogram[lag:]).sum() for lag in range(lags)],
        dtype=np.int64,
    )
    lagged[0] = (histogram * (histogram - 1) // 2).sum()
    totals = np.bincount(column[:lags], weights=lagged, minlength=n_cols).astype(np.int64)
    n = t.size
    totals[-1] = n * (n - 1) // 2 - totals[:-1].sum()
    return totals


def _spatial_labels(edges: np.ndarray, convention: Convention) -> tuple[str, ...]:
    values = [f"{e:g}" for e in edges]
    if convention == "closed":
        bands = [f"({lo}, {hi}] m" for lo, hi in zip(["0", *values[:-1]], values, strict=True)]
        return ("0 m", *bands, f"> {values[-1]} m")
    bands = [f"(0, {values[0]}) m"]
    bands += [f"[{lo}, {hi}) m" for lo, hi in itertools.pairwise(values)]
    return ("0 m", *bands, f">= {values[-1]} m")


def _temporal_labels(edges: np.ndarray, convention: Convention) -> tuple[str, ...]:
    values = [f"{e:g}" for e in edges]
    if convention == "closed":
        bands = [f"[0, {values[0]}] days"]
        bands += [f"({lo}, {hi}] days" for lo, hi in itertools.pairwise(values)]
        return (*bands, f"> {values[-1]} days")
    bands = [f"[{lo}, {hi}) days" for lo, hi in zip(["0", *values[:-1]], values, strict=True)]
    return (*bands, f">= {values[-1]} days")
