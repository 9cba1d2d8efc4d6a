"""Reading an uploaded data file safely: its text, CSV rows with their physical line
numbers, GeoJSON features, and the rejections of rows that cannot be read.

Shared by every importer (incidents, neighbourhoods), so each refuses a bad file the same way.
"""

from __future__ import annotations

import csv
import io
import json
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

DEFAULT_MAX_BYTES = 1024**3  # 1 GiB: larger files are split at the source, not half-read here
SNIFF_BYTES = 65536
DELIMITERS = (",", ";", "\t", "|")


class Tally(Protocol):
    """What ``csv_rows`` counts into: every data row, and the rows it rejects."""

    rows: int
    rejections: list[Rejection]


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; nothing of it is kept."""


@dataclass(frozen=True, slots=True)
class Rejection:
    row: int
    field: str
    reason: str
    raw: str


class RowError(ValueError):
    """One field of one row is wrong; the row is rejected and the import goes on."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(f"{field_name}: {reason}")
        self.field = field_name
        self.reason = reason


def decode(data: bytes, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252; refuses empty, huge or
    binary files, NUL bytes (naming their line) and text in a multi-byte legacy encoding."""
    check_size(len(data), name=name, max_bytes=max_bytes)
    nul = data.find(b"\x00")
    if nul >= 0:
        if nul < SNIFF_BYTES and data.count(b"\x00", 0, SNIFF_BYTES) > 1:
            raise ImportFileError(f"{name} is a binary file, not CSV or GeoJSON text.")
        line = data.count(b"\n", 0, nul) + 1
        raise ImportFileError(
            f"{name} holds a NUL byte (\\0) at line {line}; the file is damaged or not "
            "text. Remove it and import again."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Spreadsheet exports from Windows: cp1252 is Latin-1 plus printable extras.
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        text, undecodable = None, error.start
    legacy = _legacy_encoding(data, text)
    if legacy:
        raise ImportFileError(
            f"{name} is neither UTF-8 nor Western European (Windows-1252) text; it looks like "
            f"{legacy}. Save it as UTF-8 and import it again."
        )
    if text is None:
        line = data.count(b"\n", 0, undecodable) + 1
        raise ImportFileError(
            f"{name} is neither UTF-8 nor Western European (Windows-1252) text: line {line} "
            "holds a byte neither can read. Save it as UTF-8 and import it again."
        )
    return text


LEGACY_ENCODINGS = (("shift_jis", "Japanese Shift-JIS"), ("gb18030", "Chinese GB 18030"))


def _legacy_encoding(data: bytes, western: str | None) -> str:
    """The multi-byte encoding the text is more likely in than Windows-1252, or "".

    Read as Windows-1252, Western European text has letters above ASCII (“café”, “één”);
    Shift-JIS gives bytes Windows-1252 lacks, or symbols such as ‚ ƒ … ‰ in their place.
    """
    sample = data[: 16 * SNIFF_BYTES]
    if western is not None:
        high = [c for c in western[: len(sample)] if ord(c) > 127]
        if sum(1 for c in high if not c.isalpha()) < 0.3 * len(high):
            return ""
    for codec, label in LEGACY_ENCODINGS:
        try:
            sample.decode(codec)
        except UnicodeDecodeError as error:
            # A cut in the middle of a character at the end of the sample is no evidence.
            if error.start < len(sample) - 4:
                continue
        return label
    return ""


def check_size(size: int, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse an empty file or one too large to import, before reading it."""
    if size == 0:
        raise ImportFileError(f"{name} is empty.")
    if size > max_bytes:
        raise ImportFileError(
            f"{name} is {size / 1024**2:,.0f} MB; the largest file accepted is "
            f"{max_bytes / 1024**2:,.0f} MB. Split it, for example per month."
        )


def lines_label(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}–{last}"


class _NumberedLines:
    """The csv reader's input: physical lines, remembering which ones each record consumed,
    and taking back lines a broken record swallowed so they are read again on their own."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.source = iter(io.StringIO(text, newline=""))
        self.next_number = first_line
        self.returned: deque[tuple[int, str]] = deque()
        self.taken: list[tuple[int, str]] = []

    def __iter__(self) -> _NumberedLines:
        return self

    def __next__(self) -> str:
        if self.returned:
            item = self.returned.popleft()
        else:
            item = (self.next_number, next(self.source))
            self.next_number += 1
        self.taken.append(item)
        return item[1]

    def give_back(self, lines: list[tuple[int, str]]) -> None:
        self.returned.extendleft(reversed(lines))


def _swallows_rows(record: list[str], width: int, delimiter: str) -> bool:
    """Whether a field that spans lines holds lines that look like whole rows of the file,
    the mark of an unbalanced quote rather than of text with line breaks in it."""
    if width < 2:
        return False
    return any(
        line.count(delimiter) >= width - 1
        for value in record
        if "\n" in value or "\r" in value
        for line in value.splitlines()
    )


def csv_rows(
    text: str, *, name: str, required: list[str], parsed: Tally, start_line: int = 1
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Header and an iterator of (line number, record) with the delimiter detected.

    Every non-blank data row is counted in ``parsed.rows``; a row whose number of fields
    differs from the header's, or that cannot be read, is rejected here naming the physical
    lines it took, and not yielded. A record whose quoted field runs on over lines that look
    like rows (an unbalanced quote) costs only its first line: the lines it swallowed are
    read again one by one.
    """
    newline = text.find("\n")
    first_line = text if newline < 0 else text[:newline]
    delimiter = max(DELIMITERS, key=first_line.count)
    # A block of a larger file counts on from its first line (the header before it).
    lines = _NumberedLines(text, start_line)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        raise ImportFileError(f"{name} has no header row.") from None
    except csv.Error as error:
        raise ImportFileError(f"{name}: the header row cannot be read: {error}.") from None
    seen: dict[str, int] = {}
    for position, column in enumerate(header, start=1):
        if column and column in seen:
            raise ImportFileError(
                f"{name} has the column “{column}” twice (columns {seen[column]} and "
                f"{position}); rename or remove one of them."
            )
        seen[column] = position
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportFileError(
            f"{name} lacks the required column(s) {', '.join(missing)}; "
            f"it has {', '.join(header) or 'no columns'}."
        )
    width = len(header)

    def records() -> Iterator[tuple[int, list[str]]]:
        while True:
            lines.taken.clear()
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                taken = lines.taken[:]
                parsed.rows += 1
                where = lines_label(taken[0][0], taken[-1][0]) if taken else "the end"
                reason = str(error)
                if "field larger than field limit" in reason:
                    reason = f"a field is longer than {csv.field_size_limit():,} characters"
                parsed.rejections.append(
                    Rejection(
                        taken[0][0] if taken else lines.next_number,
                        "(row)",
                        f"{where} cannot be read: {reason}",
                        "".join(line for _, line in taken)[:2000],
                    )
                )
                continue
            if not "".join(record).strip():
                continue
            taken = lines.taken[:]
            first, last = taken[0][0], taken[-1][0]
            parsed.rows += 1
            if last > first and (len(record) != width or _swallows_rows(record, width, delimiter)):
                reason = (
                    f"a quote opens a field that runs on over {lines_label(first, last)}; "
                    f"line {first} is rejected and lines {first + 1}–{last} are read again "
                    "one by one"
                )
                parsed.rejections.append(Rejection(first, "(row)", reason, taken[0][1][:2000]))
                lines.give_back(taken[1:])
                continue
            if len(record) != width:
                reason = f"has {len(record)} fields, the header {width}"
                if last > first:
                    reason += f" ({lines_label(first, last)})"
                raw = delimiter.join(record)
                parsed.rejections.append(Rejection(first, "(row)", reason, raw))
                continue
            yield first, record

    return header, records()


def feature_list(text: str, *, name: str) -> list:
    """The features of a GeoJSON FeatureCollection, or ImportFileError saying why not."""
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"{name} is not valid JSON: {error.msg} at line {error.lineno}."
        ) from None
    except RecursionError:
        raise ImportFileError(
            f"{name} nests its values too deeply (hundreds of levels) to be GeoJSON."
        ) from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ImportFileError(f"{name} is not a GeoJSON FeatureCollection.")
    features = collection.get("features")
    if not isinstance(features, list):
        raise ImportFileError(f"{name} has no list of features.")
    return features


def feature_raw(feature: object) -> str:
    """The feature as kept with a rejection: its JSON, cut at 2,000 characters."""
    try:
        return json.dumps(feature, ensure_ascii=False, sort_keys=True)[:2000]
    except RecursionError:
        raise RowError("(feature)", "is nested too deeply") from None


def feature_parts(feature: object) -> tuple[dict, dict | None]:
    """A feature's properties and geometry, or RowError naming what is not an object."""
    if not isinstance(feature, dict):
        raise RowError("(feature)", f"is a {type(feature).__name__}, not a GeoJSON Feature")
    properties = feature.get("properties")
    if properties is None:
        properties = {}
    if not isinstance(properties, dict):
        raise RowError(
            "properties", f"is a {type(properties).__name__}, not an object of names and values"
        )
    geometry = feature.get("geometry")
    if geometry is not None and not isinstance(geometry, dict):
        raise RowError("geometry", f"is a {type(geometry).__name__}, not a GeoJSON geometry object")
    return properties, geometry
