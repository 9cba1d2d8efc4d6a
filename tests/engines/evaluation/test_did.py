"""Difference-in-differences: statsmodels' estimates, coverage, wild bootstrap, staggered starts."""

import itertools
import warnings

import numpy as np
import pytest

from secu4all.engines.evaluation import did, staggered_did


def _panel(seed, areas=40, periods=10, start=5, effect=2.0, missing=0.0):
    rng = np.random.default_rng(seed)
    area = np.repeat(np.arange(areas), periods)
    period = np.tile(np.arange(periods), areas)
    treated = ((area < areas // 2) & (period >= start)).astype(float)
    noise = rng.normal(size=area.size)
    noise += rng.normal(scale=0.5, size=areas)[area] * (period / periods)  # within-area drift
    y = rng.normal(size=areas)[area] + rng.normal(size=periods)[period] + effect * treated + noise
    keep = rng.random(area.size) >= missing
    return y[keep], area[keep], period[keep], treated[keep], rng


def test_linear_effect_and_clustered_se_equal_statsmodels_on_an_unbalanced_panel():
    smf = pytest.importorskip("statsmodels.formula.api")
    pd = pytest.importorskip("pandas")
    y, area, period, treated, _ = _panel(1, missing=0.1)
    ours = did(y, area.tolist(), period, treated)
    frame = pd.DataFrame({"y": y, "a": area, "t": period, "d": treated})
    reference = smf.ols("y ~ d + C(a) + C(t)", frame).fit(
        cov_type="cluster", cov_kwds={"groups": frame["a"]}
    )
    assert ours.effect == pytest.approx(reference.params["d"], rel=1e-9)
    assert ours.se == pytest.approx(reference.bse["d"], rel=1e-7)
    assert ours.clusters == 40
    assert ours.inference.startswith("cluster-robust")


def test_poisson_effect_with_exposure_and_clustered_se_equal_statsmodels():
    sm = pytest.importorskip("statsmodels.api")
    smf = pytest.importorskip("statsmodels.formula.api")
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(2)
    area = np.repeat(np.arange(35), 8)
    period = np.tile(np.arange(8), 35)
    treated = ((area < 15) & (period >= 4)).astype(float)
    population = rng.integers(40, 8000, 35)[area].astype(float)
    mean = population * np.exp(-4 + 0.4 * rng.normal(size=35)[area] + 0.1 * period - 0.3 * treated)
    counts = rng.poisson(mean).astype(float)
    ours = did(counts, area, period, treated, model="poisson", exposure=population)
    frame = pd.DataFrame({"y": counts, "a": area, "t": period, "d": treated})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = smf.glm(
            "y ~ d + C(a) + C(t)", frame, family=sm.families.Poisson(), offset=np.log(population)
        ).fit(cov_type="cluster", cov_kwds={"groups": frame["a"]})
    assert ours.effect == pytest.approx(reference.params["d"], rel=1e-7)
    assert ours.se == pytest.approx(reference.bse["d"], rel=1e-6)
    assert ours.rate_ratio == pytest.approx(np.exp(ours.effect))
    assert ours.rate_ratio_low < ours.rate_ratio < ours.rate_ratio_high


def test_planted_effect_is_inside_the_interval_in_at_least_93_of_100_replications():
    covered = 0
    for seed in range(100):
        y, area, period, treated, _ = _panel(seed, areas=40, periods=8, start=4, effect=2.0)
        result = did(y, area, period, treated, leads=0)
        covered += result.ci_low <= 2.0 <= result.ci_high
    assert covered >= 93


def test_wild_cluster_bootstrap_equals_a_brute_force_enumeration_with_few_clusters():
    """Under 30 areas: every Rademacher pattern, each rerun as a full dummy regression."""
    y, area, period, treated, _ = _panel(4, areas=8, periods=6, start=3, effect=0.8)
    ours = did(y, area, period, treated, leads=0)
    assert ours.inference.startswith("wild cluster bootstrap")

    dummies = np.column_stack(
        [treated, np.ones_like(y)]
        + [(area == a).astype(float) for a in range(1, 8)]
        + [(period == t).astype(float) for t in range(1, 6)]
    )

    def clustered_t(outcome, null):
        beta, *_ = np.linalg.lstsq(dummies, outcome, rcond=None)
        residual = outcome - dummies @ beta
        bread = np.linalg.inv(dummies.T @ dummies)
        scores = np.array([dummies[area == a].T @ residual[area == a] for a in range(8)])
        n, k = dummies.shape
        covariance = 8 / 7 * (n - 1) / (n - k) * bread @ scores.T @ scores @ bread
        return (beta[0] - null) / np.sqrt(covariance[0, 0])

    restricted_design = dummies[:, 1:]
    fitted = restricted_design @ np.linalg.lstsq(restricted_design, y, rcond=None)[0]
    residual = y - fitted
    observed = abs(clustered_t(y, 0.0))
    exceed = 0
    patterns = list(itertools.product((-1.0, 1.0), repeat=8))
    for signs in patterns:
        statistic = abs(clustered_t(fitted + residual * np.array(signs)[area], 0.0))
        exceed += statistic >= observed - 1e-9  # ties (all +1, all −1) count, as in ours
    assert ours.p_value == pytest.approx(exceed / len(patterns), abs=1e-12)
    assert ours.ci_low < ours.effect < ours.ci_high


def test_pre_trend_test_flags_areas_that_were_already_drifting_apart():
    y, area, period, treated, _ = _panel(5, areas=40, periods=10, start=6, effect=0.0)
    flat = did(y, area, period, treated, leads=5)
    drifting = y + np.where(area < 20, 0.3 * period, 0.0)
    drift = did(drifting, area, period, treated, leads=5)
    assert list(flat.pre_trend.leads) == [-2, -3, -4, -5, -6]
    slope = np.polyfit(drift.pre_trend.leads, drift.pre_trend.coefficients, 1)[0]
    assert slope == pytest.approx(0.3, abs=0.15)  # the planted drift per period
    assert flat.pre_trend.p_value > 0.05
    assert drift.pre_trend.p_value < 0.001


def _staggered(seed):
    rng = np.random.default_rng(seed)
    areas, periods = 90, 12
    area = np.repeat(np.arange(areas), periods)
    period = np.tile(np.arange(periods), areas) + 2015
    cohort = np.array([np.nan] * 30 + [2019.0] * 30 + [2023.0] * 30)[area]
    since = period - cohort
    effect = np.nan_to_num(np.where(since >= 0, 1 + 0.5 * since, 0.0))
    y = rng.normal(size=areas)[area] + 0.3 * (period - 2015) + effect + rng.normal(size=area.size)
    truth = np.mean([1 + 0.5 * (t - g) for g in (2019, 2023) for t in range(g, 2027)])
    return y, area, period, cohort, since, truth


def test_staggered_starts_recover_growing_effects_that_twfe_gets_wrong():
    y, area, period, cohort, since, truth = _staggered(6)
    result = staggered_did(y, area, period, cohort)
    assert result.ci_low <= truth <= result.ci_high
    assert result.treated_areas == 60
    assert result.comparison_areas == 30
    on = np.nan_to_num(since >= 0).astype(float)
    twfe = did(y, area, period, on, leads=0)
    assert abs(twfe.effect - truth) > 3 * result.se  # the negative-weight bias
    # Event study: no leads, then 1, 1.5, 2, ... after the start.
    lags = result.event_times >= 0
    misses = np.abs(result.event_att[lags] - (1 + 0.5 * result.event_times[lags]))
    assert (misses < 4 * result.event_se[lags]).all()
    assert result.pre_trend.p_value > 0.01


def test_group_time_effect_is_the_hand_computed_two_by_two_difference():
    y, area, period, cohort, _, _ = _staggered(7)
    result = staggered_did(y, area, period, cohort)
    panel = y.reshape(90, 12)
    # Cohort 2019 (column 4), period 2021 (column 6), base period 2018 (column 3).
    hand = (panel[30:60, 6] - panel[30:60, 3]).mean() - (panel[:30, 6] - panel[:30, 3]).mean()
    index = np.flatnonzero((result.groups == 2019) & (result.times == 2021))[0]
    assert result.att[index] == pytest.approx(hand)
    diff_g = panel[30:60, 6] - panel[30:60, 3]
    diff_c = panel[:30, 6] - panel[:30, 3]
    hand_se = np.sqrt(diff_g.var() / 30 + diff_c.var() / 30)
    assert result.att_se[index] == pytest.approx(hand_se)


def test_staggered_pre_trend_detects_anticipation():
    y, area, period, cohort, since, _ = _staggered(8)
    anticipating = y + np.nan_to_num(np.where((since < 0) & (since >= -3), 2.0 + since, 0.0))
    result = staggered_did(anticipating, area, period, cohort)
    assert result.pre_trend.p_value < 0.001


def test_poisson_with_few_areas_uses_the_wild_score_bootstrap():
    rng = np.random.default_rng(9)
    area = np.repeat(np.arange(12), 10)
    period = np.tile(np.arange(10), 12)
    treated = ((area < 6) & (period >= 5)).astype(float)
    population = rng.integers(500, 5000, 12)[area].astype(float)
    base = population * np.exp(-3 + 0.3 * rng.normal(size=12)[area])
    strong = did(
        rng.poisson(base * np.exp(-0.7 * treated)).astype(float),
        area,
        period,
        treated,
        model="poisson",
        exposure=population,
    )
    assert strong.inference.startswith("wild score bootstrap")
    assert strong.p_value == pytest.approx(2 / 2**12)  # only ±(all signs +1) reach it
    nulls = [
        did(rng.poisson(base).astype(float), area, period, treated, model="poisson",
            exposure=population, leads=0).p_value
        for _ in range(20)
    ]  # fmt: skip
    assert 0.2 < np.mean(nulls) < 0.8  # roughly uniform under no effect
    assert min(nulls) > 2 / 2**12


def test_staggered_effects_and_standard_errors_equal_csdid():
    """csdid (the Python port of Callaway & Sant'Anna's R package did), never-treated controls.

    Post-start cells and aggregates agree exactly; the leads differ by design (csdid's
    default compares each lead with the period before it, ours with the period before the
    start, which is what an event-study plot of pre-trends needs).
    """
    pytest.importorskip("csdid")
    pd = pytest.importorskip("pandas")
    import contextlib
    import io

    from csdid.att_gt import ATTgt

    y, area, period, cohort, _, _ = _staggered(6)
    ours = staggered_did(y, area, period, cohort)
    frame = pd.DataFrame(
        {"y": y, "id": area, "t": period, "g": np.nan_to_num(cohort, nan=0).astype(int)}
    )
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        reference = ATTgt(
            yname="y", gname="g", idname="id", tname="t", data=frame,
            control_group="nevertreated",
        ).fit(est_method="reg", bstrap=False)  # fmt: skip
        cells = {key: np.ravel(value) for key, value in reference.results.items()}
        reference.aggte(typec="simple", bstrap=False)
        simple = dict(reference.atte)
        reference.aggte(typec="dynamic", bstrap=False)
        dynamic = dict(reference.atte)
    post = cells["year"] >= cells["group"]
    for group, year, att, se in zip(
        cells["group"][post], cells["year"][post], cells["att"][post], cells["se"][post],
        strict=True,
    ):  # fmt: skip
        index = np.flatnonzero((ours.groups == group) & (ours.times == year))[0]
        assert ours.att[index] == pytest.approx(att, rel=1e-10)
        assert ours.att_se[index] == pytest.approx(se, rel=1e-8)
    assert ours.effect == pytest.approx(simple["overall_att"], rel=1e-10)
    assert ours.se == pytest.approx(simple["overall_se"], rel=1e-8)
    lags = np.ravel(dynamic["egt"]) >= 0
    np.testing.assert_allclose(
        ours.event_att[ours.event_times >= 0], np.ravel(dynamic["att_egt"])[lags], rtol=1e-10
    )
    np.testing.assert_allclose(
        ours.event_se[ours.event_times >= 0], np.ravel(dynamic["se_egt"])[lags], rtol=1e-8
    )
