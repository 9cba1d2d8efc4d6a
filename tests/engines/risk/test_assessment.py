"""A whole assessment from a plain mapping: the example file, JSON output and bad input."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from secu4all.engines.risk import assess, assessment_from_mapping, fema_risk

yaml = pytest.importorskip("yaml")

EXAMPLE = Path(__file__).parents[3] / "examples" / "assessment-example.yaml"


@pytest.fixture
def example() -> dict:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def test_example_assessment(example: dict) -> None:
    result = assess(example)
    assert len(result.scenarios) == len(example["scenarios"])
    for scenario in result.scenarios:
        expected = fema_risk(
            scenario.asset_value, scenario.threat.value, scenario.vulnerability.vulnerability
        )
        assert scenario.risk == pytest.approx(expected)
        assert scenario.threat.explanation
        assert scenario.residual_risk <= scenario.risk
    assert result.incomplete  # information.systems is unanswered
    assert result.selection.cost <= example["budget"]
    assert result.selection.gap == pytest.approx(0, abs=1e-6)
    assert result.frontier.complete
    costs = [point.cost for point in result.frontier]
    assert costs == sorted(costs)
    assert result.martyns_law.tier == "out_of_scope"  # open event: no entry checks
    assert not result.martyns_law.applies  # a Dutch site: benchmark only
    data = json.loads(json.dumps(result.to_dict()))
    assert data["selection"]["measures"]
    assert data["scenarios"][0]["drivers"]


def test_partial_questionnaire_is_kept(example: dict) -> None:
    example["answers"] = {"perimeter.hvm": 2}
    result = assess(example)
    assert result.incomplete
    assert all(s.vulnerability.completeness < 1 for s in result.scenarios)


def test_minimal_mapping() -> None:
    result = assess(
        {
            "site": {"name": "Square"},
            "scenarios": [{"id": "robbery", "asset_value": 4, "threat": 3}],
        }
    )
    assert result.selection is None
    assert result.martyns_law is None
    assert result.scenarios[0].vulnerability.vulnerability == 10  # nothing answered


def test_uk_enhanced_premises(example: dict) -> None:
    example["site"] |= {"country": "GB", "event": False, "capacity": 1200}
    law = assess(example).martyns_law
    assert law.tier == "enhanced"
    assert law.applies
    assert "£18 million" in law.penalty


def _set(mapping: dict, path: tuple, value: object) -> dict:
    changed = copy.deepcopy(mapping)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ("measures", 3, "effects"),
            {"vehicle_ramming": 1.2},
            r"measures\[3\].effects.vehicle_ramming: 1.2 is outside \[0, 1\)",
        ),
        (("measures", 2, "yearly_cost_eur"), -5, r"measures\[2\].yearly_cost_eur: -5 is negative"),
        (("measures", 0, "effects"), {"asteroid": 0.1}, "effects.asteroid: unknown scenario id"),
        (("measures", 11, "lifetime_years"), None, r"measures\[11\].lifetime_years"),
        (("measures", 1, "colour"), "red", r"measures\[1\].colour: unknown field"),
        (("scenarios", 0, "id"), "meteor", r"scenarios\[0\].id: unknown scenario id 'meteor'"),
        (("scenarios", 2, "threat"), 11, r"scenarios\[2\].threat: 11 is outside \[1, 10\]"),
        (("answers", "perimeter.hvm"), 9, r"answers.perimeter.hvm: 9 is outside 0..4"),
        (("answers", "perimeter.moat"), 1, "answers.perimeter.moat: unknown question id"),
        (("budget",), 100, r"budget: 100 is below the cost of every measure"),
        (("budget",), "lots", "budget: 'lots' is not a number"),
        (("matrix",), "7x7", "matrix: '7x7' is not one of"),
        (("site",), "Grote Markt", "site: expected a mapping"),
        (("scenarios",), [], "scenarios: expected a non-empty list"),
        (("threat_context", "national_level"), 9, "threat_context.national_level: 9"),
        (("cost_basis",), "vibes", "cost_basis: 'vibes' is not one of"),
        (("site", "capacity"), -3, "site.capacity: -3"),
    ],
)
def test_bad_mapping(example: dict, path: tuple, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        assess(_set(example, path, value))


def test_not_a_mapping() -> None:
    with pytest.raises(ValueError, match="assessment: expected a mapping, got list"):
        assessment_from_mapping([1, 2])


def test_unknown_top_level_field(example: dict) -> None:
    example["budgett"] = 1
    with pytest.raises(ValueError, match="budgett: unknown field"):
        assessment_from_mapping(example)
