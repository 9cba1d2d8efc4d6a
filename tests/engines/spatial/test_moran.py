"""Global and local Moran against esda on Columbus."""

import warnings

import numpy as np
import pytest
from scipy import stats

from secu4all.engines.spatial import local_moran, moran


def _esda():
    return pytest.importorskip("esda")


def test_global_moran_matches_esda(columbus):
    y, w = columbus
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = _esda().Moran(y, w, permutations=0)
    ours = moran(y, w.sparse)
    assert float(ours.I) == pytest.approx(reference.I, abs=1e-12)
    assert float(ours.expected) == pytest.approx(reference.EI, abs=1e-15)
    assert float(ours.variance_norm) == pytest.approx(reference.VI_norm, rel=1e-12)
    assert float(ours.variance_rand) == pytest.approx(reference.VI_rand, rel=1e-12)
    assert float(ours.z_norm) == pytest.approx(reference.z_norm, rel=1e-12)
    assert float(ours.p_norm) == pytest.approx(reference.p_norm, rel=1e-9)
    assert float(ours.z_rand) == pytest.approx(reference.z_rand, rel=1e-12)
    assert float(ours.p_rand) == pytest.approx(reference.p_rand, rel=1e-9)


def test_global_moran_permutations(columbus):
    y, w = columbus
    first = moran(y, w.sparse, permutations=499, seed=3)
    again = moran(y, w.sparse, permutations=499, seed=3)
    assert float(first.p_sim) == float(again.p_sim) == pytest.approx(1 / 500)
    noise = np.random.default_rng(0).normal(size=y.size)
    result = moran(noise, w.sparse, permutations=999, seed=1)
    # Without autocorrelation the permutation and normal p-values agree roughly.
    assert abs(float(result.p_sim) - float(result.p_rand) / 2) < 0.06


def test_local_moran_matches_esda(columbus):
    y, w = columbus
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = _esda().Moran_Local(y, w, permutations=0)
    ours = local_moran(y, w.sparse)
    np.testing.assert_allclose(ours.Is, reference.Is, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ours.q, reference.q)
    np.testing.assert_allclose(ours.expected, reference.EI, rtol=1e-12)
    np.testing.assert_allclose(ours.variance, reference.VI, rtol=1e-12)


def test_local_moran_permutations_match_esda(columbus):
    y, w = columbus
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = _esda().Moran_Local(y, w, permutations=9999, seed=5, n_jobs=1)
    exact = local_moran(y, w.sparse, permutations=9999, seed=5, draws="esda")
    try:
        import numba  # noqa: F401
    except ImportError:
        # Identical draws; only a simulated sum equal to the observed one up to float
        # rounding (the true neighbours drawn again) may be counted differently.
        difference = np.abs(exact.p_sim - reference.p_sim)
        assert (difference < 1e-6).sum() >= y.size - 1
        assert difference.max() <= 1 / 10000 + 1e-6
    fast = local_moran(y, w.sparse, permutations=9999, seed=11)
    np.testing.assert_array_equal(
        fast.p_sim, local_moran(y, w.sparse, permutations=9999, seed=11).p_sim
    )
    assert np.abs(fast.p_sim - reference.p_sim).max() < 0.025
    assert stats.pearsonr(fast.p_sim, reference.p_sim)[0] > 0.99
    clusters = fast.significant_quadrants(0.05)
    assert set(np.unique(clusters)) <= {0, 1, 2, 3, 4}
    np.testing.assert_array_equal(clusters[fast.p_sim < 0.05], fast.q[fast.p_sim < 0.05])
