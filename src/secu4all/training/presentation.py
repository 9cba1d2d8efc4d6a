"""What the pages show of the curriculum, in the learner's language: the texts of a module,
lesson or scenario; each item of an attempt (options in the attempt's order, the learner's
answer and the feedback); a scenario run's node, injects and debrief."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from secu4all.engines.curriculum import score_response, shuffled
from secu4all.training.curriculum import localise
from secu4all.training.models import Attempt, Certificate, Item, ItemResponse, ScenarioRun


class HasTexts(Protocol):
    texts: dict


def localised(piece: HasTexts, language: str) -> dict:
    """A module's, lesson's or scenario's texts in ``language``, and which language they are."""
    found = localise(piece.texts, language)
    return {
        **found.data,
        "is_fallback": found.fallback,
        "shown_language": found.language,
    }


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


# -- scenario runs ----------------------------------------------------------------------------


def node_texts(texts: dict) -> dict[str, dict]:
    """The localised scenario's nodes by id."""
    return {str(node["id"]): node for node in texts.get("nodes", [])}


def injects(run: ScenarioRun, nodes: dict[str, dict], now: datetime) -> list[dict]:
    """Injects of the live run: each shows once the group has been at its node long enough."""
    if not run.live:
        return []
    shown = []
    # The nodes in the order reached, each with the time the group arrived there.
    reached = [step["node"] for step in run.path] + [run.current_node]
    times = [run.started_at] + [datetime.fromisoformat(step["at"]) for step in run.path]
    for node_id, since in zip(reached, times, strict=True):
        inject = nodes.get(node_id, {}).get("inject")
        if not inject:
            continue
        due = since + timedelta(minutes=float(inject["after_minutes"]))
        if now >= due:
            shown.append({"node": node_id, "text": inject["text"], "at": due})
        elif node_id == run.current_node and run.finished_at is None:
            shown.append({"node": node_id, "pending": True, "at": due})
    return shown


def last_consequence(run: ScenarioRun, nodes: dict[str, dict]) -> dict | None:
    """The choice the run took last (its consequence is shown at the next node)."""
    if not run.path:
        return None
    last = run.path[-1]
    return _choice(nodes, last["node"], last["choice"])


def _choice(nodes: dict[str, dict], node_id: str, choice_id: str) -> dict:
    return next(
        (c for c in nodes.get(node_id, {}).get("choices", []) if str(c["id"]) == choice_id), {}
    )


def debrief(run: ScenarioRun, nodes: dict[str, dict]) -> list[dict]:
    """Each decision the run took, beside the recommended choice there and why."""
    rows = []
    for step in run.path:
        node = nodes.get(step["node"], {})
        taken = _choice(nodes, step["node"], step["choice"])
        recommended = next((c for c in node.get("choices", []) if c.get("recommended")), {})
        rows.append(
            {
                "node": node,
                "taken": taken,
                "recommended": recommended,
                "same": taken.get("id") == recommended.get("id"),
            }
        )
    return rows


# -- certificates -----------------------------------------------------------------------------


def verified_modules(certificate: Certificate | None, language: str) -> list[dict]:
    """The modules a certificate names, titled in ``language`` as far as it was stored."""
    if certificate is None:
        return []
    modules = []
    for module in certificate.modules:
        titles = module.get("titles", {})
        modules.append(
            {
                "number": module.get("number"),
                "title": titles.get(language) or titles.get("en") or module.get("key"),
            }
        )
    return modules
