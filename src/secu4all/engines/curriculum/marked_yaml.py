"""YAML that remembers where each mapping, list and key stood, so problems can name the line."""

from __future__ import annotations

from typing import Any

import yaml


class MarkedDict(dict):
    """A YAML mapping with its own line and the line of every key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]
    duplicates: list[tuple[str, int]]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class MarkedList(list):
    """A YAML sequence with its own line and the line of every entry (1-based)."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class _Loader(yaml.SafeLoader):
    """Safe loading (no Python objects) that keeps the marks of mappings and sequences, and
    refuses aliases: a few of them expand into gigabytes (a "billion laughs" file)."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed", self.peek_event().start_mark
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode):
    data = MarkedDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    data.duplicates = []
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            key = str(key)
        if key in data:
            data.duplicates.append((str(key), key_node.start_mark.line + 1))
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = key_node.start_mark.line + 1


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode):
    data = MarkedList()
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


class YamlSyntaxError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load_marked(text: str, *, first_line: int = 1) -> Any:
    """Parse ``text``; lines are counted from ``first_line`` (for front matter inside a file).

    Raises ``YamlSyntaxError`` with the line of the syntax error.
    """
    # Blank lines in front shift every mark, so the lines match the file's own numbering.
    padded = "\n" * (first_line - 1) + text
    try:
        return yaml.load(padded, Loader=_Loader)  # noqa: S506 -- _Loader derives from SafeLoader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else first_line
        problem = getattr(error, "problem", None) or str(error)
        return_message = f"invalid YAML: {problem}"
        raise YamlSyntaxError(line, return_message) from error
