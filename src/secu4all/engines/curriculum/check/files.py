"""Reading the curriculum files: YAML and lesson front matter, links, media, the files each
language folder must hold, and the digest of the whole tree."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from ..marked_yaml import MarkedDict, MarkedList, YamlSyntaxError, load_marked
from .schema import LESSON_FIELDS, REFERENCE_FIELDS, SchemaChecks

LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = ("http://", "https://", "mailto:", "#")


class FileChecks(SchemaChecks):
    """Reading files and following their links; what they refer to is collected here."""

    media: dict[str, Path]
    # (path, line, target) of every lesson: link, checked once all lessons are known
    lesson_links: list[tuple[Path, int, str]]

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


def digest(root: Path) -> str:
    """SHA-256 over the relative names and bytes of every file under ``root``."""
    sha = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        if file.name.startswith(".") or file.name == "README.md":
            continue
        sha.update(file.relative_to(root).as_posix().encode() + b"\0")
        sha.update(file.read_bytes() + b"\0")
    return sha.hexdigest()
