"""Scoring on the server, for every item type, and answers that do not fit the item."""

from __future__ import annotations

import pytest
import yaml

from secu4all.engines.curriculum import ResponseError, parse_response, score_response, shuffled
from tests.engines.curriculum.conftest import FIXTURE


def items() -> dict[str, dict]:
    found = {}
    for name in ("m1-l1-intro", "m1-l2-practice"):
        path = FIXTURE / "m1-basics" / "en" / "items" / f"{name}.yaml"
        found.update({i["id"]: i for i in yaml.safe_load(path.read_text(encoding="utf-8"))})
    return found


ITEMS = items()

CASES = [
    ("fx-single", {"choice": ["a"]}, True),
    ("fx-single", {"choice": ["b"]}, False),
    ("fx-multiple", {"choice": ["a", "b"]}, True),
    ("fx-multiple", {"choice": ["a"]}, False),  # all or nothing
    ("fx-multiple", {"choice": ["a", "b", "c"]}, False),
    ("fx-truefalse", {"choice": ["true"]}, True),
    ("fx-truefalse", {"choice": ["false"]}, False),
    ("fx-matching", {"pair-p1": ["p1"], "pair-p2": ["p2"], "pair-p3": ["p3"]}, True),
    ("fx-matching", {"pair-p1": ["p2"], "pair-p2": ["p1"], "pair-p3": ["p3"]}, False),
    ("fx-ordering", {"step-s1": ["1"], "step-s2": ["2"], "step-s3": ["3"]}, True),
    ("fx-ordering", {"step-s1": ["2"], "step-s2": ["1"], "step-s3": ["3"]}, False),
    ("fx-numeric", {"value": ["50.4"]}, True),
    ("fx-numeric", {"value": ["49,5"]}, True),  # decimal comma, at the tolerance's edge
    ("fx-numeric", {"value": ["51"]}, False),
    ("fx-hotspot", {"choice": ["r1"]}, True),
    ("fx-hotspot", {"choice": ["r2"]}, False),
]


@pytest.mark.parametrize(("key", "form", "correct"), CASES)
def test_each_type_is_scored(key: str, form: dict, correct: bool) -> None:
    item = ITEMS[key]
    outcome = score_response(item, parse_response(item, form))
    assert outcome.correct is correct
    assert outcome.score == (outcome.max_score if correct else 0)
    assert outcome.feedback  # every type gives feedback


def test_choice_feedback_is_the_chosen_options() -> None:
    item = ITEMS["fx-single"]
    outcome = score_response(item, parse_response(item, {"choice": ["c"]}))
    assert outcome.feedback == ["C wrong"]


def test_free_text_waits_for_review() -> None:
    item = ITEMS["fx-freetext"]
    outcome = score_response(item, parse_response(item, {"text": ["Watchful people."]}))
    assert outcome.correct is None
    assert (outcome.score, outcome.max_score) == (0, 2)


@pytest.mark.parametrize(
    ("key", "form"),
    [
        ("fx-single", {"choice": ["z"]}),
        ("fx-single", {"choice": ["a", "b"]}),
        ("fx-single", {}),
        ("fx-multiple", {"choice": ["a", "forged"]}),
        ("fx-truefalse", {"choice": ["maybe"]}),
        ("fx-matching", {"pair-p1": ["p1"], "pair-p2": ["p9"], "pair-p3": ["p3"]}),
        ("fx-matching", {"pair-p1": ["p1"]}),
        ("fx-ordering", {"step-s1": ["1"], "step-s2": ["1"], "step-s3": ["3"]}),
        ("fx-ordering", {"step-s1": ["one"], "step-s2": ["2"], "step-s3": ["3"]}),
        ("fx-numeric", {"value": ["fifty"]}),
        ("fx-numeric", {"value": ["nan"]}),
        ("fx-hotspot", {"choice": ["r3"]}),
        ("fx-freetext", {"text": ["x" * 501]}),
        ("fx-freetext", {"text": ["   "]}),
    ],
)
def test_answers_that_do_not_fit_are_rejected(key: str, form: dict) -> None:
    with pytest.raises(ResponseError):
        parse_response(ITEMS[key], form)


def test_a_forged_score_field_is_ignored() -> None:
    item = ITEMS["fx-single"]
    outcome = score_response(item, parse_response(item, {"choice": ["b"], "score": ["99"]}))
    assert outcome.score == 0


def test_shuffle_is_stable_per_seed_and_differs_between_seeds() -> None:
    values = list(range(12))
    assert shuffled(values, "attempt-1") == shuffled(values, "attempt-1")
    assert sorted(shuffled(values, "attempt-1")) == values
    orders = {tuple(shuffled(values, f"attempt-{n}")) for n in range(10)}
    assert len(orders) > 1
