"""Finding 12.4, same class in curriculum files: YAML aliases are refused with their line."""

from __future__ import annotations

import pytest

from secu4all.engines.curriculum.marked_yaml import YamlSyntaxError, load_marked

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"


def test_an_alias_is_refused_naming_its_line() -> None:
    with pytest.raises(YamlSyntaxError) as refused:
        load_marked(BOMB, first_line=10)
    assert refused.value.line == 11
    assert "aliases" in refused.value.message


def test_marks_still_name_lines() -> None:
    data = load_marked("title: Lesson\nitems:\n  - one\n  - two\n")
    assert data.line_of("items") == 2
    assert data["items"].line_of(1) == 4
