"""The instrument library: standard survey items read from the versioned YAML files beside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

LANGUAGES = ("nl", "en", "de", "fr", "it")
INSTRUMENT_DIR = Path(__file__).parent / "instruments"
INSTRUMENT_FILES = ("ess", "veiligheidsmonitor", "cohesion", "problems")


@dataclass(frozen=True)
class Scale:
    """An answer scale: categorical codes with labels per language, or whole numbers low–high."""

    name: str
    kind: str  # "categorical" or "numeric"
    codes: tuple[int, ...]
    labels: dict[str, tuple[str, ...]]

    @property
    def low(self) -> int:
        return min(self.codes)

    @property
    def high(self) -> int:
        return max(self.codes)

    def choices(self, language: str) -> list[tuple[int, str]]:
        """(code, label) pairs in the respondent's language; numeric scales label the ends."""
        labels = self.labels.get(language) or self.labels["en"]
        if self.kind == "numeric":
            return [(code, str(code)) for code in self.codes]
        return list(zip(self.codes, labels, strict=True))

    def end_labels(self, language: str) -> tuple[str, ...]:
        return tuple(self.labels.get(language) or self.labels["en"])


@dataclass(frozen=True)
class LibraryItem:
    """One question as published: its wording per language, scale, direction and source."""

    code: str
    instrument: str
    scale: Scale
    reverse: bool
    text: dict[str, str]
    source: str
    version: str
    indicator: str = ""
    group: str = ""
    stem: dict[str, str] = field(default_factory=dict)

    def wording(self, language: str) -> str:
        return self.text.get(language) or self.text["en"]

    def stem_in(self, language: str) -> str:
        return self.stem.get(language) or self.stem.get("en", "")


@dataclass(frozen=True)
class Instrument:
    code: str
    title: dict[str, str]
    source: str
    version: str
    items: tuple[LibraryItem, ...]
    score: dict = field(default_factory=dict)

    def title_in(self, language: str) -> str:
        return self.title.get(language) or self.title["en"]


@cache
def scales() -> dict[str, Scale]:
    data = yaml.safe_load((INSTRUMENT_DIR / "scales.yaml").read_text(encoding="utf-8"))
    result = {}
    for name, spec in data["scales"].items():
        if spec["kind"] == "numeric":
            codes = tuple(range(int(spec["low"]), int(spec["high"]) + 1))
        else:
            codes = tuple(int(c) for c in spec["codes"])
        labels = {lang: tuple(str(x) for x in values) for lang, values in spec["labels"].items()}
        result[name] = Scale(name=name, kind=spec["kind"], codes=codes, labels=labels)
    return result


@cache
def instruments() -> tuple[Instrument, ...]:
    known = scales()
    result = []
    for name in INSTRUMENT_FILES:
        data = yaml.safe_load((INSTRUMENT_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
        items = tuple(
            LibraryItem(
                code=spec["code"],
                instrument=data["instrument"],
                scale=known[spec["scale"]],
                reverse=bool(spec.get("reverse", False)),
                text={lang: str(text) for lang, text in spec["text"].items()},
                source=" ".join(str(data["source"]).split()),
                version=str(data["version"]),
                indicator=spec.get("indicator", ""),
                group=spec.get("group", ""),
                stem=data.get("stem", {}),
            )
            for spec in data["items"]
        )
        result.append(
            Instrument(
                code=data["instrument"],
                title=data["title"],
                source=" ".join(str(data["source"]).split()),
                version=str(data["version"]),
                items=items,
                score=data.get("score", {}),
            )
        )
    return tuple(result)


@cache
def library_items() -> dict[str, LibraryItem]:
    return {item.code: item for instrument in instruments() for item in instrument.items}


def library_item(code: str) -> LibraryItem | None:
    return library_items().get(code)


def instrument(code: str) -> Instrument | None:
    return next((i for i in instruments() if i.code == code), None)
