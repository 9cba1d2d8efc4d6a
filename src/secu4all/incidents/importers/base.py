"""What every importer shares: reading a file safely, rows, rejections and fingerprints."""

from __future__ import annotations

import calendar
import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from secu4all.common.files import Rejection, RowError

EARLIEST = date(1990, 1, 1)  # older records are not what a safety analysis is made of


class IncidentRow(NamedTuple):
    """One incident as parsed: a tuple, since a million frozen dataclasses cost seconds to
    build (each field is set through object.__setattr__)."""

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


@dataclass(frozen=True, slots=True)
class DateRange:
    """The dates an import accepts: anything outside is a typing or export error."""

    earliest: date
    latest: date

    @classmethod
    def plausible(
        cls, *, today: date, earliest: date = EARLIEST, months_ahead: int = 1
    ) -> DateRange:
        """From ``earliest`` to the same day ``months_ahead`` months after ``today``."""
        month = today.month - 1 + months_ahead
        year, month = today.year + month // 12, month % 12 + 1
        last_day = calendar.monthrange(year, month)[1]
        return cls(earliest, date(year, month, min(today.day, last_day)))

    def check(self, day: date, field_name: str, value: str) -> None:
        if not self.earliest <= day <= self.latest:
            raise RowError(
                field_name,
                f"“{value.strip()}” is outside the plausible range "
                f"{self.earliest.isoformat()} to {self.latest.isoformat()}",
            )


class Fingerprinter:
    """Stable identity of a row: its content plus how often that same content came before.

    Identical rows are real in open data (two nuisance reports of one type, month and
    street), so the occurrence number keeps them apart, while the same file imported
    again yields the same fingerprints and adds nothing.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        # Contents are remembered by 64 bits of their first fingerprint, not as text, so a
        # file of tens of millions of rows keeps tens of bytes per row, not the row itself.
        self.first: set[int] = set()
        self.repeats: dict[int, int] = {}

    def __call__(self, record: list[str]) -> str:
        content = "\x1f".join(record)
        return self.many([f"{self.kind}\x1e{content}\x1e1".encode()])[0]

    def many(self, keys: list[bytes]) -> list[str]:
        """Fingerprints of rows given by their first-occurrence keys: kind, U+001E, the
        fields joined by U+001F, U+001E and "1", in UTF-8 (built column-wise by the caller).

        Hashed in one pass; only when a row came before is its key counted up one by one.
        """
        sha256 = hashlib.sha256
        digests = b"".join([sha256(key).digest() for key in keys])
        text = digests.hex()
        fingerprints = [text[i : i + 40] for i in range(0, len(text), 64)]
        firsts = np.frombuffer(digests, dtype=np.uint64)[::4].tolist()
        if self.first.isdisjoint(firsts) and len(set(firsts)) == len(firsts):
            self.first.update(firsts)
            return fingerprints
        for n, (key, first) in enumerate(zip(keys, firsts, strict=True)):
            if first not in self.first:
                self.first.add(first)
                continue
            seen = self.repeats[first] = self.repeats.get(first, 1) + 1
            fingerprints[n] = sha256(key[:-1] + str(seen).encode()).hexdigest()[:40]
        return fingerprints


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


# What Python's float() reads that a cast in C reads the same way; anything else (a decimal
# comma, "nan", an error) is left to parse_float, row by row.
PLAIN_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"


def float_column(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Stripped text cells as floats, NaN where empty, and where parse_float must decide."""
    empty = np.asarray(pc.equal(values, ""))
    try:
        # Arrow's reader is stricter than float(): when it reads the whole column, only
        # the non-finite values ("nan", "1e999") are left to parse_float.
        numbers = pc.cast(pc.if_else(empty, "0", values), pa.float64())
        plain = np.ones(len(values), dtype=bool)
    except pa.ArrowInvalid:
        plain = np.asarray(pc.match_substring_regex(values, PLAIN_NUMBER))
        numbers = pc.cast(pc.if_else(plain, values, "nan"), pa.float64())
    numbers = numbers.to_numpy(zero_copy_only=False, writable=True)
    odd = ~empty & (~plain | ~np.isfinite(numbers))
    numbers[odd | empty] = np.nan
    return numbers, odd


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


def reject_far_away(
    parsed: Parsed, *, max_km: float, centre: tuple[float, float] | None = None
) -> tuple[float, float] | None:
    """Reject located incidents far from ``centre``, by default the median of these.

    A point hundreds of kilometres from all the others is a typing or export error, not
    a crime in this municipality; when swapping its coordinates brings it home, the
    reason says so. Returns the centre used (None with fewer than 3 located incidents),
    so the later blocks of a large file are measured from where its first block lies.
    """
    located = [i for i in parsed.incidents if i.lon is not None]
    if len(located) < (1 if centre else 3):
        return centre
    lon = np.array([i.lon for i in located])
    lat = np.array([i.lat for i in located])
    lon0, lat0 = centre or (float(np.median(lon)), float(np.median(lat)))
    far = _distance_km(lon, lat, lon0, lat0) > max_km
    if not far.any():
        return lon0, lat0
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
    return lon0, lat0
