"""Reading and checking the curriculum files: every problem named with its file and line.

The format is documented in ``content/curriculum/README.md``. ``read_curriculum`` returns the
parsed curriculum and the list of problems; a curriculum with any problem must not be loaded.
"""

from __future__ import annotations

from pathlib import Path

from ..marked_yaml import MarkedDict, MarkedList
from ..model import LANGUAGES, Curriculum, ModuleData, Problem
from .files import digest
from .items import ItemChecks
from .scenarios import ScenarioChecks
from .schema import CURRICULUM_FIELDS, MODULE_FIELDS, MODULE_KINDS, MODULE_TEXT_FIELDS, count, plain

__all__ = ["digest", "read_curriculum"]


class _Reader(ItemChecks, ScenarioChecks):
    """The whole curriculum: the index, its modules, and the lessons and scenarios they list."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.lesson_keys: set[str] = set()
        self.item_keys: dict[str, str] = {}  # item id -> its lesson, across the curriculum
        self.scenario_keys: set[str] = set()
        self.media: dict[str, Path] = {}
        # (path, line, target) of every lesson: link, checked once all lessons are known
        self.lesson_links: list[tuple[Path, int, str]] = []

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

    def module_texts(self, folder: Path, languages: list[str]) -> dict[str, dict]:
        texts: dict[str, dict] = {}
        shapes: dict[str, tuple[Path, MarkedDict, dict]] = {}
        for lang, file in self.per_language(
            folder, languages, "module.yaml", (folder / "module.yaml", 1)
        ).items():
            data = self.read_yaml(file)
            if data is None or not self.fields(file, data, MODULE_TEXT_FIELDS, "module text"):
                continue
            texts[lang] = plain(data)
            objectives = data.get("objectives")
            shapes[lang] = (file, data, {"objectives": count(objectives)})
        self.same_structure(shapes, "module")
        return texts


def read_curriculum(root: Path | str) -> tuple[Curriculum | None, list[Problem]]:
    """Parse and check the curriculum under ``root``: (curriculum, problems sorted by file)."""
    root = Path(root)
    if not root.is_dir():
        return None, [Problem(str(root), 1, "no such folder")]
    reader = _Reader(root)
    curriculum = reader.read()
    return curriculum, sorted(set(reader.problems))
