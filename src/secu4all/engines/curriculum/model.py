"""The parsed curriculum: modules, lessons, items and scenarios with their texts per language."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
