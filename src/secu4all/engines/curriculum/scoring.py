"""Scoring a learner's answer to an exercise item, on the server, from the answer key.

A response is parsed from the submitted form fields (never a score) and checked against the
item's own options, pairs, steps or regions: an id the item does not have is rejected.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


class ResponseError(ValueError):
    """The submitted answer does not fit the item (unknown option, missing field, ...)."""


@dataclass(frozen=True)
class Outcome:
    score: float
    max_score: float
    correct: bool | None  # None: waits for a trainer's review
    feedback: list[str] = field(default_factory=list)
    # per option/pair/step/region id: was the learner right there (for the feedback display)
    marks: dict[str, bool] = field(default_factory=dict)


def shuffled(values: Sequence[Any], seed: str) -> list[Any]:
    """``values`` in an order fixed by ``seed`` (the attempt), so a reload shows the same order."""
    order = list(values)
    random.Random(seed).shuffle(order)  # noqa: S311 -- presentation order, not a secret
    return order


def _ids(item: Mapping, key: str) -> list[str]:
    return [str(entry["id"]) for entry in item.get(key, [])]


def parse_response(item: Mapping, form: Mapping[str, Sequence[str]]) -> Any:
    """The learner's answer from form fields (each a list of strings), in a JSON-ready shape."""
    kind = item["type"]

    def one(name: str) -> str:
        values = [v for v in form.get(name, []) if v.strip()]
        if len(values) != 1:
            raise ResponseError("Choose one answer.")
        return values[0].strip()

    if kind in ("single_choice", "hotspot"):
        key = "options" if kind == "single_choice" else "regions"
        value = one("choice")
        if value not in _ids(item, key):
            raise ResponseError("That answer is not one of this question's options.")
        return value
    if kind == "multiple_choice":
        values = sorted(set(form.get("choice", [])))
        if not values:
            raise ResponseError("Choose at least one answer.")
        if not set(values) <= set(_ids(item, "options")):
            raise ResponseError("That answer is not one of this question's options.")
        return values
    if kind == "true_false":
        value = one("choice")
        if value not in ("true", "false"):
            raise ResponseError("Answer true or false.")
        return value == "true"
    if kind == "matching":
        pair_ids = _ids(item, "pairs")
        answer = {}
        for pair_id in pair_ids:
            value = one(f"pair-{pair_id}")
            if value not in pair_ids:
                raise ResponseError("That answer is not one of this question's options.")
            answer[pair_id] = value
        return answer
    if kind == "ordering":
        step_ids = _ids(item, "steps")
        positions = {}
        for step_id in step_ids:
            try:
                positions[step_id] = int(one(f"step-{step_id}"))
            except ValueError as error:
                raise ResponseError("Give every step a position number.") from error
        if sorted(positions.values()) != list(range(1, len(step_ids) + 1)):
            raise ResponseError(f"Number the steps 1 to {len(step_ids)}, each number once.")
        return [step for step, _ in sorted(positions.items(), key=lambda kv: kv[1])]
    if kind == "numeric":
        text = one("value").replace(" ", "").replace("\u00a0", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # a decimal comma, as written in nl, de, fr, it
        try:
            value = float(text)
        except ValueError as error:
            raise ResponseError("Enter a number.") from error
        if not math.isfinite(value):
            raise ResponseError("Enter a number.")
        return value
    if kind == "free_text":
        text = "".join(form.get("text", [])).strip()
        if not text:
            raise ResponseError("Write an answer.")
        if len(text) > int(item.get("max_length", 1500)):
            raise ResponseError(f"Keep the answer within {item.get('max_length')} characters.")
        return text
    raise ResponseError(f"Unknown item type {kind}.")


def score_response(item: Mapping, response: Any) -> Outcome:
    """Score ``response`` (from ``parse_response``) against ``item`` in the learner's language."""
    kind = item["type"]
    points = float(item.get("points", 1))
    general = item.get("feedback") if isinstance(item.get("feedback"), Mapping) else {}

    def result(correct: bool, feedback: list[str], marks: dict[str, bool]) -> Outcome:
        verdict = general.get("correct" if correct else "incorrect")
        texts = [*feedback, *([verdict] if verdict else [])]
        return Outcome(points if correct else 0.0, points, correct, texts, marks)

    if kind in ("single_choice", "hotspot"):
        entries = item["options" if kind == "single_choice" else "regions"]
        chosen = next(e for e in entries if str(e["id"]) == response)
        correct = chosen.get("correct") is True
        return result(correct, [chosen.get("feedback", "")], {str(chosen["id"]): correct})
    if kind == "multiple_choice":
        marks = {
            str(o["id"]): (str(o["id"]) in response) == bool(o.get("correct"))
            for o in item["options"]
        }
        feedback = [o.get("feedback", "") for o in item["options"] if str(o["id"]) in response]
        return result(all(marks.values()), feedback, marks)
    if kind == "true_false":
        return result(response == item["answer"], [], {})
    if kind == "matching":
        marks = {pair_id: chosen == pair_id for pair_id, chosen in response.items()}
        return result(all(marks.values()), [], marks)
    if kind == "ordering":
        expected = _ids(item, "steps")
        marks = {step: step == expected[i] for i, step in enumerate(response)}
        return result(response == expected, [], marks)
    if kind == "numeric":
        # A little slack for floating point, so 0.1 + 0.2 style answers at the edge count.
        correct = abs(response - float(item["answer"])) <= float(item["tolerance"]) + 1e-9
        return result(correct, [], {})
    if kind == "free_text":
        return Outcome(0.0, points, None, [], {})
    raise ResponseError(f"Unknown item type {kind}.")
