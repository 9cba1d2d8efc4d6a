"""Weighted means and proportions against samplics' TaylorEstimator and hand computations."""

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from secu4all.engines.survey import (
    Estimate,
    by_domain,
    korn_graubard_interval,
    shares,
    weighted_mean,
    weighted_proportion,
)


def taylor(samplics, param, y, weights, **design):
    estimator = samplics.TaylorEstimator(getattr(samplics.PopParam, param))
    estimator.estimate(y=y, samp_weight=weights, **design)
    return estimator


def test_mean_with_missing_answers_and_strata_matches_samplics(nhanes, samplics):
    zinc, weights, strata = nhanes["zinc"], nhanes["finalwgt"], nhanes["stratid"]
    answered = ~np.isnan(zinc)
    estimate = weighted_mean(zinc, weights, strata=strata.tolist())
    # samplics' domain estimation is the zero-out method; the filler of the missing
    # answers only enters the other domain, so any value will do.
    reference = taylor(
        samplics,
        "mean",
        np.where(answered, zinc, 1.0),
        weights,
        stratum=strata,
        domain=answered,
    )
    assert estimate.n == answered.sum() == 9189
    assert estimate.value == pytest.approx(reference.point_est[True], rel=1e-12)
    assert estimate.se == pytest.approx(reference.stderror[True], rel=1e-9)
    assert estimate.ci_low == pytest.approx(reference.lower_ci[True], rel=1e-12)
    assert estimate.ci_high == pytest.approx(reference.upper_ci[True], rel=1e-12)
    assert reference.degree_of_freedom == 10337 - 31


def test_missing_answers_are_a_domain_not_a_subset(nhanes, samplics):
    """Dropping the unanswered rows changes the variance formula's stratum sizes."""
    zinc, weights, strata = nhanes["zinc"], nhanes["finalwgt"], nhanes["stratid"]
    answered = ~np.isnan(zinc)
    estimate = weighted_mean(zinc, weights, strata=strata.tolist())
    subset = weighted_mean(zinc[answered], weights[answered], strata=strata[answered].tolist())
    assert estimate.value == pytest.approx(subset.value, rel=1e-12)
    assert estimate.se != pytest.approx(subset.se, rel=1e-6)
    dropped = taylor(
        samplics, "mean", zinc, weights, stratum=strata, remove_nan=True
    )  # samplics' remove_nan subsets
    assert subset.se == pytest.approx(dropped.stderror, rel=1e-9)


def test_unstratified_mean_matches_samplics(nhanes, samplics):
    zinc, weights = nhanes["zinc"], nhanes["finalwgt"]
    answered = ~np.isnan(zinc)
    estimate = weighted_mean(zinc, weights)
    reference = taylor(samplics, "mean", np.where(answered, zinc, 1.0), weights, domain=answered)
    assert estimate.se == pytest.approx(reference.stderror[True], rel=1e-9)
    assert estimate.ci_high == pytest.approx(reference.upper_ci[True], rel=1e-12)


def test_proportion_se_matches_samplics_and_interval_is_korn_graubard(nhanes, samplics):
    highbp, weights, strata = nhanes["highbp"], nhanes["finalwgt"], nhanes["stratid"]
    estimate = weighted_proportion(highbp, weights, strata=strata.tolist(), level=0.95)
    reference = taylor(samplics, "prop", highbp, weights, stratum=strata)
    assert estimate.value == pytest.approx(reference.point_est[1.0], rel=1e-12)
    assert estimate.se == pytest.approx(reference.stderror[1.0], rel=1e-9)

    # Korn & Graubard (1998) written out: effective n, its df adjustment, Clopper-Pearson.
    p, n, df = estimate.value, estimate.n, 10337 - 31
    n_eff = p * (1 - p) / estimate.se**2 * (stats.t.ppf(0.975, n - 1) / stats.t.ppf(0.975, df)) ** 2
    n_eff = min(n_eff, n)
    low, high = proportion_confint(p * n_eff, n_eff, alpha=0.05, method="beta")
    assert (estimate.ci_low, estimate.ci_high) == pytest.approx((low, high), rel=1e-9)
    # Close to the logit interval samplics reports for a large sample.
    assert estimate.ci_low == pytest.approx(reference.lower_ci[1.0], abs=5e-4)
    assert estimate.ci_high == pytest.approx(reference.upper_ci[1.0], abs=5e-4)


