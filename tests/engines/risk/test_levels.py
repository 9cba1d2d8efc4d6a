"""Plain risk levels: the site's headline is its worst scenario's level, with the score's scale."""

from __future__ import annotations

import pytest

from secu4all.engines import risk
from secu4all.engines.risk.levels import ScenarioLevel, level_trend, site_level

MATRIX = risk.PROTECT_UK_4X4


def level(scenario_id: str, a: float, t: float, v: float) -> ScenarioLevel:
    return ScenarioLevel(scenario_id, a * t * v, MATRIX.classify_fema(a, t, v))


def test_headline_is_the_most_serious_level_not_the_average() -> None:
    crime = [level(f"crime{i}", 2, 2, 2) for i in range(10)]  # ten low scenarios
    vehicle = level("vehicle_ramming", 10, 9, 9)  # one very high
    headline = site_level([*crime, vehicle])
    assert headline.cell.label == "Very high"
    assert headline.at_level == 1
    assert headline.scenarios == 11
    assert headline.scale == 11_000
    assert headline.total == pytest.approx(10 * 8 + 810)


def test_top_three_drivers_by_score_with_their_share() -> None:
    levels = [level("a", 5, 5, 5), level("b", 8, 8, 8), level("c", 2, 2, 2), level("d", 6, 6, 6)]
    top = site_level(levels).top
    assert [d.scenario.scenario_id for d in top] == ["b", "d", "a"]
    total = 125 + 512 + 8 + 216
    assert top[0].share == pytest.approx(512 / total)
    assert sum(d.share for d in top) < 1


def test_no_scenario_has_no_level() -> None:
    assert site_level([]) is None


@pytest.mark.parametrize(
    ("before", "after", "trend"),
    [(1, 2, "up"), (2, 1, "down"), (2, 2, "same"), (None, 2, None), (2, None, None)],
)
def test_trend_since_the_previous_version(before, after, trend) -> None:
    assert level_trend(before, after) == trend


def test_measure_relevance_to_site_kind() -> None:
    assert not risk.relevant_to("occupancy_checks", "stadium")
    assert risk.relevant_to("occupancy_checks", "holiday-park")
    assert not risk.relevant_to("bag_checks", "market")
    assert risk.relevant_to("cctv_live", "market")  # not listed: fits every kind
    assert risk.relevant_to("own-fence", "stadium")
    assert set(risk.SITE_KINDS) <= {m.id for m in risk.CATALOGUE}


def test_risk_removed_by_a_measure_on_its_own() -> None:
    assert risk.risk_removed({"a": 0.5, "b": 0.1}, {"a": 200.0, "b": 100.0, "c": 50.0}) == (
        pytest.approx(110.0)
    )
