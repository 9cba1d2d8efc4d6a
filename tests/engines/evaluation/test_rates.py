"""Displacement quotient, exact rate ratios, empirical-Bayes rates and funnel limits by hand."""

import math

import numpy as np
import pytest
from scipy import stats

from secu4all.engines.evaluation import (
    empirical_bayes_rates,
    funnel_limits,
    rate_ratio,
    weighted_displacement_quotient,
)


def test_wdq_worked_example_diffusion_of_benefits():
    # Target 100 → 60, buffer 80 → 70, control 1000 → 900 (crime fell 10 % city-wide).
    result = weighted_displacement_quotient(
        target_before=100,
        target_after=60,
        buffer_before=80,
        buffer_after=70,
        control_before=1000,
        control_after=900,
    )
    success = 60 / 900 - 100 / 1000  # -0.033333
    buffer = 70 / 900 - 80 / 1000  # -0.002222
    assert result.success_measure == pytest.approx(success)
    assert result.buffer_measure == pytest.approx(buffer)
    assert result.wdq == pytest.approx(buffer / success)  # 0.0667
    assert result.wdq == pytest.approx(1 / 15)
    # Expected after the control's trend: 90 and 72; observed 60 and 70.
    assert result.total_net_effect == pytest.approx(30 + 2)
    assert result.interpretation.startswith("Diffusion of benefits")


@pytest.mark.parametrize(
    ("buffer_after", "expected", "reading"),
    [
        (40, 1.0, "Diffusion of benefits: crime also fell"),
        (30, 1.25, "Diffusion of benefits: crime fell in the buffer even more"),
        (80, 0.0, "No displacement"),
        (100, -0.5, "Some displacement"),
        (140, -1.5, "Displacement to the buffer larger"),
    ],
)
def test_wdq_readings(buffer_after, expected, reading):
    result = weighted_displacement_quotient(
        target_before=100,
        target_after=60,
        buffer_before=80,
        buffer_after=buffer_after,
        control_before=1000,
        control_after=1000,
    )
    assert result.wdq == pytest.approx(expected)
    assert result.interpretation.startswith(reading)


def test_wdq_is_undefined_without_a_success():
    result = weighted_displacement_quotient(
        target_before=50,
        target_after=60,
        buffer_before=80,
        buffer_after=70,
        control_before=1000,
        control_after=1000,
    )
    assert math.isnan(result.wdq)
    assert "not defined" in result.interpretation


def test_rate_ratio_exact_interval_by_hand():
    # 30 events in 1,000 person-years against 15 in 2,000: ratio 4.
    result = rate_ratio(30, 1000, 15, 2000)
    assert result.ratio == pytest.approx(4.0)
    pi = stats.binomtest(30, 45).proportion_ci(0.95, method="exact")
    assert result.ci_low == pytest.approx(pi.low / (1 - pi.low) * 2)
    assert result.ci_high == pytest.approx(pi.high / (1 - pi.high) * 2)
    # Exact conditional test of ratio 1: a ~ Binomial(45, 1000/3000).
    assert result.p_value == pytest.approx(stats.binomtest(30, 45, 1 / 3).pvalue)
    assert result.ci_low > 1


def test_rate_ratio_equals_statsmodels_exact_conditional_test():
    rates = pytest.importorskip("statsmodels.stats.rates")
    result = rate_ratio(12, 3400, 5, 2900)
    reference = rates.test_poisson_2indep(12, 3400, 5, 2900, method="exact-cond")
    assert result.p_value == pytest.approx(reference.pvalue)


def test_rate_ratio_with_zero_events():
    result = rate_ratio(0, 500, 7, 700)
    assert result.ratio == 0
    assert result.ci_low == 0
    assert result.ci_high == pytest.approx(
        stats.beta.ppf(0.975, 1, 7) / (1 - stats.beta.ppf(0.975, 1, 7)) * 700 / 500
    )


def test_empirical_bayes_worked_example():
    """Four neighbourhoods: 1 event among 40 inhabitants must not top the ranking."""
    events = np.array([1, 12, 30, 60])
    population = np.array([40, 2000, 4000, 6000])
    result = empirical_bayes_rates(events, population)
    # By hand (rates per person): m = 103/12040; s² = Σn(r−m)²/Σn; A = s² − m/n̄.
    r = events / population
    m = 103 / 12040
    s2 = (population * (r - m) ** 2).sum() / 12040
    a = s2 - m / 3010
    assert a > 0
    c = a / (a + m / population)
    np.testing.assert_allclose(result.shrinkage, c)
    np.testing.assert_allclose(result.smoothed, 1000 * (m + c * (r - m)))
    np.testing.assert_allclose(result.raw, [25.0, 6.0, 7.5, 10.0])
    assert result.overall == pytest.approx(1000 * m)
    assert np.argmax(result.raw) == 0
    assert np.argmax(result.smoothed) == 3  # the small area no longer tops the list
    assert result.shrinkage[0] < 0.2 < result.shrinkage[3]


def test_empirical_bayes_without_excess_variation_gives_the_overall_rate():
    result = empirical_bayes_rates([5, 10, 20], [1000, 2000, 4000])
    np.testing.assert_allclose(result.smoothed, 5.0)
    assert result.between_variance == 0


def test_funnel_limits_by_hand():
    # Target rate 5 per 1,000; an area of 2,000 expects λ = 10 events.
    limits = funnel_limits([10, 30, 1], [2000, 4000, 200], target=5.0, levels=(0.95,))
    p = 0.975
    r = stats.poisson.ppf(p, 10)  # 16
    alpha = (stats.poisson.cdf(r, 10) - p) / (stats.poisson.pmf(r, 10))
    assert limits.upper[0, 0] == pytest.approx((r - alpha) / 2000 * 1000)
    r_low = stats.poisson.ppf(0.025, 10)
    alpha_low = (stats.poisson.cdf(r_low, 10) - 0.025) / stats.poisson.pmf(r_low, 10)
    assert limits.lower[0, 0] == pytest.approx((r_low - alpha_low) / 2000 * 1000)
    # 30 events in 4,000 (7.5 per 1,000; λ = 20) lies above the 95 % limit; 1 in 200 does not.
    assert limits.outside.tolist() == [[False, True, False]]
    assert limits.target == 5.0


def test_funnel_limits_narrow_as_population_grows():
    limits = funnel_limits([5, 50, 500], [1000, 10000, 100000])
    assert limits.levels.tolist() == [0.95, 0.998]
    widths = limits.upper - limits.lower
    assert (np.diff(widths, axis=1) < 0).all()
    assert (widths[1] > widths[0]).all()
