"""Scenario, question and measure libraries, vulnerability aggregation and costs."""

from __future__ import annotations

import pytest

from secu4all.engines.risk import (
    CATALOGUE,
    QUESTIONS,
    SCENARIOS,
    Measure,
    Question,
    annualised_cost,
    measure_by_id,
    scenario_by_id,
    total_cost_of_ownership,
    vulnerability_scores,
)
from secu4all.engines.risk.vulnerability import DOMAINS, check_questions


def test_scenario_library() -> None:
    ids = [scenario.id for scenario in SCENARIOS]
    assert len(ids) == len(set(ids))
    for required in (
        "marauding_firearms",
        "edged_weapon",
        "vehicle_parked",
        "vehicle_encroachment",
        "vehicle_ramming",
        "vehicle_deception",
        "vehicle_duress",
        "ied",
        "pbied",
        "vbied",
        "drone_ied",
        "fire_as_weapon",
        "cbr",
        "crowd_crush",
        "pickpocketing_theft",
        "drug_production",
        "criminal_ownership",
    ):
        assert required in ids
    assert scenario_by_id("crowd_crush").family == "crowd"
    with pytest.raises(ValueError, match="unknown scenario id 'meteor'"):
        scenario_by_id("meteor")


def test_question_library_covers_every_scenario_and_domain() -> None:
    check_questions(QUESTIONS)
    covered = {scenario for question in QUESTIONS for scenario in question.scenarios}
    assert covered == {scenario.id for scenario in SCENARIOS}
    assert {question.domain for question in QUESTIONS} == set(DOMAINS)


def _best(question: Question) -> int:
    return len(question.scale) - 1


def test_all_best_answers_give_the_lowest_score() -> None:
    scores = vulnerability_scores({q.id: _best(q) for q in QUESTIONS})
    for score in scores.values():
        assert score.vulnerability == pytest.approx(1.0)
        assert not score.incomplete
        assert score.drivers == ()


def test_one_critical_gap_is_not_averaged_away() -> None:
    answers = {q.id: _best(q) for q in QUESTIONS}
    answers["perimeter.hvm"] = 0
    score = vulnerability_scores(answers, scenario_ids=["vehicle_ramming"])["vehicle_ramming"]
    assert score.vulnerability == pytest.approx(10.0)
    assert score.drivers[0] == "perimeter.hvm"
    # A non-critical gap still counts more than its share of a plain average.
    answers = {q.id: _best(q) for q in QUESTIONS}
    answers["site.symbolic_value"] = 0
    relevant = [q for q in QUESTIONS if "vehicle_ramming" in q.scenarios]
    plain_average = 1 / len(relevant)
    score = vulnerability_scores(answers, scenario_ids=["vehicle_ramming"])["vehicle_ramming"]
    assert score.gap > 2 * plain_average
    assert score.drivers == ("site.symbolic_value",)


def test_unanswered_is_worst_case_and_flagged() -> None:
    answers = {q.id: _best(q) for q in QUESTIONS if q.id != "crowd.capacity"}
    score = vulnerability_scores(answers, scenario_ids=["crowd_crush"])["crowd_crush"]
    assert score.incomplete
    assert score.unanswered == ("crowd.capacity",)
    assert score.vulnerability == pytest.approx(10.0)  # critical and unknown
    assert 0 < score.completeness < 1
    empty = vulnerability_scores({})
    assert all(s.incomplete and s.vulnerability == 10 for s in empty.values())


def test_answers_by_label_and_none() -> None:
    by_label = vulnerability_scores({"perimeter.hvm": "Good"}, scenario_ids=["vehicle_ramming"])
    by_index = vulnerability_scores({"perimeter.hvm": 3}, scenario_ids=["vehicle_ramming"])
    assert by_label == by_index
    unanswered = vulnerability_scores({"perimeter.hvm": None}, scenario_ids=["vehicle_ramming"])
    assert "perimeter.hvm" in unanswered["vehicle_ramming"].unanswered


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"perimeter.hvm": 5}, r"answers.perimeter.hvm: 5 is outside 0..4"),
        ({"perimeter.hvm": -1}, r"answers.perimeter.hvm: -1 is outside 0..4"),
        ({"perimeter.hvm": "Maybe"}, r"answers.perimeter.hvm: 'Maybe' is not one of"),
        ({"perimeter.hvm": 2.5}, r"answers.perimeter.hvm: 2.5 is neither"),
        ({"perimeter.moat": 1}, r"answers.perimeter.moat: unknown question id"),
    ],
)
def test_bad_answers(answers: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        vulnerability_scores(answers)


def test_bad_scenario_id() -> None:
    with pytest.raises(ValueError, match="scenario_ids: unknown scenario id 'x'"):
        vulnerability_scores({}, scenario_ids=["x"])


def test_catalogue() -> None:
    ids = [measure.id for measure in CATALOGUE]
    assert len(ids) == len(set(ids))
    categories = {measure.category for measure in CATALOGUE}
    assert {"hvm", "access", "detection", "lighting", "training", "procedures"} <= categories
    assert {"communication", "crowd", "design", "cooperation"} <= categories
    assert all(m.rating is not None for m in CATALOGUE if m.id.startswith("hvm_"))
    assert measure_by_id("lighting").perceived_safety == 2


def test_costs() -> None:
    measure = Measure("m", "M", "lighting", 10_000, 500, 10, {"robbery": 0.1})
    assert annualised_cost(measure, discount_rate=0) == pytest.approx(1_500)
    # Capital recovery factor at 5 % over 10 years is 0.129505.
    assert annualised_cost(measure, discount_rate=0.05) == pytest.approx(1295.05 + 500, abs=0.01)
    assert total_cost_of_ownership(measure, 20, discount_rate=0) == pytest.approx(30_000)
    assert total_cost_of_ownership(measure, 1, discount_rate=0.05) == pytest.approx(10_500)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"investment_eur": -1}, "measure 'm'.investment_eur: -1 is negative"),
        ({"effects": {"robbery": 1.2}}, r"effects.robbery: 1.2 is outside \[0, 1\)"),
        ({"effects": {"alien": 0.1}}, "effects.alien: unknown scenario id"),
        ({"lifetime_years": 0}, "lifetime_years: 0 must be greater than 0"),
        ({"accessibility": 3}, "accessibility: 3 is outside -2..2"),
    ],
)
def test_bad_measure(kwargs: dict, message: str) -> None:
    fields = {
        "id": "m",
        "name": "M",
        "category": "lighting",
        "investment_eur": 1,
        "yearly_cost_eur": 1,
        "lifetime_years": 1,
        "effects": {"robbery": 0.1},
    } | kwargs
    with pytest.raises(ValueError, match=message):
        Measure(**fields)
