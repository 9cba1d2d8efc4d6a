"""What every importer shares: reading a file safely, rows, rejections and fingerprints."""

from __future__ import annotations

import csv
import hashlib
import io
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

DEFAULT_MAX_BYTES = 1024**3  # 1 GiB: larger files are split at the source, not half-read here
SNIFF_BYTES = 65536
DELIMITERS = (",", ";", "\t", "|")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; nothing of it is kept."""


@dataclass(frozen=True, slots=True)
class Rejection:
    row: int
    field: str
    reason: str
    raw: str


@dataclass(frozen=True, slots=True)
class IncidentRow:
    row: int
    fingerprint: str
    source_id: str
    occurred_on: date
    occurred_at: datetime | None
    precision: str  # "month", "day" or "minute"
    source_category: str
    category: str
    lon: float | None
    lat: float | None
    area_code: str = ""
    area_name: str = ""
    location_text: str = ""
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class AreaCountRow:
    row: int
    fingerprint: str
    period: str
    period_start: date
    area_code: str
    offence_code: str
    offence_label: str
    category: str
    count: int | None
    withheld: bool


@dataclass
class Parsed:
    """The outcome of parsing one file; ``rows`` counts every data row of the file."""

    rows: int = 0
    incidents: list[IncidentRow] = field(default_factory=list)
    area_counts: list[AreaCountRow] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


class RowError(ValueError):
    """One field of one row is wrong; the row is rejected and the import goes on."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(f"{field_name}: {reason}")
        self.field = field_name
        self.reason = reason


def decode(data: bytes, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The file's text: UTF-8 (with or without BOM), else Latin-1; refuses empty, huge or binary."""
    check_size(len(data), name=name, max_bytes=max_bytes)
    if b"\x00" in data[:SNIFF_BYTES]:
        raise ImportFileError(f"{name} is a binary file, not CSV or GeoJSON text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheet exports from Windows: cp1252 is Latin-1 plus printable extras.
        return data.decode("cp1252", errors="replace")


def check_size(size: int, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse an empty file or one too large to import, before reading it."""
    if size == 0:
        raise ImportFileError(f"{name} is empty.")
    if size > max_bytes:
        raise ImportFileError(
            f"{name} is {size / 1024**2:,.0f} MB; the largest file accepted is "
            f"{max_bytes / 1024**2:,.0f} MB. Split it, for example per month."
        )


def csv_rows(
    text: str, *, name: str, required: list[str], parsed: Parsed
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Header and an iterator of (line number, record) with the delimiter detected.

    Every non-blank data row is counted in ``parsed.rows``; a row whose number of fields
    differs from the header's is rejected here and not yielded.
    """
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        raise ImportFileError(f"{name} has no header row.") from None
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportFileError(
            f"{name} lacks the required column(s) {', '.join(missing)}; "
            f"it has {', '.join(header) or 'no columns'}."
        )

    def records() -> Iterator[tuple[int, list[str]]]:
        for record in reader:
            if not "".join(record).strip():
                continue
            parsed.rows += 1
            if len(record) != len(header):
                reason = f"has {len(record)} fields, the header {len(header)}"
                raw = delimiter.join(record)
                parsed.rejections.append(Rejection(reader.line_num, "(row)", reason, raw))
                continue
            yield reader.line_num, record

    return header, records()


class Fingerprinter:
    """Stable identity of a row: its content plus how often that same content came before.

    Identical rows are real in open data (two nuisance reports of one type, month and
    street), so the occurrence number keeps them apart, while the same file imported
    again yields the same fingerprints and adds nothing.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.seen: Counter[str] = Counter()

    def __call__(self, record: list[str]) -> str:
        content = "\x1f".join(record)
        self.seen[content] += 1
        key = f"{self.kind}\x1e{content}\x1e{self.seen[content]}"
        return hashlib.sha256(key.encode()).hexdigest()[:40]


def parse_float(value: str, field_name: str) -> float | None:
    value = value.strip()
    if not value:
        return None
    if "," in value and "." not in value:
        value = value.replace(",", ".", 1)  # a decimal comma, as Dutch and German exports write
    try:
        number = float(value)
    except ValueError:
        raise RowError(field_name, f"“{value}” is not a number") from None
    if not math.isfinite(number):
        raise RowError(field_name, f"“{value}” is not a finite number")
    return number


def check_lonlat(lon: float | None, lat: float | None) -> tuple[float | None, float | None]:
    """Both or neither; in range; a swapped pair is named as such."""
    if lon is None and lat is None:
        return None, None
    if lon is None or lat is None:
        missing = "longitude" if lon is None else "latitude"
        raise RowError(missing, "one coordinate is given without the other")
    if abs(lat) > 90 and abs(lon) <= 90:
        raise RowError("latitude", f"{lat} is not a latitude; latitude and longitude look swapped")
    if abs(lat) > 90:
        raise RowError("latitude", f"{lat} is outside [-90, 90]")
    if abs(lon) > 180:
        raise RowError("longitude", f"{lon} is outside [-180, 180]")
    return lon, lat


def _distance_km(lon: np.ndarray, lat: np.ndarray, lon0: float, lat0: float) -> np.ndarray:
    """Great-circle distance (haversine, mean Earth radius 6371 km)."""
    phi, phi0 = np.radians(lat), math.radians(lat0)
    dphi = phi - phi0
    dlam = np.radians(lon - lon0)
    h = np.sin(dphi / 2) ** 2 + np.cos(phi) * math.cos(phi0) * np.sin(dlam / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def reject_far_away(parsed: Parsed, *, max_km: float) -> None:
    """Reject located incidents far from the median of the file's incidents.

    A point hundreds of kilometres from all the others is a typing or export error, not
    a crime in this municipality; when swapping its coordinates brings it home, the
    reason says so.
    """
    located = [i for i in parsed.incidents if i.lon is not None]
    if len(located) < 3:
        return
    lon = np.array([i.lon for i in located])
    lat = np.array([i.lat for i in located])
    lon0, lat0 = float(np.median(lon)), float(np.median(lat))
    far = _distance_km(lon, lat, lon0, lat0) > max_km
    if not far.any():
        return
    swapped_home = _distance_km(lat, lon, lon0, lat0) <= max_km
    far_rows = {}
    for incident, is_far, swapped in zip(located, far, swapped_home, strict=True):
        if is_far:
            reason = (
                "latitude and longitude look swapped"
                if swapped
                else f"({incident.lon}, {incident.lat}) is more than {max_km:g} km from "
                f"the other incidents (around {lon0:.4f}, {lat0:.4f})"
            )
            far_rows[incident.row] = (incident, reason)
    parsed.incidents = [i for i in parsed.incidents if i.row not in far_rows]
    parsed.rejections.extend(
        Rejection(row=row, field="longitude/latitude", reason=reason, raw=f"{i.lon},{i.lat}")
        for row, (i, reason) in far_rows.items()
    )
