"""The real curriculum in content/curriculum passes the check and meets Module 1's brief."""

from __future__ import annotations

from secu4all.engines.curriculum import read_curriculum
from secu4all.training.curriculum import default_path


def test_content_curriculum_passes_the_check() -> None:
    curriculum, problems = read_curriculum(default_path())
    assert [str(p) for p in problems] == []
    assert curriculum is not None


def test_module_one_is_complete() -> None:
    curriculum, _problems = read_curriculum(default_path())
    module = next(m for m in curriculum.modules if m.number == 1)
    items = [item for lesson in module.lessons for item in lesson.items]
    assert len(module.lessons) >= 5
    assert len(items) >= 15
    assert len({item.type for item in items}) >= 5
    assert module.scenarios, "Module 1 needs a branching scenario"
    decisions = [n for n in module.scenarios[0].structure["nodes"] if not n[1]]
    assert len(decisions) >= 8
    for lesson in module.lessons:
        for language, texts in lesson.texts.items():
            assert texts["references"], f"{lesson.key} ({language}) has no references"
