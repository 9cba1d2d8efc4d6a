"""Reading and checking the curriculum files: every problem named with its file and line.

The format is documented in ``content/curriculum/README.md``. ``read_curriculum`` returns the
parsed curriculum and the list of problems; a curriculum with any problem must not be loaded.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .marked_yaml import MarkedDict, MarkedList, YamlSyntaxError, load_marked
from .model import (
    ITEM_TYPES,
    LANGUAGES,
    REFERENCE_LANGUAGE,
    SHUFFLED_BY_DEFAULT,
    Curriculum,
    ItemData,
    LessonData,
    ModuleData,
    Problem,
    ScenarioData,
)

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

LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = ("http://", "https://", "mailto:", "#")


class _Reader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.lesson_keys: set[str] = set()
        self.item_keys: dict[str, str] = {}  # item id -> its lesson, across the curriculum
        self.scenario_keys: set[str] = set()
        self.media: dict[str, Path] = {}
        # (path, line, target) of every lesson: link, checked once all lessons are known
        self.lesson_links: list[tuple[Path, int, str]] = []

    # -- reporting -------------------------------------------------------------------------
    def problem(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(str(path), max(line, 1), message))

    def read_yaml(self, path: Path) -> Any:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.problem(path, 1, f"cannot read the file: {error}")
            return None
        try:
            return load_marked(text)
        except YamlSyntaxError as error:
            self.problem(path, error.line, error.message)
            return None

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

    def links(self, path: Path, line: int, markdown: Any) -> None:
        """Check lesson: and media/ links in a Markdown text that starts at ``line``."""
        if not isinstance(markdown, str):
            return
        for number, text in enumerate(markdown.splitlines(), start=line):
            for match in LINK.finditer(text):
                target = match.group(1)
                if target.startswith("lesson:"):
                    self.lesson_links.append((path, number, target.removeprefix("lesson:")))
                elif target.startswith("media/"):
                    self.media_ref(path, number, target)
                elif not target.startswith(EXTERNAL):
                    self.problem(
                        path,
                        number,
                        f"link `{target}`: use lesson:<id>, media/<file> or an http(s) address",
                    )

    def media_ref(self, path: Path, line: int, target: str) -> None:
        name = target.removeprefix("media/")
        file = self.root / "media" / name
        if "/" in name or name.startswith(".") or not file.is_file():
            self.problem(path, line, f"media file `{target}` does not exist")
        else:
            self.media[target] = file

    # -- the curriculum ----------------------------------------------------------------------
    def read(self) -> Curriculum | None:
        path = self.root / "curriculum.yaml"
        if not path.is_file():
            self.problem(path, 1, "curriculum.yaml is missing")
            return None
        data = self.read_yaml(path)
        if data is None or not self.fields(path, data, CURRICULUM_FIELDS, "curriculum"):
            return None
        modules: list[ModuleData] = []
        if self.ok(data, "modules", "ids"):
            numbers: dict[int, str] = {}
            for position, key in enumerate(data["modules"]):
                line = data["modules"].line_of(position)
                folder = self.root / key
                if not (folder / "module.yaml").is_file():
                    self.problem(path, line, f"module `{key}`: {folder}/module.yaml is missing")
                    continue
                module = self.module(folder, key, position)
                if module is None:
                    continue
                if module.number in numbers:
                    self.problem(
                        path, line, f"module `{key}` has the number of `{numbers[module.number]}`"
                    )
                numbers[module.number] = key
                modules.append(module)
        for link_path, line, target in self.lesson_links:
            if target not in self.lesson_keys:
                self.problem(link_path, line, f"link to lesson `{target}`, which does not exist")
        return Curriculum(
            key=str(data.get("id", "")),
            root=self.root,
            modules=modules,
            media=dict(sorted(self.media.items())),
            digest=digest(self.root),
        )

    def module(self, folder: Path, key: str, position: int) -> ModuleData | None:
        path = folder / "module.yaml"
        data = self.read_yaml(path)
        if data is None or not self.fields(path, data, MODULE_FIELDS, "module"):
            return None
        if self.ok(data, "id", "id") and str(data["id"]) != key:
            self.problem(path, data.line_of("id"), f"id `{data['id']}` is not the folder `{key}`")
        if self.ok(data, "kind", "text") and data["kind"] not in MODULE_KINDS:
            self.problem(path, data.line_of("kind"), "kind must be theory or practice")
        if self.ok(data, "pass_mark", "number") and not 0 <= data["pass_mark"] <= 1:
            self.problem(path, data.line_of("pass_mark"), "pass_mark must be between 0 and 1")
        required_ok = all(self.ok(data, k, MODULE_FIELDS[k][0]) for k in ("number", "lessons"))
        if not required_ok:
            return None
        module = ModuleData(
            key=key,
            number=data["number"],
            kind=str(data.get("kind", "theory")),
            required=bool(data.get("required", True)),
            pass_mark=float(data.get("pass_mark", 0.7)),
            position=position,
        )
        lessons: list[str] = data["lessons"]
        scenarios: list[str] = data.get("scenarios") or []
        for index, lesson in enumerate(lessons):
            if lesson in self.lesson_keys:
                self.problem(
                    path, lessons.line_of(index), f"lesson `{lesson}` is listed more than once"
                )
            self.lesson_keys.add(lesson)
        languages = [lang for lang in LANGUAGES if (folder / lang).is_dir()]
        for lang in LANGUAGES:
            if lang not in languages:
                self.problem(path, data.line, f"missing translation: folder {lang}/ is missing")
        for lang in languages:
            self.unlisted(folder / lang, lessons, scenarios)
        module.texts = self.module_texts(folder, languages)
        item_keys = self.item_keys
        for index, scenario_key in enumerate(scenarios):
            if scenario_key in self.scenario_keys:
                self.problem(
                    path,
                    data["scenarios"].line_of(index),
                    f"scenario `{scenario_key}` is listed more than once",
                )
            self.scenario_keys.add(scenario_key)
        for index, lesson_key in enumerate(lessons):
            line = lessons.line_of(index) if isinstance(lessons, MarkedList) else data.line
            lesson = self.lesson(folder, languages, lesson_key, index, path, line, item_keys)
            if lesson is not None:
                module.lessons.append(lesson)
        scenario_list = data.get("scenarios") if isinstance(data.get("scenarios"), list) else []
        for index, scenario_key in enumerate(scenarios):
            line = scenario_list.line_of(index) if scenario_list else data.line
            scenario = self.scenario(folder, languages, scenario_key, index, path, line)
            if scenario is not None:
                module.scenarios.append(scenario)
        return module

    def unlisted(self, lang_folder: Path, lessons: list[str], scenarios: list[str]) -> None:
        expected = {
            "lessons": {f"{key}.md" for key in lessons},
            "items": {f"{key}.yaml" for key in lessons},
            "scenarios": {f"{key}.yaml" for key in scenarios},
        }
        for sub, names in expected.items():
            for file in sorted((lang_folder / sub).glob("*")):
                if file.name not in names:
                    self.problem(file, 1, "this file is not listed in the module's module.yaml")

    def per_language(
        self, folder: Path, languages: list[str], relative: str, listed_at: tuple[Path, int]
    ) -> dict[str, Path]:
        found = {}
        for lang in languages:
            file = folder / lang / relative
            if file.is_file():
                found[lang] = file
            else:
                self.problem(*listed_at, f"missing translation: {lang}/{relative} does not exist")
        return found

    def module_texts(self, folder: Path, languages: list[str]) -> dict[str, dict]:
        texts: dict[str, dict] = {}
        shapes: dict[str, tuple[Path, MarkedDict, dict]] = {}
        for lang, file in self.per_language(
            folder, languages, "module.yaml", (folder / "module.yaml", 1)
        ).items():
            data = self.read_yaml(file)
            if data is None or not self.fields(file, data, MODULE_TEXT_FIELDS, "module text"):
                continue
            texts[lang] = _plain(data)
            objectives = data.get("objectives")
            shapes[lang] = (file, data, {"objectives": _count(objectives)})
        self.same_structure(shapes, "module")
        return texts

    # -- lessons and items --------------------------------------------------------------------
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
            lesson.texts[lang] = {**_plain(front), "body": body}
            media = sorted(
                m.group(1) for m in LINK.finditer(body) if m.group(1).startswith("media/")
            )
            shapes[lang] = (
                file,
                front,
                {
                    "id": front.get("id"),
                    "minutes": front.get("minutes"),
                    "objectives": _count(front.get("objectives")),
                    "references": _count(front.get("references")),
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

    def lesson_file(self, path: Path, key: str) -> tuple[MarkedDict, str, int] | None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.problem(path, 1, f"cannot read the file: {error}")
            return None
        lines = text.splitlines(keepends=True)
        if not lines or lines[0].strip() != "---":
            self.problem(path, 1, "a lesson starts with YAML front matter between --- lines")
            return None
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            self.problem(path, 1, "the front matter has no closing --- line")
            return None
        try:
            front = load_marked("".join(lines[1:end]), first_line=2)
        except YamlSyntaxError as error:
            self.problem(path, error.line, error.message)
            return None
        if not self.fields(path, front, LESSON_FIELDS, "lesson", line=2):
            return None
        if self.ok(front, "id", "id") and str(front["id"]) != key:
            self.problem(
                path, front.line_of("id"), f"id `{front['id']}` is not the file name `{key}`"
            )
        if self.ok(front, "minutes", "int") and front["minutes"] <= 0:
            self.problem(path, front.line_of("minutes"), "minutes must be positive")
        references = front.get("references")
        if isinstance(references, MarkedList):
            if not references:
                self.problem(path, front.line_of("references"), "at least one reference needed")
            for index, reference in enumerate(references):
                where = f"reference {index + 1}"
                if self.fields(path, reference, REFERENCE_FIELDS, where, references.line_of(index)):
                    url = reference.get("url")
                    if isinstance(url, str) and not url.startswith(("https://", "http://")):
                        self.problem(
                            path, reference.line_of("url"), f"{where}: url must be http(s)"
                        )
        body = "".join(lines[end + 1 :])
        if not body.strip():
            self.problem(path, end + 1, "the lesson has no text after the front matter")
        self.links(path, end + 2, body)
        return front, body, end + 2

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
                            entry.line_of(_source_key(field_name)),
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
                    item.texts[lang] = _plain(match)
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

    # -- scenarios ------------------------------------------------------------------------
    def scenario(
        self,
        folder: Path,
        languages: list[str],
        key: str,
        position: int,
        listed_in: Path,
        line: int,
    ) -> ScenarioData | None:
        texts: dict[str, dict] = {}
        shapes: dict[str, tuple[Path, MarkedDict, dict]] = {}
        for lang, file in self.per_language(
            folder, languages, f"scenarios/{key}.yaml", (listed_in, line)
        ).items():
            data = self.read_yaml(file)
            if data is None or not self.fields(file, data, SCENARIO_FIELDS, "scenario"):
                continue
            if self.ok(data, "id", "id") and str(data["id"]) != key:
                self.problem(
                    file, data.line_of("id"), f"id `{data['id']}` is not the file name `{key}`"
                )
            structure = self.scenario_graph(file, data)
            if structure is None:
                continue
            texts[lang] = _plain(data)
            shapes[lang] = (file, data, structure)
        self.same_structure(shapes, f"scenario `{key}`")
        if not shapes:
            return None
        reference = REFERENCE_LANGUAGE if REFERENCE_LANGUAGE in shapes else next(iter(shapes))
        return ScenarioData(key=key, position=position, structure=shapes[reference][2], texts=texts)

    def scenario_graph(self, path: Path, data: MarkedDict) -> dict | None:
        nodes = data.get("nodes")
        if not isinstance(nodes, MarkedList):
            return None
        self.links(path, data.line_of("briefing"), data.get("briefing"))
        graph: dict[str, list[str]] = {}
        lines: dict[str, int] = {}
        structure_nodes = []
        for index, node in enumerate(nodes):
            what = f"node {index + 1}"
            if not self.fields(path, node, NODE_FIELDS, what, nodes.line_of(index)):
                continue
            if not self.ok(node, "id", "id"):
                continue
            node_id = str(node["id"])
            what = f"node `{node_id}`"
            if node_id in graph:
                self.problem(path, node.line, f"{what}: the id is used twice")
            lines[node_id] = node.line
            self.links(path, node.line_of("narrative"), node.get("narrative"))
            image = node.get("image")
            if isinstance(image, str):
                self.media_ref(path, node.line_of("image"), image)
                if not node.get("image_alt"):
                    self.problem(path, node.line_of("image"), f"{what}: an image needs image_alt")
            inject = node.get("inject")
            after = None
            if isinstance(inject, MarkedDict) and self.fields(
                path, inject, INJECT_FIELDS, f"{what}: inject"
            ):
                after = inject.get("after_minutes")
                if KINDS["number"](after) and after < 0:
                    self.problem(path, inject.line_of("after_minutes"), f"{what}: negative minutes")
            is_end = node.get("end") is True
            choices = node.get("choices") or []
            choice_shapes = []
            if is_end:
                if choices:
                    self.problem(path, node.line_of("choices"), f"{what}: an end has no choices")
                if node.get("outcome") not in OUTCOMES:
                    self.problem(
                        path,
                        node.line_of("outcome"),
                        f"{what}: outcome must be good, mixed or poor",
                    )
                graph[node_id] = []
            else:
                if "outcome" in node:
                    self.problem(path, node.line_of("outcome"), f"{what}: only an end has outcome")
                if not 2 <= len(choices) <= 4:
                    self.problem(
                        path,
                        node.line_of("choices"),
                        f"{what}: a decision node has 2 to 4 choices, not {len(choices)} "
                        "(or mark it `end: true`)",
                    )
                good = self.entries(path, node, "choices", CHOICE_FIELDS, what, 0)
                recommended = [c for c in good if c.get("recommended") is True]
                if good and len(recommended) != 1:
                    self.problem(
                        path,
                        node.line_of("choices"),
                        f"{what}: exactly one choice must be recommended, {len(recommended)} are",
                    )
                for choice in good:
                    score = choice.get("score")
                    if KINDS["int"](score) and not 0 <= score <= 3:
                        self.problem(path, choice.line_of("score"), f"{what}: score must be 0 to 3")
                    choice_shapes.append(
                        (
                            str(choice["id"]),
                            str(choice.get("next")),
                            score,
                            choice.get("recommended") is True,
                        )
                    )
                graph[node_id] = [str(c.get("next")) for c in good]
                lines.update({f"{node_id}->{c.get('next')}": c.line_of("next") for c in good})
            structure_nodes.append(
                (node_id, is_end, node.get("outcome"), image, after, choice_shapes)
            )
        start = str(data.get("start"))
        if start not in graph:
            self.problem(path, data.line_of("start"), f"start node `{start}` does not exist")
            return None
        for node_id, targets in graph.items():
            for target in targets:
                if target not in graph:
                    self.problem(
                        path,
                        lines.get(f"{node_id}->{target}", lines[node_id]),
                        f"node `{node_id}`: next `{target}` does not exist",
                    )
        reachable = _reachable(graph, start)
        for node_id in graph:
            if node_id not in reachable:
                self.problem(path, lines[node_id], f"node `{node_id}` cannot be reached from start")
        cycle = _find_cycle(graph, start)
        if cycle:
            self.problem(
                path,
                lines[cycle[0]],
                f"the path {' → '.join(cycle)} is a cycle; every path must end at an end node",
            )
        return {"start": start, "nodes": structure_nodes}

    # -- across languages ---------------------------------------------------------------
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
                        f"({_short(value)} here, {_short(expected.get(key))} in {reference})",
                    )


def _reference(files: dict[str, Path]) -> str:
    return REFERENCE_LANGUAGE if REFERENCE_LANGUAGE in files else next(iter(files))


def _source_key(structure_key: str) -> str:
    return structure_key


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _count(value: Any) -> int | None:
    return len(value) if isinstance(value, list) else None


def _plain(value: Any) -> Any:
    """Marked YAML as plain dicts and lists (JSON-ready)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _inside(shape: str, coords: list[float], width: int, height: int) -> bool:
    if shape == "rect":
        x, y, w, h = coords
        return w > 0 and h > 0 and x >= 0 and y >= 0 and x + w <= width and y + h <= height
    if shape == "circle":
        cx, cy, r = coords
        return r > 0 and 0 <= cx <= width and 0 <= cy <= height
    xs, ys = coords[0::2], coords[1::2]
    return all(0 <= x <= width for x in xs) and all(0 <= y <= height for y in ys)


def _reachable(graph: dict[str, list[str]], start: str) -> set[str]:
    seen, stack = {start}, [start]
    while stack:
        for target in graph.get(stack.pop(), []):
            if target in graph and target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def _find_cycle(graph: dict[str, list[str]], start: str) -> list[str]:
    """A cycle reachable from ``start`` as a list of node ids (first repeated), or []."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in graph.get(node, []):
            if target not in graph:
                continue
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return []

    return visit(start) if start in graph else []


def digest(root: Path) -> str:
    """SHA-256 over the relative names and bytes of every file under ``root``."""
    sha = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        if file.name.startswith(".") or file.name == "README.md":
            continue
        sha.update(file.relative_to(root).as_posix().encode() + b"\0")
        sha.update(file.read_bytes() + b"\0")
    return sha.hexdigest()


def read_curriculum(root: Path | str) -> tuple[Curriculum | None, list[Problem]]:
    """Parse and check the curriculum under ``root``: (curriculum, problems sorted by file)."""
    root = Path(root)
    if not root.is_dir():
        return None, [Problem(str(root), 1, "no such folder")]
    reader = _Reader(root)
    curriculum = reader.read()
    return curriculum, sorted(set(reader.problems))
