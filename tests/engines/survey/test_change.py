"""Change between two waves: difference, interval and z-test written out by hand."""

import math

import pytest
from scipy import stats

from secu4all.engines.survey import Estimate, change


def estimate(value, se, n=100, suppressed=False):
    return Estimate(value, se, value - 2 * se, value + 2 * se, n, n * 0.8, suppressed)


def test_change_by_hand():
    before, after = estimate(0.62, 0.03), estimate(0.70, 0.04)
    result = change(before, after)
    se = math.sqrt(0.03**2 + 0.04**2)  # 0.05
    assert result.value == pytest.approx(0.08)
    assert result.se == pytest.approx(0.05)
    assert result.z == pytest.approx(1.6)
    assert result.p_value == pytest.approx(2 * (1 - stats.norm.cdf(1.6)))
    assert not result.significant  # p = 0.11
    assert result.ci_low == pytest.approx(0.08 - 1.959964 * se, rel=1e-6)
    assert result.ci_low < 0 < result.ci_high


def test_change_significant_at_90_percent_only():
    before, after = estimate(0.62, 0.03), estimate(0.71, 0.04)  # z = 1.8, p = 0.072
    assert change(before, after, level=0.90).significant
    assert not change(before, after, level=0.95).significant


def test_decrease_is_negative_and_significant():
    result = change(estimate(7.1, 0.1), estimate(6.5, 0.1))
    assert result.value == pytest.approx(-0.6)
    assert result.z < -4
    assert result.significant
    assert result.ci_high < 0


def test_missing_wave_gives_nan_and_not_significant():
    nan = math.nan
    result = change(Estimate(nan, nan, nan, nan, 0, 0.0, True), estimate(0.5, 0.05))
    assert math.isnan(result.value)
    assert math.isnan(result.p_value)
    assert not result.significant
    assert result.suppressed


def test_suppressed_wave_flags_the_change():
    assert change(estimate(0.5, 0.1, n=12, suppressed=True), estimate(0.6, 0.1)).suppressed
    assert not change(estimate(0.5, 0.1), estimate(0.6, 0.1)).suppressed


def test_no_variance_in_either_wave():
    same = change(estimate(1.0, 0.0), estimate(1.0, 0.0))
    assert same.z == 0
    assert same.p_value == 1
    moved = change(estimate(1.0, 0.0), estimate(0.0, 0.0))
    assert moved.z == -math.inf
    assert moved.significant
