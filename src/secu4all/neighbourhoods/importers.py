"""Neighbourhoods: codes, names, inhabitants and boundaries, from GeoJSON or CSV.

A GeoJSON FeatureCollection in WGS 84 (longitude, latitude) brings boundaries; a CSV brings
codes, names and inhabitants only. Property and column names are recognised in the forms
statistical offices publish them, e.g. CBS's wijk- en buurtkaart (``buurtcode``,
``buurtnaam``, ``aantal_inwoners``) or a plain ``code``, ``name``, ``population``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from secu4all.common.files import (
    ImportFileError,
    Rejection,
    RowError,
    csv_rows,
    decode,
    feature_list,
    feature_parts,
    feature_raw,
)

CODE_KEYS = ("code", "area_code", "buurtcode", "wijkcode", "statcode", "gemeentecode")
NAME_KEYS = ("name", "area_name", "buurtnaam", "wijknaam", "statnaam", "naam")
POPULATION_KEYS = ("population", "inhabitants", "aantal_inwoners", "aantalInwoners", "inwoners")
GEOMETRY_TYPES = ("Polygon", "MultiPolygon")
MAX_CODE, MAX_NAME = 30, 200
# Read in the web request: a whole country's neighbourhoods, generalised, fit well below.
MAX_BYTES = 256 * 1024**2
MAX_POPULATION = 2_000_000_000  # below the database column's 2**31 - 1


@dataclass(frozen=True, slots=True)
class AreaRow:
    row: int
    code: str
    name: str
    population: int | None
    boundary: dict | None


@dataclass
class ParsedAreas:
    rows: int = 0
    areas: list[AreaRow] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def _pick(values: dict, keys: tuple[str, ...]) -> tuple[str, object]:
    """The first of ``keys`` present (case-insensitively) and its value."""
    lowered = {str(k).lower(): (k, v) for k, v in values.items()}
    for key in keys:
        if key.lower() in lowered:
            return lowered[key.lower()]
    return keys[0], None


def _population(value: object) -> int | None:
    """Inhabitants as a whole number; statistical offices mark secret or unknown values
    with negative numbers (CBS: -99999999) or a dot."""
    if value is None or str(value).strip() in {"", ".", "-"}:
        return None
    try:
        number = float(str(value).strip().replace(" ", ""))
    except ValueError:
        raise ValueError(f"{value!r} is not a number of inhabitants") from None
    if number < 0:
        return None
    if not math.isfinite(number) or number > MAX_POPULATION:
        raise ValueError(f"{value!r} is more inhabitants than any area has")
    if number != int(number):
        raise ValueError(f"{value!r} is not a whole number of inhabitants")
    return int(number)


def _check_ring(ring: object, where: str) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValueError(f"{where}: a ring needs at least 4 positions, the last equal to the first")
    for position in ring:
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(isinstance(c, int | float) for c in position[:2])
        ):
            raise ValueError(f"{where}: {position!r} is not a [longitude, latitude] position")
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError(
                f"{where}: {lon}, {lat} is not a longitude and latitude; "
                "boundaries must be in WGS 84 (EPSG:4326)"
            )
    if list(ring[0][:2]) != list(ring[-1][:2]):
        raise ValueError(f"{where}: the ring is not closed (its last position differs)")


def check_boundary(geometry: object) -> dict:
    """A GeoJSON Polygon or MultiPolygon in longitude and latitude, or ValueError naming why."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise ValueError(f"the geometry is a {kind}, not a Polygon or MultiPolygon")
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise ValueError("the geometry has no coordinates")
    for p, polygon in enumerate(polygons):
        if not isinstance(polygon, list) or not polygon:
            raise ValueError(f"polygon {p + 1} has no rings")
        for r, ring in enumerate(polygon):
            _check_ring(ring, f"polygon {p + 1}, ring {r + 1}")
    return {"type": geometry["type"], "coordinates": coordinates}


def _row(
    parsed: ParsedAreas, number: int, values: dict, boundary: object, raw: str, seen: set[str]
) -> None:
    code_key, code = _pick(values, CODE_KEYS)
    name_key, name = _pick(values, NAME_KEYS)
    population_key, population = _pick(values, POPULATION_KEYS)
    try:
        for key, value in ((code_key, code), (name_key, name), (population_key, population)):
            if isinstance(value, dict | list):
                kind = "a list" if isinstance(value, list) else "an object"
                raise _FieldError(key, f"is {kind}, not a single value")
        code = str(code or "").strip()
        name = str(name or "").strip() or code
        if not code:
            raise _FieldError(code_key, f"no area code (looked for {', '.join(CODE_KEYS)})")
        if len(code) > MAX_CODE:
            raise _FieldError(code_key, f"{code!r} is longer than {MAX_CODE} characters")
        if code in seen:
            raise _FieldError(code_key, f"{code} is listed twice; the first one is kept")
        if len(name) > MAX_NAME:
            raise _FieldError(name_key, f"the name is longer than {MAX_NAME} characters")
        try:
            inhabitants = _population(population)
        except ValueError as error:
            raise _FieldError(population_key, str(error)) from None
        try:
            shape = None if boundary is None else check_boundary(boundary)
        except ValueError as error:
            raise _FieldError("geometry", str(error)) from None
    except _FieldError as error:
        parsed.rejections.append(Rejection(number, error.field, error.reason, raw[:2000]))
        return
    seen.add(code)
    parsed.areas.append(AreaRow(number, code, name, inhabitants, shape))


class _FieldError(ValueError):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field_name, reason


def feature_raw_or_note(feature: object) -> str:
    try:
        return feature_raw(feature)
    except RowError:
        return "(too deeply nested to show)"


def parse_areas(data: bytes, *, name: str, max_bytes: int = MAX_BYTES) -> ParsedAreas:
    """Every area of the file, or its rejection naming the row (feature number), field and
    reason; ImportFileError when the file as a whole cannot be read."""
    text = decode(data, name=name, max_bytes=max_bytes)
    parsed = ParsedAreas()
    seen: set[str] = set()
    if text.lstrip().startswith("{"):
        for number, feature in enumerate(feature_list(text, name=name), start=1):
            parsed.rows += 1
            try:
                properties, geometry = feature_parts(feature)
                raw = feature_raw(properties)
                if geometry is None:
                    raise RowError("geometry", "no geometry")
            except RowError as error:
                raw = feature_raw_or_note(feature)
                parsed.rejections.append(Rejection(number, error.field, error.reason, raw))
                continue
            _row(parsed, number, properties, geometry, raw, seen)
    else:
        read = ParsedAreas()
        header, records = csv_rows(text, name=name, required=[], parsed=read)
        if not any(key.lower() in {h.lower() for h in header} for key in CODE_KEYS):
            raise ImportFileError(
                f"{name} has no area code column; name one of {', '.join(CODE_KEYS)}."
            )
        for number, record in records:
            _row(
                parsed, number, dict(zip(header, record, strict=True)), None, ";".join(record), seen
            )
        parsed.rows = read.rows
        parsed.rejections[:0] = read.rejections
    if parsed.rows == 0:
        raise ImportFileError(f"{name} holds no areas.")
    return parsed
