"""The survey results page read at a glance: plain sentences, charts beside the tables, the
trend across waves and the comparison wave chosen for the reader."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from secu4all.engines.survey import Estimate
from secu4all.perception.estimates import INDICATORS, wave_results
from secu4all.perception.reading import plain_estimate
from secu4all.perception.selectors import wave_previous, wave_series
from secu4all.perception.services import wave_create
from tests.support.perception import fill

pytestmark = pytest.mark.django_db
FEELS_UNSAFE = next(i for i in INDICATORS if i.code == "feels_unsafe")
REPORT_MARK = next(i for i in INDICATORS if i.code == "report_mark")


@pytest.fixture(autouse=True)
def _default_language():
    """The locale middleware leaves the request's language active in the test thread; put the
    default back so later tests read English."""
    yield
    translation.deactivate()


def later_wave(town, name="Wave 2026", start=date(2026, 10, 1), **extra):
    with scope(organisation=town["organisation"]):
        return wave_create(
            organisation=town["organisation"],
            actor=None,
            questionnaire=town["questionnaire"],
            name=name,
            period_start=start,
            period_end=start.replace(day=28),
            **extra,
        )


def test_an_estimate_reads_as_a_plain_sentence_with_its_interval() -> None:
    estimate = Estimate(0.745, 0.02, 0.71, 0.78, 120, 100.0, False)
    with translation.override("en"):
        text = plain_estimate(estimate, FEELS_UNSAFE, min_n=30)
    assert text == (
        "74.5% of residents, from 120 who answered. The true share lies between 71.0% and "
        "78.0% of residents, 95 times in 100."
    )
    with translation.override("nl"):
        text = plain_estimate(estimate, FEELS_UNSAFE, min_n=30)
    assert "tussen 71,0\u00a0% en 78,0\u00a0%" in text
    with translation.override("de"):
        mean = plain_estimate(Estimate(6.85, 0.1, 6.7, 7.0, 90, 80.0, False), REPORT_MARK, min_n=30)
    assert "zwischen 6,70 und 7,00" in mean
    with translation.override("en"):
        few = plain_estimate(Estimate(0.5, 0.1, 0.3, 0.7, 12, 10.0, True), FEELS_UNSAFE, min_n=30)
    assert few == "Only 12 respondents answered, fewer than the 30 needed to publish a figure."
    assert "%" not in few  # no figure for a suppressed estimate


def test_the_previous_wave_of_the_same_questionnaire_and_population(town) -> None:
    first = town["wave"]
    second = later_wave(town)
    other_area = later_wave(town, "Noord only", date(2026, 5, 1), area_code="BU01")
    third = later_wave(town, "Wave 2027", date(2027, 10, 1))
    with scope(organisation=town["organisation"]):
        assert wave_previous(wave=first) is None
        assert wave_previous(wave=second) == first
        assert wave_previous(wave=third) == second  # not the one-neighbourhood wave between
        assert wave_previous(wave=other_area) is None
        assert wave_series(wave=third) == [first, second, third]
        assert wave_series(wave=third, limit=2) == [second, third]


def test_results_page_has_plain_readings_charts_trend_and_preselected_comparison(
    client, town, make_member
) -> None:
    first = town["wave"]
    second = later_wave(town)
    fill(first, per_cell=2)
    fill(second, per_cell=2, unsafe={"BU01": 0.0, "BU02": 0.5, "BU03": 0.5})
    client.force_login(make_member(town["organisation"], "analyst"))
    url = reverse("perception:wave", args=["havenstad", second.pk])
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    # The comparison is preselected and said to be.
    assert f'<option value="{first.pk}" selected>' in page
    assert "Preselected: the previous wave" in page
    assert "From Wave 2025 to Wave 2026, all neighbourhoods" in page
    # Plain words in the main reading; the technical terms only inside the details block.
    main, _sep, details = page.partition('<details class="method">')
    assert "95 times in 100" in main
    for term in ("Korn", "Taylor", "Post-stratified", "design effect", "Raked"):
        assert term not in main, term
    assert "Korn–Graubard" in details
    assert "Post-stratified" in details
    # A bar chart per indicator beside its table, with an accessible name and a caption.
    with scope(organisation=town["organisation"]):
        results = wave_results(second)
    figures = re.findall(r'<figure class="chart-figure">.*?</figure>', page, re.S)
    bars = [f for f in figures if "chart-bars" in f]
    assert len(bars) == len(results.indicators) == 2
    assert all("<figcaption>" in f and 'role="img"' in f for f in bars)
    feels = next(f for f in bars if "Feels unsafe" in f)
    assert feels.count('class="interval"') == 3  # one whisker per neighbourhood
    # The trend across the two waves, with its table.
    trends = [f for f in figures if "chart-trend" in f]
    assert len(trends) == 2
    assert "Wave 2025" in trends[0]
    assert "Wave 2026" in trends[0]
    assert "Feels unsafe sometimes or often across waves" in page
    # Choosing "—" compares with nothing.
    none = client.get(url + "?compare=").content.decode()
    assert "From Wave 2025 to Wave 2026" not in none
    assert "Preselected" not in none


def test_results_page_numbers_follow_the_language(client, town, make_member) -> None:
    fill(town["wave"], per_cell=2)
    client.force_login(make_member(town["organisation"], "analyst"))
    client.cookies["django_language"] = "de"
    page = client.get(reverse("perception:wave", args=["havenstad", town["wave"].pk]))
    text = page.content.decode()
    assert "95 von 100 Fällen" in text
    ticks = re.findall(r'class="tick"[^>]*>([^<]*)<', text)
    assert "20\u00a0%" in ticks
    assert "20%" not in ticks
    assert "chart-trend" not in text  # one wave: no trend to draw
