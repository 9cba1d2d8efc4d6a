"""The curriculum check: every problem named with its file and line, on the issue's bad inputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from secu4all.cli import main
from secu4all.engines.curriculum import read_curriculum
from tests.engines.curriculum.conftest import FIXTURE

M = "m1-basics"


def problems(root: Path) -> list[str]:
    _curriculum, found = read_curriculum(root)
    return [str(p) for p in found]


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_fixture_is_clean_and_complete() -> None:
    curriculum, found = read_curriculum(FIXTURE)
    assert found == []
    module = curriculum.modules[0]
    items = [item for lesson in module.lessons for item in lesson.items]
    assert {item.type for item in items} == {
        "single_choice",
        "multiple_choice",
        "true_false",
        "matching",
        "ordering",
        "numeric",
        "hotspot",
        "free_text",
    }
    assert all(set(item.texts) == {"en", "nl", "de", "fr", "it"} for item in items)
    assert set(module.scenarios[0].texts) == {"en", "nl", "de", "fr", "it"}


def test_schema_error_names_file_and_line(curriculum_copy: Path) -> None:
    path = curriculum_copy / M / "de" / "items" / "m1-l1-intro.yaml"
    replace(path, "type: true_false", "type: truefalse")
    line = line_of(path, "type: truefalse")
    assert f"{path}:{line}: item type `truefalse` is unknown" in "\n".join(
        problems(curriculum_copy)
    )


def test_missing_required_field_and_wrong_kind(curriculum_copy: Path) -> None:
    path = curriculum_copy / M / "fr" / "lessons" / "m1-l2-practice.md"
    replace(path, "minutes: 5", "minutes: five")
    found = problems(curriculum_copy)
    assert (
        f"{path}:{line_of(path, 'minutes: five')}: lesson: `minutes` must be a whole number"
        in found
    )


def test_unknown_field_is_reported_where_it_stands(curriculum_copy: Path) -> None:
    path = curriculum_copy / M / "en" / "items" / "m1-l1-intro.yaml"
    replace(path, "correct: true", "corect: true")
    found = "\n".join(problems(curriculum_copy))
    assert f"{path}:{line_of(path, 'corect: true')}: " in found
    assert "unknown field `corect`" in found


def test_yaml_syntax_error_gives_the_line(curriculum_copy: Path) -> None:
    path = curriculum_copy / M / "it" / "scenarios" / "m1-s1-market.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5] + " ]["
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [p for p in problems(curriculum_copy) if p.startswith(str(path))]
    assert found
    assert "invalid YAML" in found[0]
    assert int(found[0].split(":")[1]) in (6, 7)


def test_missing_translation_is_named(curriculum_copy: Path) -> None:
    (curriculum_copy / M / "nl" / "lessons" / "m1-l2-practice.md").unlink()
    module_yaml = curriculum_copy / M / "module.yaml"
    line = line_of(module_yaml, "- m1-l2-practice")
    assert (
        f"{module_yaml}:{line}: missing translation: nl/lessons/m1-l2-practice.md does not exist"
        in problems(curriculum_copy)
    )


def test_missing_language_folder(curriculum_copy: Path) -> None:
    import shutil

    shutil.rmtree(curriculum_copy / M / "it")
    found = problems(curriculum_copy)
    assert (
        f"{curriculum_copy / M / 'module.yaml'}:1: missing translation: folder it/ is missing"
        in found
    )


def test_missing_item_in_one_language(curriculum_copy: Path) -> None:
    path = curriculum_copy / M / "de" / "items" / "m1-l2-practice.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: fx-numeric")
    end = text.index("- id: fx-hotspot")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    found = "\n".join(problems(curriculum_copy))
    assert f"{path}:1: items differ from en" in found


def test_broken_lesson_link(curriculum_copy: Path) -> None:
    path = curriculum_copy / M / "en" / "lessons" / "m1-l1-intro.md"
    replace(path, "lesson:m1-l2-practice", "lesson:m1-l9-nowhere")
    line = line_of(path, "lesson:m1-l9-nowhere")
    assert f"{path}:{line}: link to lesson `m1-l9-nowhere`, which does not exist" in problems(
        curriculum_copy
    )


def test_missing_media(curriculum_copy: Path) -> None:
    path = curriculum_copy / M / "fr" / "items" / "m1-l2-practice.yaml"
    replace(path, "image: media/square.svg", "image: media/missing.svg")
    line = line_of(path, "media/missing.svg")
    assert f"{path}:{line}: media file `media/missing.svg` does not exist" in problems(
        curriculum_copy
    )


def test_answer_key_must_match_options(curriculum_copy: Path) -> None:
    path = curriculum_copy / M / "en" / "items" / "m1-l1-intro.yaml"
    # Make option b of the single-choice item correct as well: two correct options.
    replace(path, "correct: false\n    feedback: B", "correct: true\n    feedback: B")
    found = "\n".join(problems(curriculum_copy))
    assert "item `fx-single` (single_choice): exactly one option must be correct, 2 are" in found
    assert f"{path}:{line_of(path, 'options:')}:" in found


def test_answer_key_must_be_the_same_in_every_language(curriculum_copy: Path) -> None:
    path = curriculum_copy / M / "nl" / "items" / "m1-l2-practice.yaml"
    replace(path, "answer: 50", "answer: 55")
    found = "\n".join(problems(curriculum_copy))
    assert re.search(
        rf"{re.escape(str(path))}:{line_of(path, 'answer: 55')}: item `fx-numeric`: `answer` "
        r"differs from en \(55 here, 50 in en\)",
        found,
    ), found


def test_ambiguous_matching_and_bad_hotspot(curriculum_copy: Path) -> None:
    items = curriculum_copy / M / "en" / "items"
    replace(items / "m1-l1-intro.yaml", "right: R2", "right: R1")
    replace(items / "m1-l2-practice.yaml", "- 300\n    - 120\n    - 50", "- 390\n    - 120")
    found = "\n".join(problems(curriculum_copy))
    assert "two pairs have the same right-hand text" in found
    assert "region `r2`: a circle has 3 coords" in found


def test_scenario_graph_rules(curriculum_copy: Path) -> None:
    path = curriculum_copy / M / "en" / "scenarios" / "m1-s1-market.yaml"
    # n2's first choice loops back to n1: a cycle, and end-good can no longer be reached.
    replace(path, "next: end-good", "next: n1")
    found = "\n".join(problems(curriculum_copy))
    assert "the path n1 → n2 → n1 is a cycle" in found
    assert f"{path}:{line_of(path, '- id: end-good')}: node `end-good` cannot be reached" in found


def test_scenario_needs_one_recommended_choice_and_existing_next(curriculum_copy: Path) -> None:
    path = curriculum_copy / M / "de" / "scenarios" / "m1-s1-market.yaml"
    replace(path, "next: end-poor", "next: end-nowhere")
    replace(path, "recommended: true", "recommended: false")
    found = "\n".join(problems(curriculum_copy))
    assert "node `n1`: next `end-nowhere` does not exist" in found
    assert "node `n1`: exactly one choice must be recommended, 0 are" in found
    assert "scenario `m1-s1-market`: `nodes` differs from en" in found


def test_unlisted_file_is_reported(curriculum_copy: Path) -> None:
    extra = curriculum_copy / M / "en" / "lessons" / "m1-l3-extra.md"
    extra.write_text("---\nid: m1-l3-extra\n---\nText\n", encoding="utf-8")
    assert f"{extra}:1: this file is not listed in the module's module.yaml" in problems(
        curriculum_copy
    )


def test_cli_check_prints_problems_and_fails(curriculum_copy: Path, capsys) -> None:
    path = curriculum_copy / M / "en" / "items" / "m1-l1-intro.yaml"
    replace(path, "answer: true", "answer: maybe")
    assert main(["curriculum", "check", str(curriculum_copy)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:{line_of(path, 'answer: maybe')}: item `fx-truefalse` (true_false): " in out


def test_cli_check_passes_the_fixture(capsys) -> None:
    assert main(["curriculum", "check", str(FIXTURE)]) == 0
    assert "OK: 1 modules, 2 lessons, 8 exercise items, 1 scenarios" in capsys.readouterr().out


@pytest.mark.parametrize("missing", ["curriculum.yaml", f"{M}/module.yaml"])
def test_missing_index_files(curriculum_copy: Path, missing: str) -> None:
    (curriculum_copy / missing).unlink()
    assert problems(curriculum_copy)


def test_item_ids_are_unique_across_lessons(curriculum_copy: Path) -> None:
    for language in ("en", "nl", "de", "fr", "it"):
        path = curriculum_copy / M / language / "items" / "m1-l2-practice.yaml"
        replace(path, "id: fx-numeric", "id: fx-single")
    path = curriculum_copy / M / "en" / "items" / "m1-l2-practice.yaml"
    assert (
        f"{path}:{line_of(path, 'id: fx-single')}: item id `fx-single` is already used in "
        "lesson `m1-l1-intro`" in problems(curriculum_copy)
    )


def test_ids_must_fit_in_urls(curriculum_copy: Path) -> None:
    path = curriculum_copy / M / "en" / "items" / "m1-l1-intro.yaml"
    replace(path, "id: fx-truefalse", "id: fx true/false")
    assert any(
        p.startswith(f"{path}:{line_of(path, 'id: fx true/false')}:")
        and "`id` must be an identifier" in p
        for p in problems(curriculum_copy)
    )