def test_domains_match_samplics_domain_estimates(nhanes, samplics):
    highbp, weights, strata = nhanes["highbp"], nhanes["finalwgt"], nhanes["stratid"]
    region = nhanes["region"].astype(int)
    estimates = by_domain(highbp, weights, region.tolist(), strata=strata.tolist())
    reference = taylor(samplics, "prop", highbp, weights, stratum=strata, domain=region)
    assert list(estimates) == [1, 2, 3, 4]
    for domain, estimate in estimates.items():
        assert estimate.n == (region == domain).sum()
        assert estimate.value == pytest.approx(reference.point_est[domain][1], rel=1e-12)
        assert estimate.se == pytest.approx(reference.stderror[domain][1], rel=1e-9)


def test_domain_equals_mean_with_the_rest_unanswered(nhanes):
    zinc, weights, strata = nhanes["zinc"], nhanes["finalwgt"], nhanes["stratid"].tolist()
    region = nhanes["region"]
    estimates = by_domain(zinc, weights, region.tolist(), kind="mean", strata=strata)
    for domain, estimate in estimates.items():
        masked = np.where(region == domain, zinc, np.nan)
        assert estimate == weighted_mean(masked, weights, strata=strata)


def test_domain_none_belongs_to_no_domain():
    y = [1, 0, 1, 1, 0, 1]
    domains = ["Zuid", "Noord", None, "Noord", "Zuid", "Zuid"]
    estimates = by_domain(y, np.ones(6), domains, min_n=1)
    assert list(estimates) == ["Noord", "Zuid"]
    assert estimates["Zuid"].value == pytest.approx(2 / 3)
    assert list(by_domain(y, np.ones(6), [2, "b", None, 2, "b", 1], min_n=1)) == [2, "b", 1]
    assert estimates["Noord"].n == 2


def test_hand_worked_weighted_mean_and_se():
    """Five respondents, two strata, one unanswered: the formula written out."""
    y = np.array([4.0, 6.0, np.nan, 3.0, 7.0])
    w = np.array([1.0, 3.0, 2.0, 2.0, 2.0])
    strata = ["a", "a", "a", "b", "b"]
    estimate = weighted_mean(y, w, strata=strata, min_n=1)
    mean = (4 + 18 + 6 + 14) / 8  # 5.25
    z = np.array([1 * (4 - mean), 3 * (6 - mean), 0.0, 2 * (3 - mean), 2 * (7 - mean)]) / 8
    za, zb = z[:3], z[3:]
    variance = 3 / 2 * ((za - za.mean()) ** 2).sum() + 2 / 1 * ((zb - zb.mean()) ** 2).sum()
    half = stats.t.ppf(0.975, 5 - 2) * math.sqrt(variance)
    assert estimate.value == pytest.approx(mean)
    assert estimate.se == pytest.approx(math.sqrt(variance))
    assert (estimate.ci_low, estimate.ci_high) == pytest.approx((mean - half, mean + half))
    assert estimate.n == 4
    assert estimate.n_effective == pytest.approx(8**2 / (1 + 9 + 4 + 4))


def test_equal_weights_give_the_textbook_standard_error():
    rng = np.random.default_rng(7)
    y = rng.normal(5, 2, size=200)
    estimate = weighted_mean(y, np.full(200, 3.5))
    assert estimate.se == pytest.approx(y.std(ddof=1) / math.sqrt(200))
    assert estimate.n_effective == pytest.approx(200)


def test_nobody_answered_gives_nan_and_suppressed():
    estimate = weighted_proportion([np.nan, np.nan], [1.0, 2.0])
    assert estimate.n == 0
    assert estimate.n_effective == 0
    assert estimate.suppressed
    assert all(math.isnan(v) for v in (estimate.value, estimate.se, estimate.ci_low))


def test_suppression_threshold():
    y = np.r_[np.ones(15), np.zeros(14), np.nan]
    assert weighted_proportion(y, np.ones(30)).suppressed  # 29 answered < 30
    assert not weighted_proportion(y, np.ones(30), min_n=29).suppressed
    assert not weighted_proportion(np.r_[y[:-1], 1], np.ones(30)).suppressed


def test_unanimous_answers_still_get_an_interval_inside_zero_one():
    none = weighted_proportion(np.zeros(40), np.linspace(1, 3, 40))
    assert none.value == 0
    assert none.se == 0
    assert none.ci_low == 0
    assert none.ci_high == pytest.approx(1 - 0.025 ** (1 / 40))  # Clopper-Pearson, x = 0
    everyone = weighted_proportion(np.ones(40), np.linspace(1, 3, 40))
    assert everyone.ci_high == 1
    assert everyone.ci_low == pytest.approx(0.025 ** (1 / 40))


