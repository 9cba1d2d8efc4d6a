"""The shared rule of the crime pages: a word or colour only where the statistic supports it."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binomtest, false_discovery_control, poisson

from secu4all.common.evidence import Evidence, adjusted_p, poisson_interval, proportion_interval


def test_a_reading_is_supported_only_below_alpha_or_with_an_interval_clear_of_the_null() -> None:
    assert Evidence(value=1.4, p=0.01).above
    assert not Evidence(value=1.4, p=0.06).supported
    assert not Evidence(value=0.7, p=0.01).above  # significant, but fewer, not more
    assert Evidence(value=0.7, p=0.01).supported
    assert Evidence(value=2.0, low=1.2, high=3.0).above
    assert not Evidence(value=2.0, low=0.8, high=3.0).supported
    assert not Evidence(value=2.0).supported  # nothing to support it


def test_a_reading_that_cannot_be_computed_is_never_supported() -> None:
    assert not Evidence(value=None, reason="no pairs expected").computable
    assert not Evidence(value=float("nan"), p=0.001).supported
    assert not Evidence(value=3.0, p=0.001, reason="too few").above


def test_adjusted_p_is_benjamini_hochberg_over_the_tested_cells_only() -> None:
    p = np.array([[0.01, 0.04], [0.03, 0.01]])
    tested = np.array([[True, True], [True, False]])
    q = adjusted_p(p, tested)
    np.testing.assert_allclose(q[tested], false_discovery_control([0.01, 0.04, 0.03]))
    assert np.isnan(q[1, 1])


@pytest.mark.parametrize("count", [0, 1, 7, 250])
def test_poisson_interval_is_exact(count) -> None:
    low, high = poisson_interval(count)
    assert poisson.cdf(count, high) == pytest.approx(0.025, abs=1e-9)
    if count:
        assert poisson.sf(count - 1, low) == pytest.approx(0.025, abs=1e-9)
    else:
        assert low == 0


@pytest.mark.parametrize(("hits", "total"), [(0, 10), (3, 10), (40, 200), (10, 10)])
def test_proportion_interval_is_clopper_pearson(hits, total) -> None:
    reference = binomtest(hits, total).proportion_ci(method="exact")
    np.testing.assert_allclose(proportion_interval(hits, total), reference, atol=1e-12)
