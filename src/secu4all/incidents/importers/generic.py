"""Generic CSV and GeoJSON with a column mapping: x/y in a given EPSG or longitude/latitude."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

import numpy as np

from secu4all.common.files import (
    ImportFileError,
    Rejection,
    RowError,
    csv_rows,
    feature_list,
    feature_parts,
    feature_raw,
)
from secu4all.incidents.importers.base import (
    DateRange,
    Fingerprinter,
    IncidentRow,
    Parsed,
    check_lonlat,
    parse_float,
)
from secu4all.incidents.taxonomy import Category, category_for

MAPPING_KEYS = {
    "id",
    "date",
    "date_format",
    "time",
    "time_format",
    "category",
    "categories",
    "longitude",
    "latitude",
    "x",
    "y",
    "epsg",
    "area",
    "area_name",
    "location",
    "outcome",
}


def _kind(value: object) -> str:
    """How a mapping value looks, in the words of JSON and YAML."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text “{value[:50]}”"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _field_error(key: str, expected: str, value: object) -> ImportFileError:
    return ImportFileError(f"mapping field '{key}': expected {expected}, got {_kind(value)}")


MAX_COLUMN_NAME = 200


def _checked(key: str, value: object) -> object:
    """A mapping field's value in the type its field needs, or ImportFileError naming it."""
    if key in ("date_format", "time_format"):
        formats = [value] if isinstance(value, str) else value
        if (
            not isinstance(formats, list)
            or not formats
            or not all(isinstance(f, str) and f and len(f) <= 100 for f in formats)
        ):
            raise _field_error(key, "a date format such as %d-%m-%Y, or a list of them", value)
        return tuple(formats)
    if key == "categories":
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise _field_error(key, "an object from source category to category", value)
        bad = [str(v) for v in value.values() if v not in Category.values]
        if bad:
            raise ImportFileError(
                f"The mapping's categories use unknown target(s) {', '.join(bad)}; "
                f"choose from {', '.join(Category.values)}."
            )
        return dict(value)
    if key == "epsg":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise _field_error(key, "an EPSG code (a whole number such as 28992)", value)
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        try:
            CRS.from_epsg(value)
        except CRSError:
            raise ImportFileError(
                f"mapping field 'epsg': {value} is not a known EPSG code"
            ) from None
        return value
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_COLUMN_NAME:
        raise _field_error(key, "a column name", value)
    return value


@dataclass(frozen=True)
class Mapping:
    """Which column holds what; formats are strptime patterns, ISO 8601 when none is given."""

    date: str
    category: str
    id: str = ""
    date_format: tuple[str, ...] = ()
    time: str = ""
    time_format: tuple[str, ...] = ()
    categories: dict[str, str] = field(default_factory=dict)
    longitude: str = ""
    latitude: str = ""
    x: str = ""
    y: str = ""
    epsg: int | None = None
    area: str = ""
    area_name: str = ""
    location: str = ""
    outcome: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> Mapping:
        if not isinstance(data, dict):
            raise ImportFileError(
                f"The mapping must be an object of column names, not {_kind(data)}."
            )
        unknown = sorted(str(key) for key in data if key not in MAPPING_KEYS)
        if unknown:
            raise ImportFileError(
                f"The mapping has unknown key(s) {', '.join(unknown)}; "
                f"known keys are {', '.join(sorted(MAPPING_KEYS))}."
            )
        for key in ("date", "category"):
            if not data.get(key):
                raise ImportFileError(f"The mapping needs “{key}”: the column that holds it.")
        values = {key: _checked(key, value) for key, value in data.items()}
        mapping = cls(**values)
        has_xy = bool(mapping.x and mapping.y)
        if has_xy and mapping.epsg is None:
            raise ImportFileError("The mapping gives x and y but no “epsg” code for them.")
        return mapping

    def columns(self) -> list[str]:
        names = [
            self.id,
            self.date,
            self.time,
            self.category,
            self.longitude,
            self.latitude,
            self.x,
            self.y,
            self.area,
            self.area_name,
            self.location,
            self.outcome,
        ]
        return [n for n in names if n]


@lru_cache(maxsize=65536)
def _strptime_any(text: str, formats: tuple[str, ...]) -> datetime | None:
    """The first format that reads ``text``; cached, since dates and times repeat a lot."""
    for pattern in formats:
        try:
            return datetime.strptime(text, pattern)  # local time of the source
        except ValueError:
            continue
    return None


