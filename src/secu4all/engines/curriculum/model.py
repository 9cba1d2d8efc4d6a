"""The parsed curriculum: modules, lessons, items and scenarios with their texts per language."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

LANGUAGES: tuple[str, ...] = ("en", "nl", "de", "fr", "it")
REFERENCE_LANGUAGE = "en"
ITEM_TYPES: tuple[str, ...] = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "matching",
    "ordering",
    "numeric",
    "hotspot",
    "free_text",
)
SHUFFLED_BY_DEFAULT = {"single_choice", "multiple_choice", "matching", "ordering"}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the curriculum, at a file and line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class ItemData:
    key: str
    type: str
    points: int
    position: int
    structure: dict[str, Any]  # language-independent: the answer key lives here
    texts: dict[str, dict[str, Any]] = field(default_factory=dict)  # language -> the item


@dataclass
class LessonData:
    key: str
    minutes: int
    position: int
    texts: dict[str, dict[str, Any]] = field(default_factory=dict)  # title, objectives, ...
    items: list[ItemData] = field(default_factory=list)


class ScenarioChoice(NamedTuple):
    """A choice at a decision node; stored as a JSON list in this field order."""

    id: str
    next_node: str
    score: int
    recommended: bool

    # The checker's messages show the stored (list) form, not the field names.
    __repr__ = tuple.__repr__


class ScenarioNode(NamedTuple):
    """A node of a scenario's graph: the language-independent part, stored as a JSON list in
    this field order (the scenario's ``structure["nodes"]``)."""

    id: str
    end: bool
    outcome: str | None
    image: str | None
    inject_minutes: float | None
    choices: list[ScenarioChoice]

    __repr__ = tuple.__repr__

    @classmethod
    def from_stored(cls, stored: list | tuple) -> ScenarioNode:
        *fields, choices = stored
        return cls(*fields, [ScenarioChoice(*choice) for choice in choices])


def scenario_nodes(structure: dict[str, Any]) -> dict[str, ScenarioNode]:
    """The nodes of a stored scenario structure, by id."""
    nodes = (ScenarioNode.from_stored(stored) for stored in structure.get("nodes", []))
    return {node.id: node for node in nodes}


@dataclass
class ScenarioData:
    key: str
    position: int
    structure: dict[str, Any]
    texts: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class ModuleData:
    key: str
    number: int
    kind: str
    required: bool
    pass_mark: float
    position: int
    texts: dict[str, dict[str, Any]] = field(default_factory=dict)
    lessons: list[LessonData] = field(default_factory=list)
    scenarios: list[ScenarioData] = field(default_factory=list)


@dataclass
class Curriculum:
    key: str
    root: Path
    modules: list[ModuleData]
    media: dict[str, Path]  # "media/<file>" -> its path
    digest: str  # SHA-256 over every file: equal digests mean nothing changed