def test_small_extreme_proportion_stays_in_zero_one_where_wald_would_not():
    y = np.r_[1.0, np.zeros(11)]
    estimate = weighted_proportion(y, np.r_[5.0, np.ones(11)], min_n=1)
    assert estimate.value - 1.96 * estimate.se < 0  # a Wald interval would go below 0
    assert 0 < estimate.ci_low < estimate.value < estimate.ci_high < 1


def test_singleton_stratum_is_centred_on_the_overall_mean():
    y = np.array([1.0, 2.0, 3.0, 10.0])
    w = np.ones(4)
    estimate = weighted_mean(y, w, strata=["a", "a", "a", "b"], min_n=1)
    z = (y - y.mean()) / 4
    variance = 3 / 2 * ((z[:3] - z[:3].mean()) ** 2).sum() + (z[3] - z.mean()) ** 2
    assert estimate.se == pytest.approx(math.sqrt(variance))


def test_single_respondent_has_no_standard_error():
    estimate = weighted_mean([3.0], [2.0], min_n=1)
    assert estimate.value == 3.0
    assert math.isnan(estimate.se)
    assert math.isnan(estimate.ci_low)
    # Even inside a large sample: a domain with one answer has no estimable spread.
    alone = by_domain([3.0, 5.0, 7.0, 1.0], np.ones(4), ["a", "b", "b", "b"], kind="mean")
    assert math.isnan(alone["a"].se)
    assert alone["b"].se > 0
    share = by_domain([1, 0, 1, 1], np.ones(4), ["a", "b", "b", "b"], min_n=1)["a"]
    assert (share.ci_low, share.ci_high) == pytest.approx((0.025, 1.0))  # Clopper-Pearson n=1


def test_higher_level_widens_the_interval(nhanes):
    narrow = weighted_proportion(nhanes["highlead"], nhanes["finalwgt"], level=0.90)
    wide = weighted_proportion(nhanes["highlead"], nhanes["finalwgt"], level=0.99)
    assert wide.ci_low < narrow.ci_low < narrow.value < narrow.ci_high < wide.ci_high


def test_korn_graubard_interval_covers_about_95_percent():
    """Coverage of the interval over simulated weighted samples of 60 from p = 0.15."""
    rng = np.random.default_rng(2024)
    covered = 0
    runs = 1000
    for _ in range(runs):
        weights = rng.choice([1.0, 2.0, 4.0], size=60)
        # Answers independent of the weights: the weighted proportion is unbiased for 0.15.
        y = (rng.random(60) < 0.15).astype(float)
        estimate = weighted_proportion(y, weights)
        covered += estimate.ci_low <= 0.15 <= estimate.ci_high
    assert 0.93 <= covered / runs <= 0.995


def test_korn_graubard_without_variance_uses_n():
    assert korn_graubard_interval(0.0, 0.0, 10, 9) == pytest.approx(
        proportion_confint(0, 10, alpha=0.05, method="beta")
    )
    assert all(math.isnan(v) for v in korn_graubard_interval(math.nan, 0.1, 0, 5))


def test_estimate_is_frozen():
    estimate = weighted_mean([1.0, 2.0], [1.0, 1.0])
    assert isinstance(estimate, Estimate)
    with pytest.raises(AttributeError):
        estimate.value = 3  # type: ignore[misc]


def test_shares_of_answer_categories_match_samplics(nhanes, samplics):
    race, weights, strata = nhanes["race"], nhanes["finalwgt"], nhanes["stratid"]
    estimates = shares(race, weights, [1, 2, 3], strata=strata.tolist())
    reference = taylor(samplics, "prop", race, weights, stratum=strata)
    assert sum(e.value for e in estimates.values()) == pytest.approx(1)
    for category, estimate in estimates.items():
        assert estimate.value == pytest.approx(reference.point_est[category], rel=1e-12)
        assert estimate.se == pytest.approx(reference.stderror[category], rel=1e-9)


def test_shares_leave_out_the_unanswered():
    codes = [1, 1, 2, 3, np.nan, 3]
    weights = [1.0, 1.0, 2.0, 1.0, 9.0, 1.0]
    estimates = shares(codes, weights, [1, 2, 3], min_n=1)
    assert [e.value for e in estimates.values()] == pytest.approx([2 / 6, 2 / 6, 2 / 6])
    assert estimates[3] == weighted_proportion([0, 0, 0, 1, np.nan, 1], weights, min_n=1)