@lru_cache(maxsize=65536)
def _isoformat(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


TIME_CODES = ("%H", "%I", "%M")


def _parse_when(
    value: str, time_value: str, mapping: Mapping, dates: DateRange
) -> tuple[date, datetime | None, str]:
    """The date, the local date and time if known, and the precision of a row."""
    value, time_value = value.strip(), time_value.strip()
    if not value:
        raise RowError(mapping.date, "is empty")
    if mapping.date_format:
        moment = _strptime_any(value, mapping.date_format)
        expected = ", ".join(mapping.date_format)
        has_time = any(code in f for f in mapping.date_format for code in TIME_CODES)
    else:
        moment = _isoformat(value)
        expected = "ISO 8601 (YYYY-MM-DD)"
        has_time = len(value) > 10
    if moment is None:
        raise RowError(mapping.date, f"“{value}” matches none of the formats {expected}")
    dates.check(moment.date(), mapping.date, value)
    if mapping.time and time_value:
        formats = mapping.time_format or ("%H:%M", "%H:%M:%S")
        clock = _strptime_any(time_value, formats)
        if clock is None:
            raise RowError(
                mapping.time, f"“{time_value}” matches none of the formats {', '.join(formats)}"
            )
        moment, has_time = datetime.combine(moment.date(), clock.time()), True
    return moment.date(), moment if has_time else None, "minute" if has_time else "day"


@dataclass
class _Pending:
    """A parsed row waiting for its coordinates to be projected together with the others."""

    line: int
    record: list[str]
    values: dict
    a: float | None
    b: float | None


def _finish(pending: list[_Pending], mapping: Mapping, parsed: Parsed, kind: str) -> None:
    """Turn pending rows into incidents, projecting x/y to longitude/latitude in one pass."""
    fingerprint = Fingerprinter(kind)
    lon = [p.a for p in pending]
    lat = [p.b for p in pending]
    if mapping.epsg is not None and pending:
        from pyproj import Transformer

        missing = np.array([a is None for a in lon], dtype=bool)
        transformer = Transformer.from_crs(mapping.epsg, 4326, always_xy=True)
        x, y = transformer.transform(
            np.array([a or 0.0 for a in lon], dtype=float),
            np.array([b or 0.0 for b in lat], dtype=float),
        )
        lon = [None if gone else v for v, gone in zip(x.tolist(), missing, strict=True)]
        lat = [None if gone else v for v, gone in zip(y.tolist(), missing, strict=True)]
    for item, a, b in zip(pending, lon, lat, strict=True):
        try:
            point = check_lonlat(a, b)
        except RowError as error:
            raw = ",".join(item.record)
            parsed.rejections.append(Rejection(item.line, error.field, error.reason, raw))
            continue
        parsed.incidents.append(
            IncidentRow(
                row=item.line,
                fingerprint=fingerprint(item.record),
                lon=point[0],
                lat=point[1],
                **item.values,
            )
        )


def _row_values(get, mapping: Mapping, dates: DateRange) -> tuple[dict, float | None, float | None]:
    occurred_on, occurred_at, precision = _parse_when(
        get(mapping.date), get(mapping.time), mapping, dates
    )
    label = get(mapping.category)
    if not label:
        raise RowError(mapping.category, "is empty")
    if mapping.x:
        a, b = parse_float(get(mapping.x), mapping.x), parse_float(get(mapping.y), mapping.y)
    else:
        a = parse_float(get(mapping.longitude), mapping.longitude) if mapping.longitude else None
        b = parse_float(get(mapping.latitude), mapping.latitude) if mapping.latitude else None
    if (a is None) != (b is None):
        raise RowError(mapping.x or mapping.longitude, "one coordinate is given without the other")
    values = {
        "source_id": get(mapping.id),
        "occurred_on": occurred_on,
        "occurred_at": occurred_at,
        "precision": precision,
        "source_category": label,
        "category": category_for(label, mapping.categories),
        "area_code": get(mapping.area),
        "area_name": get(mapping.area_name),
        "location_text": get(mapping.location),
        "outcome": get(mapping.outcome),
    }
    return values, a, b


def parse_csv(text: str, *, name: str, mapping: Mapping, dates: DateRange) -> Parsed:
    parsed, pending = Parsed(), []
    header, records = csv_rows(text, name=name, required=mapping.columns(), parsed=parsed)
    index = {column: i for i, column in enumerate(header)}
    record: list[str] = []

    # Defined once: it reads the loop's current record through the closure.
    def get(column: str) -> str:
        return record[index[column]].strip() if column else ""

    for line, record in records:
        try:
            values, a, b = _row_values(get, mapping, dates)
        except RowError as error:
            parsed.rejections.append(Rejection(line, error.field, error.reason, ",".join(record)))
            continue
        pending.append(_Pending(line, record, values, a, b))
    _finish(pending, mapping, parsed, "csv")
    return parsed


def parse_geojson(text: str, *, name: str, mapping: Mapping, dates: DateRange) -> Parsed:
    """A FeatureCollection of points; the row number is the feature's position, from 1."""
    features = feature_list(text, name=name)
    parsed, pending = Parsed(), []
    for number, feature in enumerate(features, start=1):
        parsed.rows += 1
        raw = "(too deeply nested to show)"
        try:
            raw = feature_raw(feature)
            properties, geometry = feature_parts(feature)

            def get(column: str, properties: dict = properties) -> str:
                value = properties.get(column) if column else None
                if isinstance(value, dict | list):
                    raise RowError(column, f"is {_kind(value)}, not a single value")
                return "" if value is None else str(value).strip()

            values, _a, _b = _row_values(get, mapping, dates)
            a = b = None
            if geometry is not None:
                if geometry.get("type") != "Point":
                    raise RowError("geometry", f"is a {geometry.get('type')}, not a Point")
                coordinates = geometry.get("coordinates")
                if (
                    not isinstance(coordinates, list)
                    or len(coordinates) < 2
                    or not all(isinstance(c, int | float | str) for c in coordinates[:2])
                ):
                    raise RowError("geometry", "a Point needs two coordinates")
                a = parse_float(str(coordinates[0]), "geometry")
                b = parse_float(str(coordinates[1]), "geometry")
        except RowError as error:
            parsed.rejections.append(Rejection(number, error.field, error.reason, raw))
            continue
        pending.append(_Pending(number, [raw], values, a, b))
    _finish(pending, mapping, parsed, "geojson")
    return parsed
