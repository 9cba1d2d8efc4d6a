"""What the attempt page shows of each item: options in the attempt's order, the learner's
answer and the feedback, in the learner's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from secu4all.engines.curriculum import score_response, shuffled
from secu4all.training.curriculum import localise
from secu4all.training.models import Attempt, Item, ItemResponse


@dataclass
class Choice:
    id: str
    text: str
    chosen: bool = False
    correct: bool | None = None  # shown once answered
    feedback: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ItemView:
    item: Item
    texts: dict
    fallback: bool
    language: str
    choices: list[Choice] = field(default_factory=list)
    rights: list[Choice] = field(default_factory=list)  # matching: the right-hand texts
    response: ItemResponse | None = None
    feedback: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def key(self) -> str:
        return self.item.key

    @property
    def type(self) -> str:
        return self.item.type

    @property
    def answered(self) -> bool:
        return self.response is not None


def item_view(
    attempt: Attempt, item: Item, response: ItemResponse | None, language: str
) -> ItemView:
    localised = localise(item.texts, language)
    texts = localised.data
    view = ItemView(item, texts, localised.fallback, localised.language, response=response)
    seed = f"{attempt.seed}:{item.key}"
    do_shuffle = item.structure.get("shuffle", False)
    answer = response.response if response is not None else None
    marks = response.marks if response is not None else {}

    def order(values: list) -> list:
        return shuffled(values, seed) if do_shuffle else list(values)

    kind = item.type
    if kind in ("single_choice", "multiple_choice", "hotspot"):
        entries = texts.get("options" if kind != "hotspot" else "regions", [])
        if kind != "hotspot":
            entries = order(entries)
        for entry in entries:
            entry_id = str(entry["id"])
            chosen = entry_id == answer if kind != "multiple_choice" else entry_id in (answer or [])
            view.choices.append(
                Choice(
                    entry_id,
                    entry.get("text") or entry.get("label", ""),
                    chosen=chosen,
                    correct=bool(entry.get("correct")) if response is not None else None,
                    feedback=entry.get("feedback", "") if response is not None and chosen else "",
                    extra=_shape(entry) if kind == "hotspot" else {},
                )
            )
    elif kind == "true_false":
        for value in ("true", "false"):
            view.choices.append(
                Choice(
                    value,
                    value,
                    chosen=answer is not None and str(answer).lower() == value,
                    correct=(str(texts.get("answer")).lower() == value) if response else None,
                )
            )
    elif kind == "matching":
        pairs = texts.get("pairs", [])
        view.rights = [Choice(str(p["id"]), p["right"]) for p in shuffled(pairs, seed + ":r")]
        for pair in order(pairs):
            pair_id = str(pair["id"])
            chosen = (answer or {}).get(pair_id, "")
            view.choices.append(
                Choice(
                    pair_id,
                    pair["left"],
                    correct=marks.get(pair_id) if response else None,
                    extra={"chosen": chosen, "right": pair["right"]},
                )
            )
    elif kind == "ordering":
        steps = texts.get("steps", [])
        positions = {step: i + 1 for i, step in enumerate(answer or [])}
        correct_positions = {str(s["id"]): i + 1 for i, s in enumerate(steps)}
        for step in order(steps):
            step_id = str(step["id"])
            view.choices.append(
                Choice(
                    step_id,
                    step["text"],
                    correct=marks.get(step_id) if response else None,
                    extra={
                        "position": positions.get(step_id, ""),
                        "correct_position": correct_positions[step_id],
                    },
                )
            )
    if response is not None and response.correct is not None:
        # Feedback in the reader's current language, from the stored answer.
        view.feedback = [text for text in score_response(texts, answer).feedback if text]
    return view


def _shape(region: dict) -> dict:
    coords = region.get("coords", [])
    shape = region.get("shape")
    if shape == "rect":
        x, y, w, h = coords
        return {"shape": "rect", "x": x, "y": y, "w": w, "h": h}
    if shape == "circle":
        cx, cy, r = coords
        return {"shape": "circle", "cx": cx, "cy": cy, "r": r}
    points = " ".join(f"{coords[i]},{coords[i + 1]}" for i in range(0, len(coords), 2))
    return {"shape": "polygon", "points": points}
