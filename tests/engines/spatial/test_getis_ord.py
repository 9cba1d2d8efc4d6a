"""Gi and Gi* against esda on Columbus, the grid fast path, permutations and FDR."""

import warnings

import numpy as np
import pytest
from scipy import sparse, stats

from secu4all.engines.spatial import (
    benjamini_hochberg,
    gi_star,
    grid_gi_star,
    grid_weights,
    significance_classes,
)


def _esda_g_local(y, w, **kwargs):
    esda = pytest.importorskip("esda")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return esda.G_Local(y, w, transform="B", n_jobs=1, **kwargs)


def _esda_without_numba():
    try:
        import numba  # noqa: F401
    except ImportError:
        return True
    return False


@pytest.mark.parametrize("star", [True, False])
def test_columbus_matches_esda(columbus, star):
    y, w = columbus
    reference = _esda_g_local(y, w, star=star, permutations=0)
    ours = gi_star(y, w.sparse, star=star)
    np.testing.assert_allclose(ours.z, reference.Zs, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours.G, reference.Gs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.expected, reference.EGs, rtol=1e-12)
    np.testing.assert_allclose(ours.variance, reference.VGs, rtol=1e-12)
    np.testing.assert_allclose(ours.p / 2, reference.p_norm, rtol=1e-9)


@pytest.mark.skipif(not _esda_without_numba(), reason="esda draws differ under numba")
@pytest.mark.parametrize("star", [True, False])
def test_esda_draws_reproduce_esda_p_sim_exactly(columbus, star):
    y, w = columbus
    reference = _esda_g_local(y, w, star=star, permutations=999, seed=12345)
    ours = gi_star(y, w.sparse, star=star, permutations=999, seed=12345, draws="esda")
    # esda stores p_sim as float32.
    np.testing.assert_allclose(ours.p_sim, reference.p_sim, rtol=0, atol=1e-6)


def test_permutations_reproducible_and_consistent_with_esda(columbus):
    y, w = columbus
    first = gi_star(y, w.sparse, permutations=999, seed=7)
    again = gi_star(y, w.sparse, permutations=999, seed=7)
    other = gi_star(y, w.sparse, permutations=999, seed=8)
    np.testing.assert_array_equal(first.p_sim, again.p_sim)
    assert not np.array_equal(first.p_sim, other.p_sim)
    ours = gi_star(y, w.sparse, permutations=9999, seed=1)
    reference = _esda_g_local(y, w, star=True, permutations=9999, seed=2)
    # Both estimate the same p-values: binomial error at p <= 0.5 is at most 0.005.
    assert np.abs(ours.p_sim - reference.p_sim).max() < 0.025
    assert stats.pearsonr(ours.p_sim, reference.p_sim)[0] > 0.99
    assert ours.p_sim.min() >= 1 / 10000


@pytest.mark.parametrize("neighbourhood", ["rook", "queen", 2.5])
def test_grid_fast_path_equals_sparse_path(neighbourhood):
    counts = np.random.default_rng(0).poisson(2.0, size=(17, 23)).astype(float)
    fast = grid_gi_star(counts, neighbourhood=neighbourhood, permutations=99, seed=3)
    slow = gi_star(
        counts.ravel(), grid_weights(counts.shape, neighbourhood), permutations=99, seed=3
    )
    assert fast.z.shape == counts.shape
    np.testing.assert_allclose(fast.z.ravel(), slow.z, rtol=0, atol=1e-12)
    np.testing.assert_allclose(fast.G.ravel(), slow.G, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(fast.p_sim.ravel(), slow.p_sim)
    np.testing.assert_array_equal(fast.classes.ravel(), slow.classes)


def test_grid_matches_esda_on_lattice():
    libpysal = pytest.importorskip("libpysal")
    counts = np.random.default_rng(1).poisson(3.0, size=(12, 15)).astype(float)
    w = libpysal.weights.lat2W(12, 15, rook=False)
    reference = _esda_g_local(counts.ravel(), w, star=True, permutations=0)
    ours = grid_gi_star(counts, neighbourhood="queen")
    np.testing.assert_allclose(ours.z.ravel(), reference.Zs, rtol=0, atol=1e-9)


def test_grid_weights_structure():
    assert grid_weights((3, 3), "rook").sum(axis=1)[4] == 4
    assert grid_weights((3, 3), "queen").sum(axis=1)[4] == 8
    assert grid_weights((5, 5), 2).sum(axis=1)[12] == 12


def test_islands_are_handled():
    y = np.array([1.0, 4.0, 2.0, 7.0, 3.0])
    w = sparse.csr_array(
        np.array(
            [[0, 1, 0, 0, 0], [1, 0, 1, 0, 0], [0, 1, 0, 1, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 0]]
        )
    )
    gi = gi_star(y, w, star=False, permutations=99, seed=0)
    assert np.isnan(gi.z[4])
    assert np.isnan(gi.p[4])
    assert np.isnan(gi.p_sim[4])
    assert gi.classes[4] == 0
    star = gi_star(y, w, permutations=99, seed=0)
    assert np.isfinite(star.z[4])
    assert np.isnan(star.p_sim[4])
    assert np.isfinite(star.p_sim[:4]).all()


def test_benjamini_hochberg_matches_scipy_and_hand_example():
    # By hand: sorted 0.005, 0.01, 0.03, 0.04, 0.20 times m/rank = 0.025, 0.025, 0.05,
    # 0.05, 0.20, already non-decreasing, so these are the q-values.
    p = np.array([0.01, 0.04, 0.03, 0.005, 0.20])
    expected = np.array([0.025, 0.05, 0.05, 0.025, 0.20])
    np.testing.assert_allclose(benjamini_hochberg(p), expected)
    rng = np.random.default_rng(4)
    many = np.concatenate([rng.uniform(size=200), rng.uniform(0, 0.01, size=20)])
    np.testing.assert_allclose(
        benjamini_hochberg(many), stats.false_discovery_control(many, method="bh")
    )
    with_nan = benjamini_hochberg(np.array([0.01, np.nan, 0.02]))
    assert np.isnan(with_nan[1])
    assert with_nan[0] == pytest.approx(0.02)


def test_classes_and_fdr_option(columbus):
    z = np.array([3.0, -2.0, 1.7, -1.0, 2.6])
    p = 2 * stats.norm.sf(np.abs(z))
    np.testing.assert_array_equal(significance_classes(z, p), [3, -2, 1, 0, 3])
    y, w = columbus
    plain = gi_star(y, w.sparse)
    adjusted = gi_star(y, w.sparse, fdr=True)
    assert adjusted.p_fdr is not None
    assert plain.p_fdr is None
    assert (np.abs(adjusted.classes) <= np.abs(plain.classes)).all()
    np.testing.assert_array_equal(adjusted.classes, significance_classes(plain.z, adjusted.p_fdr))
