"""Conditional randomisation for local statistics, vectorised over all observations.

For observation ``i`` with ``k`` neighbours a permutation draws ``k`` of the other
``n - 1`` values (the focal value stays fixed). As in esda's ``crand``, one matrix of
draws ``R`` (permutations x k_max, entries from ``range(n - 1)``) is shared by all
observations: observation ``i`` uses the first ``k`` columns, and a draw ``r`` stands
for observation ``r + (r >= i)``. For a given permutation the permuted neighbour sum

    S_p(i) = sum_j y[R_pj + (R_pj >= i)]

is therefore a step function of ``i`` with at most ``k + 1`` levels, so every
observation is handled by one ``np.repeat`` per permutation instead of a loop over
observations, and exceedances are counted on the fly (never ``n x permutations``).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

Draws = Literal["fast", "esda"]

# Permutations processed together, bounded so a batch holds about 4 million cells.
_BATCH_CELLS = 1 << 22


def draw_indices(
    n: int, k_max: int, permutations: int, seed: int | None, draws: Draws
) -> np.ndarray:
    """Matrix of ``permutations`` rows of ``k_max`` distinct indices from ``range(n - 1)``.

    ``draws="esda"`` reproduces esda's ``vec_permutations`` (legacy ``RandomState``
    seeded with ``seed``, one ``choice(n - 1, k_max, replace=False)`` per row) when
    esda runs without numba, so p-values then match esda's exactly; it costs O(n) per
    permutation. ``draws="fast"`` uses ``numpy.random.default_rng(seed)`` with
    Floyd's O(k_max) sampling; different draws, same distribution.
    """
    if draws == "esda":
        state = np.random.RandomState(seed)  # esda's legacy stream, on purpose
        rows = [state.choice(n - 1, size=k_max, replace=False) for _ in range(permutations)]
    else:
        rng = np.random.default_rng(seed)
        rows = [rng.choice(n - 1, size=k_max, replace=False) for _ in range(permutations)]
    return np.asarray(rows, dtype=np.int64).reshape(permutations, k_max)


def count_larger(
    values: np.ndarray,
    neighbour_sums: np.ndarray,
    cardinality: np.ndarray,
    direction: np.ndarray,
    indices: np.ndarray,
) -> np.ndarray:
    """Per observation, how many permutations give a statistic ``>=`` the observed one.

    ``neighbour_sums`` are the observed sums of the (binary) neighbours' values,
    ``cardinality`` the neighbour counts and ``direction`` the sign (+1, -1 or 0) of
    the factor that turns a neighbour sum into the statistic, so that
    ``statistic_sim >= statistic_obs`` iff ``direction * (S_p - S_obs) >= 0``.
    Sums equal to within ``1e-9 * max|y|`` count as ties (``>=``), which keeps
    integer counts exact whatever the order of summation. Islands get 0.
    """
    larger = np.zeros(values.size, dtype=np.int64)
    permutations = indices.shape[0]
    tolerance = 1e-9 * max(float(np.abs(values).max()), np.finfo(float).tiny)
    for k in np.unique(cardinality[cardinality > 0]):
        cells = np.flatnonzero(cardinality == k)
        observed = neighbour_sums[cells]
        sign = direction[cells].astype(np.float64)
        all_positive = bool((sign == 1).all())
        drawn = np.sort(indices[:, :k], axis=1)
        below = values[drawn]  # value of draw r when r < i
        above = values[drawn + 1]  # value of draw r when r >= i (focal value skipped)
        # Level m: the m smallest draws lie below i, the others at or above it.
        levels = np.empty((permutations, k + 1))
        levels[:, 0] = above.sum(axis=1)
        levels[:, 1:] = levels[:, :1] + np.cumsum(below - above, axis=1)
        bounds = np.searchsorted(cells, drawn, side="right")
        lengths = np.diff(
            np.concatenate(
                [
                    np.zeros((permutations, 1), np.int64),
                    bounds,
                    np.full((permutations, 1), cells.size),
                ],
                axis=1,
            ),
            axis=1,
        )
        batch = max(1, _BATCH_CELLS // cells.size)
        counts = np.zeros(cells.size, dtype=np.int64)
        for start in range(0, permutations, batch):
            stop = min(start + batch, permutations)
            simulated = np.repeat(levels[start:stop].ravel(), lengths[start:stop].ravel())
            excess = simulated.reshape(stop - start, cells.size) - observed
            if not all_positive:
                excess *= sign
            counts += np.count_nonzero(excess >= -tolerance, axis=0)
        larger[cells] = counts
    return larger
