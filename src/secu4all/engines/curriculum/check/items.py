"""Lessons and their items: the answer key of each item type, the same in every language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..marked_yaml import MarkedDict, MarkedList
from ..model import ITEM_TYPES, REFERENCE_LANGUAGE, SHUFFLED_BY_DEFAULT, ItemData, LessonData
from .files import LINK, FileChecks
from .schema import (
    FEEDBACK_FIELDS,
    ITEM_FIELDS,
    KINDS,
    OPTION_FIELDS,
    PAIR_FIELDS,
    REGION_FIELDS,
    SHAPE_COORDS,
    STEP_FIELDS,
    TYPE_FIELDS,
    count,
    plain,
)


class ItemChecks(FileChecks):
    """A lesson in every language, and its items with their answer keys."""

    def lesson(
        self,
        folder: Path,
        languages: list[str],
        key: str,
        position: int,
        listed_in: Path,
        line: int,
        item_keys: dict[str, str],
    ) -> LessonData | None:
        lesson = LessonData(key=key, minutes=0, position=position)
        shapes: dict[str, tuple[Path, MarkedDict, dict]] = {}
        for lang, file in self.per_language(
            folder, languages, f"lessons/{key}.md", (listed_in, line)
        ).items():
            parsed = self.lesson_file(file, key)
            if parsed is None:
                continue
            front, body, _body_line = parsed
            lesson.minutes = front.get("minutes") if self.ok(front, "minutes", "int") else 0
            lesson.texts[lang] = {**plain(front), "body": body}
            media = sorted(
                m.group(1) for m in LINK.finditer(body) if m.group(1).startswith("media/")
            )
            shapes[lang] = (
                file,
                front,
                {
                    "id": front.get("id"),
                    "minutes": front.get("minutes"),
                    "objectives": count(front.get("objectives")),
                    "references": count(front.get("references")),
                    "images": media,
                },
            )
        self.same_structure(shapes, f"lesson `{key}`")
        items_present = {
            lang: folder / lang / "items" / f"{key}.yaml"
            for lang in languages
            if (folder / lang / "items" / f"{key}.yaml").is_file()
        }
        if items_present:
            for lang in languages:
                if lang not in items_present:
                    self.problem(
                        listed_in,
                        line,
                        f"missing translation: {lang}/items/{key}.yaml does not exist "
                        f"({', '.join(sorted(items_present))} have it)",
                    )
            lesson.items = self.items(items_present, item_keys, key)
        return lesson if lesson.texts else None

    def items(
        self, files: dict[str, Path], item_keys: dict[str, str], lesson_key: str
    ) -> list[ItemData]:
        parsed: dict[str, list[tuple[MarkedDict, dict]]] = {}
        for lang, file in files.items():
            data = self.read_yaml(file)
            if data is None:
                continue
            if not isinstance(data, MarkedList):
                self.problem(file, getattr(data, "line", 1), "an items file is a YAML list")
                continue
            entries = []
            seen: set[str] = set()
            for index, entry in enumerate(data):
                structure = self.item(file, entry, data.line_of(index))
                if structure is None:
                    continue
                key = structure["id"]
                if key in seen:
                    self.problem(file, entry.line, f"item id `{key}` is used twice in this file")
                seen.add(key)
                if lang == _reference(files) and key in item_keys:
                    self.problem(
                        file,
                        entry.line,
                        f"item id `{key}` is already used in lesson `{item_keys[key]}`",
                    )
                item_keys.setdefault(key, lesson_key)
                entries.append((entry, structure))
            parsed[lang] = entries
        if not parsed:
            return []
        reference = REFERENCE_LANGUAGE if REFERENCE_LANGUAGE in parsed else next(iter(parsed))
        ref_entries = parsed[reference]
        for lang, entries in parsed.items():
            if lang == reference:
                continue
            ref_ids = [s["id"] for _, s in ref_entries]
            ids = [s["id"] for _, s in entries]
            if ids != ref_ids:
                self.problem(
                    files[lang],
                    1,
                    f"items differ from {reference}: {lang} has {ids}, {reference} has {ref_ids}",
                )
                continue
            for (entry, structure), (_, ref_structure) in zip(entries, ref_entries, strict=True):
                for field_name, value in structure.items():
                    if value != ref_structure.get(field_name):
                        self.problem(
                            files[lang],
                            entry.line_of(field_name),
                            f"item `{structure['id']}`: `{field_name}` differs from "
                            f"{reference} ({value!r} here, {ref_structure.get(field_name)!r} "
                            f"in {reference})",
                        )
        items = []
        for position, (_entry, structure) in enumerate(ref_entries):
            item = ItemData(
                key=structure["id"],
                type=structure["type"],
                points=structure["points"],
                position=position,
                structure=structure,
            )
            for lang, entries in parsed.items():
                match = next((e for e, s in entries if s["id"] == item.key), None)
                if match is not None:
                    item.texts[lang] = plain(match)
            items.append(item)
        return items

    def item(self, path: Path, entry: Any, line: int) -> dict | None:
        """Check one item; return its language-independent structure, or None if unusable."""
        if not isinstance(entry, MarkedDict):
            self.problem(path, line, "an item must be a mapping")
            return None
        item_type = entry.get("type")
        if item_type not in ITEM_TYPES:
            self.problem(
                path,
                entry.line_of("type"),
                f"item type `{item_type}` is unknown (one of {', '.join(ITEM_TYPES)})",
            )
            return None
        what = f"item `{entry.get('id', '?')}` ({item_type})"
        self.fields(path, entry, {**ITEM_FIELDS, **TYPE_FIELDS[item_type]}, what)
        if not self.ok(entry, "id", "id"):
            return None
        points = entry.get("points", 1)
        if not KINDS["int"](points) or points <= 0:
            self.problem(path, entry.line_of("points"), f"{what}: points must be positive")
            points = 1
        for key in ("prompt", "explanation"):
            self.links(path, entry.line_of(key), entry.get(key))
        structure: dict[str, Any] = {
            "id": str(entry["id"]),
            "type": item_type,
            "points": points,
            "shuffle": entry.get("shuffle", item_type in SHUFFLED_BY_DEFAULT),
        }
        if "feedback" in TYPE_FIELDS[item_type] and isinstance(entry.get("feedback"), MarkedDict):
            self.fields(path, entry["feedback"], FEEDBACK_FIELDS, f"{what}: feedback")
        check = getattr(self, f"item_{item_type}")
        structure.update(check(path, entry, what) or {})
        return structure

    def item_single_choice(self, path: Path, entry: MarkedDict, what: str) -> dict:
        options = self.entries(path, entry, "options", OPTION_FIELDS, what, 2)
        correct = [o for o in options if o.get("correct") is True]
        if options and len(correct) != 1:
            self.problem(
                path,
                entry.line_of("options"),
                f"{what}: exactly one option must be correct, {len(correct)} are",
            )
        return {"options": [(str(o["id"]), o.get("correct") is True) for o in options]}

    def item_multiple_choice(self, path: Path, entry: MarkedDict, what: str) -> dict:
        options = self.entries(path, entry, "options", OPTION_FIELDS, what, 2)
        if options and not any(o.get("correct") is True for o in options):
            self.problem(path, entry.line_of("options"), f"{what}: no option is correct")
        return {"options": [(str(o["id"]), o.get("correct") is True) for o in options]}

    def item_true_false(self, path: Path, entry: MarkedDict, what: str) -> dict:
        return {"answer": entry.get("answer")}

    def item_matching(self, path: Path, entry: MarkedDict, what: str) -> dict:
        pairs = self.entries(path, entry, "pairs", PAIR_FIELDS, what, 2)
        rights = [str(p.get("right", "")).strip().casefold() for p in pairs]
        if len(set(rights)) != len(rights):
            self.problem(
                path,
                entry.line_of("pairs"),
                f"{what}: two pairs have the same right-hand text, so the answer key is ambiguous",
            )
        return {"pairs": [str(p["id"]) for p in pairs]}

    def item_ordering(self, path: Path, entry: MarkedDict, what: str) -> dict:
        steps = self.entries(path, entry, "steps", STEP_FIELDS, what, 2)
        return {"steps": [str(s["id"]) for s in steps]}

    def item_numeric(self, path: Path, entry: MarkedDict, what: str) -> dict:
        tolerance = entry.get("tolerance")
        if KINDS["number"](tolerance) and tolerance < 0:
            self.problem(path, entry.line_of("tolerance"), f"{what}: tolerance must be ≥ 0")
        return {"answer": entry.get("answer"), "tolerance": tolerance}

    def item_hotspot(self, path: Path, entry: MarkedDict, what: str) -> dict:
        image = entry.get("image")
        if isinstance(image, str):
            if image.startswith("media/"):
                self.media_ref(path, entry.line_of("image"), image)
            else:
                self.problem(path, entry.line_of("image"), f"{what}: image must be media/<file>")
        width, height = entry.get("width"), entry.get("height")
        regions = self.entries(path, entry, "regions", REGION_FIELDS, what, 2)
        if regions and not any(r.get("correct") is True for r in regions):
            self.problem(path, entry.line_of("regions"), f"{what}: no region is correct")
        shapes = []
        for region in regions:
            shape, coords = region.get("shape"), region.get("coords")
            where = f"{what}: region `{region['id']}`"
            line = region.line_of("coords")
            if shape not in (*SHAPE_COORDS, "polygon"):
                self.problem(
                    path, region.line_of("shape"), f"{where}: shape must be rect, circle or polygon"
                )
            elif not isinstance(coords, list) or not all(KINDS["number"](c) for c in coords):
                self.problem(path, line, f"{where}: coords must be a list of numbers")
            elif shape in SHAPE_COORDS and len(coords) != SHAPE_COORDS[shape]:
                self.problem(path, line, f"{where}: a {shape} has {SHAPE_COORDS[shape]} coords")
            elif shape == "polygon" and (len(coords) < 6 or len(coords) % 2):
                self.problem(path, line, f"{where}: a polygon needs x, y pairs, at least 3")
            elif (
                KINDS["int"](width)
                and KINDS["int"](height)
                and not _inside(shape, coords, width, height)
            ):
                self.problem(path, line, f"{where}: lies outside the {width}×{height} image")
            shapes.append(
                (
                    str(region["id"]),
                    shape,
                    list(coords) if isinstance(coords, list) else coords,
                    region.get("correct") is True,
                )
            )
        return {"image": image, "width": width, "height": height, "regions": shapes}

    def item_free_text(self, path: Path, entry: MarkedDict, what: str) -> dict:
        max_length = entry.get("max_length")
        if KINDS["int"](max_length) and max_length <= 0:
            self.problem(path, entry.line_of("max_length"), f"{what}: max_length must be positive")
        return {"max_length": max_length}


def _reference(files: dict[str, Path]) -> str:
    return REFERENCE_LANGUAGE if REFERENCE_LANGUAGE in files else next(iter(files))


def _inside(shape: str, coords: list[float], width: int, height: int) -> bool:
    if shape == "rect":
        x, y, w, h = coords
        return w > 0 and h > 0 and x >= 0 and y >= 0 and x + w <= width and y + h <= height
    if shape == "circle":
        cx, cy, r = coords
        return r > 0 and 0 <= cx <= width and 0 <= cy <= height
    xs, ys = coords[0::2], coords[1::2]
    return all(0 <= x <= width for x in xs) and all(0 <= y <= height for y in ys)
