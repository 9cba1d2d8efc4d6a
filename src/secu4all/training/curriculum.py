"""Loading the checked curriculum files into the database, idempotently, in one transaction."""

from __future__ import annotations

import hashlib
import mimetypes
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from secu4all.common.i18n import current_language
from secu4all.engines.curriculum import LANGUAGES, REFERENCE_LANGUAGE, Problem, read_curriculum
from secu4all.training.models import CurriculumVersion, Item, Lesson, MediaFile, Module, Scenario


class CurriculumRefusedError(Exception):
    """The curriculum has problems; nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems in the curriculum")
        self.problems = problems


@dataclass
class LoadResult:
    changed: bool
    version: CurriculumVersion
    counts: dict[str, int] = field(default_factory=dict)


def default_path() -> Path:
    """$SECU4ALL_CURRICULUM_DIR, else content/curriculum of the working copy, else of the
    current folder."""
    if os.environ.get("SECU4ALL_CURRICULUM_DIR"):
        return Path(os.environ["SECU4ALL_CURRICULUM_DIR"])
    in_repository = Path(__file__).resolve().parents[3] / "content" / "curriculum"
    return in_repository if in_repository.is_dir() else Path.cwd() / "content" / "curriculum"


@transaction.atomic
def curriculum_load(path: Path | str) -> LoadResult:
    """Check the curriculum at ``path`` and load it; raise ``CurriculumRefusedError`` on problems.

    The content hash makes a second load of the same files a no-op. Pieces that disappeared
    from the files are marked inactive, not deleted, so learners' answers keep their items.
    """
    curriculum, problems = read_curriculum(path)
    if problems or curriculum is None:
        raise CurriculumRefusedError(problems)
    current = CurriculumVersion.objects.first()
    if current is not None and current.digest == curriculum.digest:
        return LoadResult(changed=False, version=current, counts=current.summary)
    seen: dict[type, set[int]] = {Module: set(), Lesson: set(), Item: set(), Scenario: set()}
    for module_data in curriculum.modules:
        module, _ = Module.objects.update_or_create(
            key=module_data.key,
            defaults={
                "number": module_data.number,
                "kind": module_data.kind,
                "required": module_data.required,
                "pass_mark": module_data.pass_mark,
                "position": module_data.position,
                "texts": module_data.texts,
                "active": True,
            },
        )
        seen[Module].add(module.pk)
        for lesson_data in module_data.lessons:
            lesson, _ = Lesson.objects.update_or_create(
                key=lesson_data.key,
                defaults={
                    "module": module,
                    "position": lesson_data.position,
                    "minutes": lesson_data.minutes,
                    "texts": lesson_data.texts,
                    "active": True,
                },
            )
            seen[Lesson].add(lesson.pk)
            for item_data in lesson_data.items:
                item, _ = Item.objects.update_or_create(
                    key=item_data.key,
                    defaults={
                        "lesson": lesson,
                        "position": item_data.position,
                        "type": item_data.type,
                        "points": item_data.points,
                        "structure": item_data.structure,
                        "texts": item_data.texts,
                        "active": True,
                    },
                )
                seen[Item].add(item.pk)
        for scenario_data in module_data.scenarios:
            scenario, _ = Scenario.objects.update_or_create(
                key=scenario_data.key,
                defaults={
                    "module": module,
                    "position": scenario_data.position,
                    "structure": scenario_data.structure,
                    "texts": scenario_data.texts,
                    "active": True,
                },
            )
            seen[Scenario].add(scenario.pk)
    for model, keep in seen.items():
        model.objects.exclude(pk__in=keep).update(active=False)
    for name, file in curriculum.media.items():
        data = file.read_bytes()
        MediaFile.objects.update_or_create(
            name=name,
            defaults={
                "data": data,
                "digest": hashlib.sha256(data).hexdigest(),
                "content_type": mimetypes.guess_type(file.name)[0] or "application/octet-stream",
            },
        )
    counts = {
        "modules": len(seen[Module]),
        "lessons": len(seen[Lesson]),
        "items": len(seen[Item]),
        "scenarios": len(seen[Scenario]),
        "media": len(curriculum.media),
    }
    version, _ = CurriculumVersion.objects.update_or_create(
        digest=curriculum.digest, defaults={"source": str(path), "summary": counts}
    )
    if current is not None and version.pk == current.pk:
        return LoadResult(changed=False, version=version, counts=counts)
    # A re-load of an older version makes it the newest again.
    CurriculumVersion.objects.filter(pk=version.pk).update(loaded_at=timezone.now())
    return LoadResult(changed=True, version=version, counts=counts)


@dataclass(frozen=True)
class Localised:
    """A piece's texts in one language, and whether that is not the language asked for."""

    data: dict
    language: str
    fallback: bool


def localise(texts: dict, language: str | None = None) -> Localised:
    """The texts in ``language`` (default: the active one), else English, flagged as fallback.

    The checker refuses a curriculum with a missing translation, so a fallback only happens
    for a language the platform adds later; the page then says so instead of hiding it.
    """
    language = (language or current_language(REFERENCE_LANGUAGE)).split("-")[0]
    if language in texts:
        return Localised(texts[language], language, False)
    for other in (REFERENCE_LANGUAGE, *LANGUAGES):
        if other in texts:
            return Localised(texts[other], other, True)
    return Localised({}, language, True)
