"""Weights and estimates of a wave: the page shows what the engine computes, and the engine's
figures agree with a computation by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from django.urls import reverse
from django_scopes import scope

from secu4all.common.numbers import format_number, format_percent
from secu4all.engines.survey import post_stratify, weighted_mean, weighted_proportion
from secu4all.perception.estimates import wave_change, wave_results
from tests.support.perception import AREAS, UNSAFE, fill, make_response, margin_rows

pytestmark = pytest.mark.django_db


def test_post_stratified_share_matches_the_engine_and_a_hand_computation(town) -> None:
    wave = town["wave"]
    rows = fill(wave)
    with scope(organisation=wave.organisation):
        results = wave_results(wave)
    assert results.weighting.method == "post-stratification"
    feels = results.indicator("feels_unsafe")
    # By hand: within an area every cell has the same population and the same respondents, so
    # the weighted share is the area's share; overall, areas weigh by population (4:6:2 → 1/3,
    # 1/2, 1/6 of the 15+ population).
    assert feels.by_area["BU01"].value == pytest.approx(0.25)
    assert feels.by_area["BU03"].value == pytest.approx(0.75)
    expected = 0.25 * 3200 / 9600 + 0.5 * 4800 / 9600 + 0.75 * 1600 / 9600
    assert feels.overall.value == pytest.approx(expected, abs=0.002)
    # The same data through the engine directly.
    population = {(c, a, s): n for c, a, s, n in margin_rows()}
    cells = [(r[0], r[1], r[2]) for r in rows]
    weights = post_stratify(cells, population)
    y = np.array([1.0 if r[3] in (1, 2) else 0.0 for r in rows])
    strata = [r[0] for r in rows]
    direct = weighted_proportion(y, weights, strata=strata, min_n=30)
    assert feels.overall.value == pytest.approx(direct.value)
    assert feels.overall.se == pytest.approx(direct.se)
    assert feels.overall.ci_low == pytest.approx(direct.ci_low)
    assert feels.overall.ci_high == pytest.approx(direct.ci_high)
    assert feels.overall.n == len(rows) == 96
    marks = np.array([r[4] for r in rows], dtype=float)
    mean = weighted_mean(marks, weights, strata=strata, min_n=30)
    assert results.indicator("report_mark").overall.value == pytest.approx(mean.value)
    # The hand-computed weighted mean: within each area equal weights per respondent.
    area_means = {c: np.mean([r[4] for r in rows if r[0] == c]) for c in AREAS}
    hand = sum(area_means[c] * AREAS[c][1] for c in AREAS) / sum(p for _n, p in AREAS.values())
    assert mean.value == pytest.approx(hand, abs=0.01)


def test_results_page_prints_the_engine_figures(client, town, make_member) -> None:
    wave = town["wave"]
    fill(wave)
    with scope(organisation=wave.organisation):
        results = wave_results(wave)
    feels = results.indicator("feels_unsafe").overall
    client.force_login(make_member(town["organisation"], "analyst"))
    page = client.get(reverse("perception:wave", args=["havenstad", wave.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert format_percent(feels.value, share=True) in html
    assert f"{format_number(100 * feels.ci_low, 1)}–{format_number(100 * feels.ci_high, 1)}" in html
    assert "Post-stratified to the population" in html
    # 32 respondents per area: above the default threshold of 30, nothing flagged.
    assert 'class="flag"' not in html


def test_small_neighbourhoods_are_flagged_with_the_organisations_threshold(town) -> None:
    wave = town["wave"]
    fill(wave, per_cell=2)  # 16 per area, 48 overall
    from secu4all.perception.services import setting_save

    with scope(organisation=wave.organisation):
        results = wave_results(wave)
        feels = results.indicator("feels_unsafe")
        assert all(e.suppressed for e in feels.by_area.values())
        assert not feels.overall.suppressed
        setting_save(organisation=wave.organisation, actor=None, min_n=10)
        feels = wave_results(wave).indicator("feels_unsafe")
        assert not any(e.suppressed for e in feels.by_area.values())


def test_an_empty_cell_switches_to_raking_and_says_so(town) -> None:
    wave = town["wave"]
    fill(wave, skip={("BU02", "15-24", "male")})
    with scope(organisation=wave.organisation):
        results = wave_results(wave)
    assert results.weighting.method in ("raking", "raking-marginal")
    assert any("no respondents" in note for note in results.weighting.notes)
    # Raking still reproduces each neighbourhood's population.
    weights = results.weighting.weights
    assert weights.sum() == pytest.approx(sum(n for *_c, n in margin_rows()), rel=1e-6)


def test_respondents_who_cannot_be_weighted_are_counted_out(town) -> None:
    wave = town["wave"]
    fill(wave)
    make_response(wave, area="BU01", age="", sex="female", answers={"vm_feels_unsafe": 1})
    make_response(wave, area="BU01", age="65+", sex="other", answers={"vm_feels_unsafe": 1})
    with scope(organisation=wave.organisation):
        results = wave_results(wave)
    assert results.responses == 98
    assert results.indicator("feels_unsafe").overall.n == 96
    assert any(note.startswith("2 respondents") for note in results.weighting.notes)


def test_change_between_waves_has_an_interval_and_a_test(town) -> None:
    from secu4all.perception.services import wave_create

    first = town["wave"]
    fill(first)
    with scope(organisation=first.organisation):
        second = wave_create(
            organisation=first.organisation,
            actor=None,
            questionnaire=first.questionnaire,
            name="Wave 2026",
            period_start=first.period_start.replace(year=2026),
            period_end=first.period_end.replace(year=2026),
        )
    fill(second, unsafe={"BU01": 0.0, "BU02": 0.25, "BU03": 0.25})
    with scope(organisation=first.organisation):
        rows = {c.indicator.code: c for c in wave_change(wave_results(first), wave_results(second))}
    feels = rows["feels_unsafe"]
    assert feels.change.value == pytest.approx(feels.after.value - feels.before.value)
    assert feels.change.value < 0
    se = math.sqrt(feels.before.se**2 + feels.after.se**2)
    assert feels.change.se == pytest.approx(se)
    assert feels.change.ci_low == pytest.approx(feels.change.value - 1.959964 * se, rel=1e-4)
    assert feels.change.significant
    assert feels.reading == "better"  # less fear
    assert not rows["report_mark"].change.significant  # same marks in both waves
    assert rows["report_mark"].reading == "no clear change"


def test_no_margins_means_unweighted_and_said(town) -> None:
    from secu4all.perception.models import PopulationMargin

    wave = town["wave"]
    fill(wave, per_cell=1)
    with scope(organisation=wave.organisation):
        PopulationMargin.objects.all().delete()
        results = wave_results(wave)
    assert results.weighting.method == "none"
    assert results.indicator("feels_unsafe").overall.value == pytest.approx(
        np.mean(
            [1 if i < round(UNSAFE[c] * 1) else 0 for c in AREAS for _ in range(8) for i in [0]]
        )
    )
    assert "unweighted" in results.weighting.notes[0]


def test_page_figures_agree_with_samplics_on_the_same_weights(town) -> None:
    """An independent implementation (samplics' Taylor estimator, test-only) of the mean
    report mark, overall and per neighbourhood, with the weights the page used."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # samplics is archived; still correct
        import samplics

    wave = town["wave"]
    rows = fill(wave, skip={("BU02", "15-24", "male")})  # raking, unequal weights
    with scope(organisation=wave.organisation):
        results = wave_results(wave)
    weights = results.weighting.weights
    marks = np.array([r[4] for r in rows], dtype=float)
    areas = np.array([r[0] for r in rows])
    overall = samplics.TaylorEstimator(samplics.PopParam.mean)
    overall.estimate(y=marks, samp_weight=weights, stratum=areas)
    ours = results.indicator("report_mark")
    assert ours.overall.value == pytest.approx(overall.point_est, rel=1e-10)
    assert ours.overall.se == pytest.approx(overall.stderror, rel=1e-8)
    assert ours.overall.ci_low == pytest.approx(overall.lower_ci, rel=1e-8)
    by_area = samplics.TaylorEstimator(samplics.PopParam.mean)
    by_area.estimate(y=marks, samp_weight=weights, stratum=areas, domain=areas)
    for code in AREAS:
        assert ours.by_area[code].value == pytest.approx(by_area.point_est[code], rel=1e-10)
        assert ours.by_area[code].se == pytest.approx(by_area.stderror[code], rel=1e-8)
