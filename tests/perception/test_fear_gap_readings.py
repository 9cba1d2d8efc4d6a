"""The fear gap's words and classes: "more" or "less" only where a test of the difference
supports it, whatever the two separate intervals look like."""

from __future__ import annotations

import pytest
from django.utils import translation

from secu4all.engines.survey import Estimate
from secu4all.neighbourhoods.fear_gap import (
    FearGap,
    FearRow,
    crime_versus_rest,
    fear_geojson,
    fear_versus_all,
    reading,
)

Z = 1.959964


def share(value: float, se: float, n: int = 200, *, suppressed: bool = False) -> Estimate:
    return Estimate(value, se, value - Z * se, value + Z * se, n, n * 0.8, suppressed)


ALL = share(0.50, 0.02, n=1000)


def overlaps(a: Estimate, b: Estimate) -> bool:
    return a.ci_low <= b.ci_high and b.ci_low <= a.ci_high


def test_overlapping_intervals_can_still_differ_clearly() -> None:
    # 0.565 ± 0.039 and 0.50 ± 0.039 overlap, yet the difference, 0.065 ± 0.055, excludes 0.
    area = share(0.565, 0.02)
    assert overlaps(area, ALL)
    fear_class, difference = fear_versus_all(area, ALL)
    assert fear_class == "higher"
    assert difference.ci_low > 0
    assert difference.value == pytest.approx(0.065)


def test_a_difference_whose_interval_holds_zero_is_no_clear_difference() -> None:
    area = share(0.53, 0.02)
    fear_class, difference = fear_versus_all(area, ALL)
    assert fear_class == "unclear"
    assert difference.ci_low < 0 < difference.ci_high
    lower, _d = fear_versus_all(share(0.40, 0.02), ALL)
    assert lower == "lower"


def test_too_few_or_no_respondents_are_not_compared() -> None:
    assert fear_versus_all(share(0.9, 0.05, n=12, suppressed=True), ALL) == ("too-few", None)
    assert fear_versus_all(None, ALL) == ("no-data", None)


def row(code: str, incidents: int, population: int | None, fear: Estimate | None) -> FearRow:
    rate = None if not population else 1000 * incidents / population
    return FearRow(code, code, fear, rate, incidents, population)


def test_crime_is_set_against_the_other_neighbourhoods_with_an_exact_interval() -> None:
    low, mid, high = row("A", 20, 4000, None), row("B", 120, 6000, None), row("C", 100, 2000, None)
    rows = [low, mid, high]
    assert crime_versus_rest(low, rows)[0] == "lower"
    assert crime_versus_rest(high, rows)[0] == "higher"
    klass, contrast = crime_versus_rest(mid, rows)
    assert klass == "unclear"  # 20 per 1,000 against 20 per 1,000 elsewhere
    assert contrast.ci_low < 1 < contrast.ci_high
    assert contrast.rest_rate == pytest.approx(20.0)
    # A small neighbourhood with a high rate but few incidents: not clearly higher.
    small = row("D", 4, 100, None)
    assert crime_versus_rest(small, [small, mid])[0] == "unclear"
    assert crime_versus_rest(row("E", 3, None, None), rows) == ("no-data", None)


@pytest.mark.parametrize(
    ("fear", "crime", "start"),
    [
        ("higher", "lower", "More fear than its recorded crime suggests:"),
        ("lower", "higher", "Less fear than its recorded crime suggests:"),
        ("higher", "higher", "Fear in line with recorded crime: both clearly higher"),
        ("lower", "lower", "Fear in line with recorded crime: both clearly lower"),
        ("higher", "unclear", "Clearly more residents feel unsafe"),
        ("lower", "unclear", "Clearly fewer residents feel unsafe"),
        ("unclear", "lower", "No clear difference:"),
        ("unclear", "higher", "No clear difference:"),
    ],
)
def test_readings_follow_both_tests(fear, crime, start) -> None:
    subject = row("A", 10, 1000, share(0.5, 0.02))
    subject.fear_class, subject.crime_class = fear, crime
    with translation.override("en"):
        assert reading(subject).startswith(start)


def test_map_data_carries_honest_classes_labels_and_intervals() -> None:
    clear = row("A", 20, 4000, share(0.565, 0.02))
    unclear = row("B", 120, 6000, share(0.53, 0.02))
    few = row("C", 100, 2000, share(0.9, 0.05, n=12, suppressed=True))
    rows = [clear, unclear, few]
    for r, lon in zip(rows, (4.29, 4.30, 4.31), strict=True):
        r.fear_class, r.fear_difference = fear_versus_all(r.fear, ALL)
        r.crime_class, r.crime_contrast = crime_versus_rest(r, rows)
        r.reading = reading(r)
        r.lon, r.lat = lon, 52.07
    with translation.override("nl"):
        features = fear_geojson(FearGap("x", "y", rows, "", ALL))["features"]
    props = {f["properties"]["code"]: f["properties"] for f in features}
    assert props["A"]["fear_class"] == "higher"
    assert props["A"]["crime_class"] == "lower"
    assert (props["A"]["fear_low"], props["A"]["fear"], props["A"]["fear_high"]) == (
        52.6,
        56.5,
        60.4,
    )
    assert "52,6\u00a0%–60,4\u00a0%" in props["A"]["label"]  # the interval, in Dutch notation
    assert props["B"]["fear_class"] == "unclear"
    assert props["C"]["fear_class"] == "too-few"
    assert props["C"]["fear"] is None  # no figure, and so no colour, from too few answers
    assert all(p["fear_class_label"] and p["crime_class_label"] for p in props.values())
