"""Loading the curriculum: idempotent, and a broken curriculum never replaces the loaded one."""

from __future__ import annotations

from pathlib import Path

import pytest

from secu4all.cli import main
from secu4all.training.curriculum import CurriculumRefusedError, curriculum_load
from secu4all.training.models import CurriculumVersion, Item, Lesson, MediaFile, Module, Scenario
from tests.training.conftest import FIXTURE


def snapshot() -> list:
    return [
        list(Module.objects.values_list("key", "texts", "active")),
        list(Lesson.objects.values_list("key", "texts", "active")),
        list(Item.objects.values_list("key", "structure", "texts", "active")),
        list(Scenario.objects.values_list("key", "structure", "active")),
        list(CurriculumVersion.objects.values_list("digest", "loaded_at")),
    ]


def test_load_stores_everything(db) -> None:
    result = curriculum_load(FIXTURE)
    assert result.changed
    assert result.counts == {"modules": 1, "lessons": 2, "items": 8, "scenarios": 1, "media": 1}
    item = Item.objects.get(key="fx-single")
    assert set(item.texts) == {"en", "nl", "de", "fr", "it"}
    assert item.texts["nl"]["prompt"].startswith("Vraag 1")
    assert item.structure["options"] == [["a", True], ["b", False], ["c", False]]
    assert MediaFile.objects.get(name="media/square.svg").content_type == "image/svg+xml"


def test_second_load_changes_nothing(db) -> None:
    curriculum_load(FIXTURE)
    before = snapshot()
    result = curriculum_load(FIXTURE)
    assert not result.changed
    assert snapshot() == before


def test_changed_text_is_updated_and_removed_items_deactivated(db, curriculum_copy: Path) -> None:
    curriculum_load(curriculum_copy)
    for language in ("en", "nl", "de", "fr", "it"):
        path = curriculum_copy / "m1-basics" / language / "items" / "m1-l2-practice.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text[: text.index("- id: fx-freetext")], encoding="utf-8")
    result = curriculum_load(curriculum_copy)
    assert result.changed
    assert not Item.objects.get(key="fx-freetext").active
    assert CurriculumVersion.objects.count() == 2
    assert CurriculumVersion.objects.first().digest == result.version.digest


def test_broken_curriculum_is_refused_and_the_previous_stays(db, curriculum_copy: Path) -> None:
    curriculum_load(FIXTURE)
    before = snapshot()
    path = curriculum_copy / "m1-basics" / "en" / "lessons" / "m1-l1-intro.md"
    path.write_text(path.read_text().replace("title: Introduction", "title: Changed"))
    (curriculum_copy / "m1-basics" / "it" / "items" / "m1-l1-intro.yaml").unlink()
    with pytest.raises(CurriculumRefusedError) as refused:
        curriculum_load(curriculum_copy)
    assert any("it/items/m1-l1-intro.yaml does not exist" in str(p) for p in refused.value.problems)
    assert snapshot() == before


def test_cli_load_refuses_and_then_loads(db, curriculum_copy: Path, capsys) -> None:
    items = curriculum_copy / "m1-basics" / "fr" / "items" / "m1-l1-intro.yaml"
    items.write_text(items.read_text().replace("correct: true", "correct: false"))
    assert main(["curriculum", "load", str(curriculum_copy)]) == 1
    captured = capsys.readouterr()
    assert f"{items}:" in captured.out
    assert "the curriculum in the database is unchanged" in captured.err
    assert not Module.objects.exists()
    assert main(["curriculum", "load", str(FIXTURE)]) == 0
    assert "Loaded" in capsys.readouterr().out
    assert main(["curriculum", "load", str(FIXTURE)]) == 0
    assert "nothing changed" in capsys.readouterr().out
