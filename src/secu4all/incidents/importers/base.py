"""What every importer shares: reading a file safely, rows, rejections and fingerprints."""

from __future__ import annotations

import calendar
import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from secu4all.common.files import Rejection, RowError

EARLIEST = date(1990, 1, 1)  # older records are not what a safety analysis is made of


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
