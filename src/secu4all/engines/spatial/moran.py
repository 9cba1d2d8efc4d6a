"""Global Moran's I and local Moran (LISA) on row-standardised weights."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse

from secu4all.engines import _checks

from . import _crand, _validate
from .inference import benjamini_hochberg, folded_pseudo_p, two_sided_normal_p
from .weights import as_binary_csr, cardinalities, row_standardise

# Columns of the permutation batch for global Moran, bounded to about 4 million values.
_BATCH_VALUES = 1 << 22


@dataclass(frozen=True)
class MoranResult:
    """Global Moran's I with inference under normality, randomisation and permutation.

    ``p_norm`` and ``p_rand`` are two-sided (esda's default ``two_tailed=True``);
    ``p_sim`` is esda's folded pseudo p-value, or ``None`` without permutations.
    """

    I: np.ndarray  # noqa: E741 - the statistic's conventional name
    expected: np.ndarray
    variance_norm: np.ndarray
    variance_rand: np.ndarray
    z_norm: np.ndarray
    p_norm: np.ndarray
    z_rand: np.ndarray
    p_rand: np.ndarray
    p_sim: np.ndarray | None


@dataclass(frozen=True)
class LocalMoranResult:
    """Local Moran's I_i per observation.

    ``q`` is the Moran-scatterplot quadrant: 1 high-high, 2 low-high, 3 low-low,
    4 high-low (value vs. neighbour average, both relative to the mean; esda's
    default numbering). ``expected``/``variance`` are the moments under total
    randomisation (Sokal et al. 1998, eqs. A3-A4, as esda's ``EI``/``VI``), ``z`` and
    the two-sided ``p`` follow from them. ``p_sim`` is esda's folded pseudo p-value
    from conditional permutations (``None`` without), ``p_fdr`` its
    Benjamini–Hochberg adjustment when requested.
    """

    Is: np.ndarray
    q: np.ndarray
    expected: np.ndarray
    variance: np.ndarray
    z: np.ndarray
    p: np.ndarray
    p_sim: np.ndarray | None
    p_fdr: np.ndarray | None

    def significant_quadrants(self, alpha: float = 0.05) -> np.ndarray:
        """Quadrant where the (FDR-adjusted if available, else permutation, else normal)
        p-value is below ``alpha``, 0 elsewhere: the usual LISA cluster map."""
        p = self.p_fdr if self.p_fdr is not None else self.p_sim
        p = self.p if p is None else p
        with np.errstate(invalid="ignore"):
            return np.where(p < alpha, self.q, 0)


def moran(
    values: ArrayLike,
    weights: ArrayLike | sparse.sparray | sparse.spmatrix,
    *,
    permutations: int = 0,
    seed: int | None = None,
) -> MoranResult:
    r"""Global Moran's I on row-standardised weights (Moran 1950; Cliff & Ord 1981).

    With ``z = y - mean(y)`` and ``W`` the binary weights row-standardised
    (islands keep zero rows), ``S0 = sum_ij w_ij``::

        I = n / S0 * (z' W z) / (z' z),      E[I] = -1 / (n - 1)

    ``V_norm = (n^2 S1 - n S2 + 3 S0^2) / ((n^2 - 1) S0^2) - E[I]^2`` under normality
    and ``V_rand = (n((n^2 - 3n + 3) S1 - n S2 + 3 S0^2) - b2((n^2 - n) S1 - 2n S2
    + 6 S0^2)) / ((n-1)(n-2)(n-3) S0^2) - E[I]^2`` under randomisation, where
    ``S1 = 1/2 sum_ij (w_ij + w_ji)^2``, ``S2 = sum_i (w_i. + w_.i)^2`` and ``b2`` is
    the kurtosis of ``z``. Matches esda ``Moran(y, w)`` (``transformation="r"``).
    Permutation inference shuffles all values (``numpy.random.default_rng(seed)``),
    so ``p_sim`` is statistically, not draw-for-draw, equal to esda's.
    """
    y = _checks.float_array(values, "values", ndim=1)
    permutations = _validate.permutation_count(permutations)
    n = y.size
    if n < 4:
        raise ValueError(f"Moran's I needs at least 4 values, got {n}")
    _validate.not_constant(y, "values")
    w = row_standardise(as_binary_csr(weights, n))
    s0 = w.sum()
    if s0 == 0:
        raise ValueError("weights have no neighbours at all; Moran's I is undefined")
    symmetric = w + w.T
    s1 = 0.5 * (symmetric.multiply(symmetric)).sum()
    s2 = float(((np.asarray(w.sum(axis=1)).ravel() + np.asarray(w.sum(axis=0)).ravel()) ** 2).sum())
    z = y - y.mean()
    z2 = (z * z).sum()
    statistic = n / s0 * (z @ (w @ z)) / z2
    expected = -1.0 / (n - 1)
    variance_norm = (n * n * s1 - n * s2 + 3 * s0**2) / ((n - 1) * (n + 1) * s0**2) - expected**2
    b2 = (z**4).sum() / n / (z2 / n) ** 2
    a = n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s0**2)
    b = b2 * ((n * n - n) * s1 - 2 * n * s2 + 6 * s0**2)
    variance_rand = (a - b) / ((n - 1) * (n - 2) * (n - 3) * s0**2) - expected**2
    z_norm = (statistic - expected) / np.sqrt(variance_norm)
    z_rand = (statistic - expected) / np.sqrt(variance_rand)
    p_sim = None
    if permutations:
        rng = np.random.default_rng(seed)
        larger = 0
        batch = max(1, _BATCH_VALUES // n)
        for start in range(0, permutations, batch):
            size = min(batch, permutations - start)
            shuffled = rng.permuted(np.tile(z, (size, 1)), axis=1).T
            simulated = n / s0 * (shuffled * (w @ shuffled)).sum(axis=0) / z2
            larger += int((simulated >= statistic).sum())
        p_sim = folded_pseudo_p(np.asarray(larger), permutations)
    return MoranResult(
        I=np.asarray(statistic),
        expected=np.asarray(expected),
        variance_norm=np.asarray(variance_norm),
        variance_rand=np.asarray(variance_rand),
        z_norm=np.asarray(z_norm),
        p_norm=two_sided_normal_p(np.asarray(z_norm)),
        z_rand=np.asarray(z_rand),
        p_rand=two_sided_normal_p(np.asarray(z_rand)),
        p_sim=p_sim,
    )


def local_moran(
    values: ArrayLike,
    weights: ArrayLike | sparse.sparray | sparse.spmatrix,
    *,
    permutations: int = 0,
    seed: int | None = None,
    fdr: bool = False,
    draws: _crand.Draws = "fast",
) -> LocalMoranResult:
    r"""Local Moran's I (Anselin 1995) on row-standardised weights.

    With ``z`` the values standardised by their population standard deviation and
    ``lag_i = sum_j w_ij z_j`` the average of the neighbours::

        I_i = (n - 1) * z_i * lag_i / sum_j z_j^2

    exactly esda's ``Moran_Local(y, w).Is``. Conditional permutation inference keeps
    ``z_i`` and redraws the neighbours from the other ``n - 1`` values, giving esda's
    folded pseudo p-value; ``draws`` and ``seed`` behave as in
    :func:`~secu4all.engines.spatial.getis_ord.gi_star` (``draws="esda"``
    reproduces esda's ``p_sim`` without numba). Islands have ``I_i = 0``, quadrant
    by their own value and a NaN ``p_sim``.

    References
    ----------
    Anselin, L. (1995). Local indicators of spatial association — LISA.
    Geographical Analysis 27(2), 93-115.
    Sokal, R.R., Oden, N.L. & Thomson, B.A. (1998). Local spatial autocorrelation in
    a biological model. Geographical Analysis 30(4), 331-354.
    """
    y = _checks.float_array(values, "values", ndim=1)
    permutations = _validate.permutation_count(permutations)
    _validate.choice(draws, "draws", ("fast", "esda"))
    n = y.size
    if n < 3:
        raise ValueError(f"local Moran needs at least 3 values, got {n}")
    _validate.not_constant(y, "values")
    binary = as_binary_csr(weights, n)
    w = row_standardise(binary)
    z = (y - y.mean()) / y.std()
    den = (z * z).sum()
    lag = w @ z
    statistic = (n - 1) * z * lag / den
    quadrant = np.select(
        [(z > 0) & (lag > 0), (z <= 0) & (lag > 0), (z <= 0) & (lag <= 0)], [1, 2, 3], 4
    )
    m2 = den / n
    b2 = (z**4).sum() / n / m2**2
    wi = np.asarray(w.sum(axis=1)).ravel()
    wi2 = np.asarray(w.multiply(w).sum(axis=1)).ravel()
    expected = -wi / (n - 1)
    variance = (
        wi2 * (n - b2) / (n - 1) + (wi**2 - wi2) * (2 * b2 - n) / ((n - 1) * (n - 2)) - expected**2
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        z_score = (statistic - expected) / np.sqrt(variance)
    p_sim = None
    if permutations:
        card = cardinalities(binary)
        indices = _crand.draw_indices(n, int(card.max()), permutations, seed, draws)
        larger = _crand.count_larger(z, binary @ z, card, np.sign(z), indices)
        p_sim = np.where(card > 0, folded_pseudo_p(larger, permutations), np.nan)
    p = two_sided_normal_p(z_score)
    return LocalMoranResult(
        Is=statistic,
        q=quadrant,
        expected=expected,
        variance=variance,
        z=z_score,
        p=p,
        p_sim=p_sim,
        p_fdr=benjamini_hochberg(p if p_sim is None else p_sim) if fdr else None,
    )
