"""Getis-Ord local Gi and Gi* hotspot statistics, on sparse weights and on regular grids."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse

from secu4all.engines import _checks

from . import _crand, _validate
from .inference import (
    benjamini_hochberg,
    folded_pseudo_p,
    significance_classes,
    two_sided_normal_p,
)
from .weights import Neighbourhood, as_binary_csr, cardinalities, neighbourhood_offsets


@dataclass(frozen=True)
class GetisOrdResult:
    """Local Gi or Gi* for every observation (grid results keep the grid's shape).

    Attributes
    ----------
    G : the statistic ``sum_j w_ij y_j / sum_j y_j`` (over ``j != i`` for Gi).
    expected, variance : its mean and variance under the null (Ord & Getis 1995).
    z : ``(G - expected) / sqrt(variance)``; NaN for Gi islands.
    p : two-sided normal p-value of ``z`` (esda's ``p_norm`` is one-sided: ``p / 2``).
    p_sim : esda-style folded pseudo p-value from conditional permutations, or ``None``.
    p_fdr : Benjamini–Hochberg adjusted p-values used for ``classes``, or ``None``.
    classes : +3/+2/+1 hot spot and -3/-2/-1 cold spot at 99/95/90 % confidence, 0 else.
    """

    G: np.ndarray
    expected: np.ndarray
    variance: np.ndarray
    z: np.ndarray
    p: np.ndarray
    p_sim: np.ndarray | None
    p_fdr: np.ndarray | None
    classes: np.ndarray


def gi_star(
    values: ArrayLike,
    weights: ArrayLike | sparse.sparray | sparse.spmatrix,
    *,
    star: bool = True,
    permutations: int = 0,
    seed: int | None = None,
    fdr: bool = False,
    draws: _crand.Draws = "fast",
) -> GetisOrdResult:
    r"""Getis-Ord Gi* (``star=True``) or Gi with binary weights.

    With binary weights ``w_ij`` (``w_ii = 1`` for Gi*, ``0`` for Gi), ``N = n`` for
    Gi* and ``n - 1`` for Gi, and sums over ``j`` (excluding ``i`` for Gi)::

        G_i   = sum_j w_ij y_j / sum_j y_j
        E[G_i] = W_i / N,                     W_i = sum_j w_ij
        V[G_i] = W_i (N - W_i) / (N - 1) / N^2 * s_i^2 / ybar_i^2
        z_i   = (G_i - E[G_i]) / sqrt(V[G_i])

    where ``ybar_i`` and ``s_i^2`` are the mean and (population) variance of the
    ``y_j`` in the sums — the moments of Ord & Getis (1995), identical to esda's
    ``G_Local(y, w, transform="B", star=...)`` ``Zs``.

    Parameters
    ----------
    values : 1-D array of n finite values (counts, rates).
    weights : n x n sparse (or dense) matrix; only its off-diagonal sparsity pattern
        is used. Islands (rows without neighbours) are allowed: for Gi their ``z``,
        ``p`` and ``p_sim`` are NaN and their class 0; for Gi* the island is its own
        only neighbour (``z`` is defined) and its ``p_sim`` is NaN.
    permutations : conditional permutations (0 for analytic inference only): the focal
        value stays, the neighbours are redrawn from the other n - 1 values, giving
        esda's folded pseudo p-value ``p_sim``. With ``draws="esda"`` (and esda running
        without numba) the draws, hence ``p_sim``, equal esda's for the same ``seed``;
        the default ``"fast"`` draws differ draw-for-draw but follow the same law.
    seed : seed making ``p_sim`` reproducible.
    fdr : classify with Benjamini–Hochberg adjusted p-values (false discovery rate)
        instead of raw ones.

    The classes use ``p`` without permutations and the two-sided pseudo p-value
    ``min(1, 2 * p_sim)`` with them.

    References
    ----------
    Ord, J.K. & Getis, A. (1995). Local spatial autocorrelation statistics:
    distributional issues and an application. Geographical Analysis 27(4), 286-306.
    """
    y = _checks.float_array(values, "values", ndim=1)
    w = as_binary_csr(weights, y.size)
    return _getis_ord(
        y,
        np.asarray(w @ y),
        cardinalities(w),
        star=star,
        permutations=permutations,
        seed=seed,
        fdr=fdr,
        draws=draws,
    )


def grid_gi_star(
    counts_2d: ArrayLike,
    *,
    neighbourhood: Neighbourhood = "queen",
    star: bool = True,
    permutations: int = 0,
    seed: int | None = None,
    fdr: bool = False,
    draws: _crand.Draws = "fast",
) -> GetisOrdResult:
    """Gi* (or Gi) on a regular grid without building a weights object.

    Same statistic and inference as :func:`gi_star` with
    ``weights.grid_weights(counts_2d.shape, neighbourhood)`` (cells in row-major
    order; the same ``seed`` gives the same ``p_sim``), but neighbour sums and
    cardinalities come from shifted slices of the zero-padded grid. ``neighbourhood``
    is ``"rook"``, ``"queen"`` or a radius in cells. Border cells have fewer
    neighbours; nothing wraps around. All result arrays have the grid's shape.
    """
    grid = _checks.float_array(counts_2d, "counts_2d", ndim=2)
    offsets = neighbourhood_offsets(neighbourhood)
    neighbour_sums = _shifted_sum(grid, offsets)
    cardinality = _shifted_sum(np.ones(grid.shape, dtype=np.int64), offsets)
    result = _getis_ord(
        grid.ravel(),
        neighbour_sums.ravel(),
        cardinality.ravel(),
        star=star,
        permutations=permutations,
        seed=seed,
        fdr=fdr,
        draws=draws,
    )
    return GetisOrdResult(
        **{
            name: None if value is None else value.reshape(grid.shape)
            for name, value in vars(result).items()
        }
    )


def _shifted_sum(grid: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Sum over neighbour offsets of the grid shifted by each offset (zeros outside)."""
    reach = int(np.abs(offsets).max())
    ny, nx = grid.shape
    padded = np.pad(grid, reach)
    total = np.zeros_like(grid)
    for dr, dc in offsets:
        total += padded[reach + dr : reach + dr + ny, reach + dc : reach + dc + nx]
    return total


def _getis_ord(
    y: np.ndarray,
    neighbour_sums: np.ndarray,
    cardinality: np.ndarray,
    *,
    star: bool,
    permutations: int,
    seed: int | None,
    fdr: bool,
    draws: _crand.Draws,
) -> GetisOrdResult:
    permutations = _validate.permutation_count(permutations)
    _validate.choice(draws, "draws", ("fast", "esda"))
    n = y.size
    if n < 3:
        raise ValueError(f"Getis-Ord needs at least 3 values, got {n}")
    _validate.not_constant(y, "values")
    remove_self = 0 if star else 1
    total = y.sum()
    denominator = total - y * remove_self
    if (denominator == 0).any():
        raise ValueError("values sum to zero (excluding the focal value for Gi); G is undefined")
    N = n - remove_self
    weight_sum = cardinality + (1 if star else 0)
    G = (neighbour_sums + (y if star else 0.0)) / denominator
    mean = denominator / N
    mean_of_squares = ((y**2).sum() - y**2 * remove_self) / N
    expected = weight_sum / N
    variance = (
        weight_sum * (N - weight_sum) / (N - 1) / N**2 * (mean_of_squares - mean**2) / mean**2
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (G - expected) / np.sqrt(variance)
    p = two_sided_normal_p(z)

    p_sim = None
    decision_p = p
    if permutations:
        indices = _crand.draw_indices(n, int(cardinality.max()), permutations, seed, draws)
        larger = _crand.count_larger(y, neighbour_sums, cardinality, np.sign(denominator), indices)
        p_sim = np.where(cardinality > 0, folded_pseudo_p(larger, permutations), np.nan)
        decision_p = np.minimum(1.0, 2.0 * p_sim)
    p_fdr = benjamini_hochberg(decision_p) if fdr else None
    classes = significance_classes(z, decision_p if p_fdr is None else p_fdr)
    return GetisOrdResult(
        G=G,
        expected=expected,
        variance=variance,
        z=z,
        p=p,
        p_sim=p_sim,
        p_fdr=p_fdr,
        classes=classes,
    )
