"""The schema of the curriculum files: field kinds, the fields each entry has, and the checks
every part of the reader shares (fields of a mapping, sub-entries, structure across languages)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..marked_yaml import MarkedDict, MarkedList
from ..model import REFERENCE_LANGUAGE, Problem

IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")

# Field kinds: a checker per kind returns True when the value fits.
KINDS: dict[str, Callable[[Any], bool]] = {
    "text": lambda v: isinstance(v, str),
    # Ids end up in URLs and HTML ids: letters, digits, - and _, at most 100 characters.
    "id": lambda v: (
        isinstance(v, str | int) and not isinstance(v, bool) and bool(IDENTIFIER.match(str(v)))
    ),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
    "mapping": lambda v: isinstance(v, dict),
    "texts": lambda v: isinstance(v, list) and all(isinstance(s, str) and s.strip() for s in v),
    "ids": lambda v: (
        isinstance(v, list) and all(isinstance(s, str) and IDENTIFIER.match(s) for s in v)
    ),
    "year": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or isinstance(v, str),
}
KIND_NAMES = {
    "text": "a text",
    "id": "an identifier (letters, digits, - and _; at most 100)",
    "int": "a whole number",
    "number": "a number",
    "bool": "true or false",
    "list": "a list",
    "mapping": "a mapping (key: value)",
    "texts": "a list of non-empty texts",
    "ids": "a list of identifiers (letters, digits, - and _)",
    "year": "a year",
}

# name -> (kind, required)
CURRICULUM_FIELDS = {"id": ("id", True), "modules": ("ids", True), "title": ("text", False)}
MODULE_FIELDS = {
    "id": ("id", True),
    "number": ("int", True),
    "kind": ("text", True),
    "required": ("bool", True),
    "pass_mark": ("number", True),
    "lessons": ("ids", True),
    "scenarios": ("ids", False),
}
MODULE_TEXT_FIELDS = {
    "title": ("text", True),
    "summary": ("text", True),
    "objectives": ("texts", True),
}
LESSON_FIELDS = {
    "id": ("id", True),
    "title": ("text", True),
    "minutes": ("int", True),
    "objectives": ("texts", True),
    "references": ("list", True),
}
REFERENCE_FIELDS = {
    "author": ("text", True),
    "year": ("year", True),
    "title": ("text", True),
    "publisher": ("text", False),
    "url": ("text", False),
    "note": ("text", False),
}
ITEM_FIELDS = {
    "id": ("id", True),
    "type": ("text", True),
    "prompt": ("text", True),
    "points": ("int", False),
    "explanation": ("text", False),
    "shuffle": ("bool", False),
}
FEEDBACK = {"feedback": ("mapping", True)}
TYPE_FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
    "single_choice": {"options": ("list", True)},
    "multiple_choice": {"options": ("list", True)},
    "true_false": {"answer": ("bool", True), **FEEDBACK},
    "matching": {"pairs": ("list", True), **FEEDBACK},
    "ordering": {"steps": ("list", True), **FEEDBACK},
    "numeric": {
        "answer": ("number", True),
        "tolerance": ("number", True),
        "unit": ("text", False),
        **FEEDBACK,
    },
    "hotspot": {
        "image": ("text", True),
        "image_alt": ("text", True),
        "width": ("int", True),
        "height": ("int", True),
        "regions": ("list", True),
    },
    "free_text": {"max_length": ("int", True), "model_answer": ("text", True)},
}
OPTION_FIELDS = {
    "id": ("id", True),
    "text": ("text", True),
    "correct": ("bool", True),
    "feedback": ("text", True),
}
PAIR_FIELDS = {"id": ("id", True), "left": ("text", True), "right": ("text", True)}
STEP_FIELDS = {"id": ("id", True), "text": ("text", True)}
REGION_FIELDS = {
    "id": ("id", True),
    "label": ("text", True),
    "shape": ("text", True),
    "coords": ("list", True),
    "correct": ("bool", True),
    "feedback": ("text", True),
}
FEEDBACK_FIELDS = {"correct": ("text", True), "incorrect": ("text", True)}
SCENARIO_FIELDS = {
    "id": ("id", True),
    "title": ("text", True),
    "summary": ("text", True),
    "briefing": ("text", True),
    "start": ("id", True),
    "nodes": ("list", True),
}
NODE_FIELDS = {
    "id": ("id", True),
    "narrative": ("text", True),
    "image": ("text", False),
    "image_alt": ("text", False),
    "inject": ("mapping", False),
    "choices": ("list", False),
    "end": ("bool", False),
    "outcome": ("text", False),
}
INJECT_FIELDS = {"after_minutes": ("number", True), "text": ("text", True)}
CHOICE_FIELDS = {
    "id": ("id", True),
    "text": ("text", True),
    "next": ("id", True),
    "score": ("int", True),
    "consequence": ("text", True),
    "recommended": ("bool", False),
    "why": ("text", True),
}
SHAPE_COORDS = {"rect": 4, "circle": 3}
OUTCOMES = {"good", "mixed", "poor"}
MODULE_KINDS = {"theory", "practice"}


class SchemaChecks:
    """The problems found so far, and the checks of one entry against its field spec."""

    root: Path
    problems: list[Problem]

    def problem(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(str(path), max(line, 1), message))

    def fields(
        self,
        path: Path,
        data: Any,
        spec: dict[str, tuple[str, bool]],
        what: str,
        line: int = 1,
    ) -> bool:
        """Check required fields, their kinds, and unknown fields; False if ``data`` is no
        mapping at all."""
        if not isinstance(data, MarkedDict):
            self.problem(path, getattr(data, "line", line), f"{what} must be a mapping")
            return False
        for key, key_line in data.duplicates:
            self.problem(path, key_line, f"{what}: `{key}` is given twice")
        for key in data:
            if key not in spec:
                known = ", ".join(spec)
                self.problem(
                    path, data.line_of(key), f"{what}: unknown field `{key}` (known: {known})"
                )
        for key, (kind, required) in spec.items():
            if key not in data or data[key] is None:
                if required:
                    self.problem(path, data.line, f"{what}: missing required field `{key}`")
                continue
            value = data[key]
            if not KINDS[kind](value):
                self.problem(path, data.line_of(key), f"{what}: `{key}` must be {KIND_NAMES[kind]}")
            elif kind == "text" and not value.strip():
                self.problem(path, data.line_of(key), f"{what}: `{key}` is empty")
        return True

    def ok(self, data: MarkedDict, key: str, kind: str) -> bool:
        return key in data and data[key] is not None and KINDS[kind](data[key])

    def entries(
        self, path: Path, entry: MarkedDict, key: str, spec: dict, what: str, minimum: int
    ) -> list[MarkedDict]:
        """The sub-entries (options, pairs, ...) under ``key``, checked, ids unique."""
        values = entry.get(key)
        if not isinstance(values, MarkedList):
            return []
        if len(values) < minimum:
            self.problem(path, entry.line_of(key), f"{what}: needs at least {minimum} {key}")
        good = []
        ids: set[str] = set()
        for index, value in enumerate(values):
            sub = f"{what}: {key} {index + 1}"
            if not self.fields(path, value, spec, sub, values.line_of(index)):
                continue
            if self.ok(value, "id", "id"):
                if str(value["id"]) in ids:
                    self.problem(path, value.line, f"{sub}: id `{value['id']}` is used twice")
                ids.add(str(value["id"]))
                good.append(value)
        return good

    def same_structure(self, shapes: dict[str, tuple[Path, MarkedDict, dict]], what: str) -> None:
        """Report each language-independent field that differs from the reference language,
        at the line of that field in the differing file."""
        if len(shapes) < 2:
            return
        reference = REFERENCE_LANGUAGE if REFERENCE_LANGUAGE in shapes else next(iter(shapes))
        _, _, expected = shapes[reference]
        for path, line, structure in shapes.values():
            for key, value in structure.items():
                if value != expected.get(key):
                    self.problem(
                        path,
                        line.line_of(key),
                        f"{what}: `{key}` differs from {reference} "
                        f"({short(value)} here, {short(expected.get(key))} in {reference})",
                    )


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def count(value: Any) -> int | None:
    return len(value) if isinstance(value, list) else None


def plain(value: Any) -> Any:
    """Marked YAML as plain dicts and lists (JSON-ready)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
