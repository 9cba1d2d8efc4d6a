"""Segmented time-series regression against statsmodels' OLS with Newey–West errors."""

import numpy as np
import pytest

from secu4all.engines.evaluation import segmented_regression


def _series(seed, size=72, start=48, level=-4.0):
    rng = np.random.default_rng(seed)
    time = np.arange(size)
    noise = np.zeros(size)
    for t in range(1, size):
        noise[t] = 0.5 * noise[t - 1] + rng.normal()
    seasonal = 3 * np.sin(2 * np.pi * time / 12)
    return 50 + 0.1 * time + seasonal + level * (time >= start) + noise


def test_coefficients_and_hac_errors_equal_statsmodels():
    sm = pytest.importorskip("statsmodels.api")
    y = _series(2)
    ours = segmented_regression(y, start=48)
    time = np.arange(72)
    design = np.column_stack(
        [np.ones(72), time, time >= 48, (time - 48) * (time >= 48)]
        + [time % 12 == s for s in range(1, 12)]
    ).astype(float)
    reference = sm.OLS(y, design).fit(cov_type="HAC", cov_kwds={"maxlags": ours.lags})
    np.testing.assert_allclose(ours.coefficients, reference.params, rtol=1e-9)
    np.testing.assert_allclose(ours.covariance, reference.cov_params(), rtol=1e-8, atol=1e-12)
    assert ours.lags == 3  # ⌊4 (72/100)^{2/9}⌋
    assert ours.level_change == pytest.approx(reference.params[2])
    assert ours.level_se == pytest.approx(reference.bse[2])


def test_planted_level_change_is_recovered_and_comparison_removes_shared_shocks():
    y = _series(3, level=-6.0)
    result = segmented_regression(y, start=48)
    assert result.level_ci[0] <= -6.0 <= result.level_ci[1]
    assert result.level_p_value < 0.01
    shock = np.where(np.arange(72) >= 48, 5.0, 0.0)  # a city-wide jump at the same time
    comparison = 20 + shock + np.random.default_rng(4).normal(scale=0.2, size=72)
    controlled = segmented_regression(y + shock, start=48, comparison=comparison)
    naive = segmented_regression(y + shock, start=48)
    assert controlled.level_ci[0] <= -6.0 <= controlled.level_ci[1]
    assert not naive.level_ci[0] <= -6.0 <= naive.level_ci[1]
    end = controlled.level_change + controlled.slope_change * (72 - 1 - 48)
    assert controlled.effect_at_end == pytest.approx(end)
    np.testing.assert_allclose(
        controlled.fitted - controlled.counterfactual,
        (np.arange(72) >= 48) * (controlled.level_change
                                 + controlled.slope_change * (np.arange(72) - 48)),
    )  # fmt: skip
