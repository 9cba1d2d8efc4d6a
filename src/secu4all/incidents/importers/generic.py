"""Generic CSV and GeoJSON with a column mapping: x/y in a given EPSG or longitude/latitude."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

import numpy as np

from secu4all.incidents.importers.base import (
    Fingerprinter,
    ImportFileError,
    IncidentRow,
    Parsed,
    Rejection,
    RowError,
    check_lonlat,
    csv_rows,
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
            raise ImportFileError("The mapping must be an object of column names.")
        unknown = sorted(set(data) - MAPPING_KEYS)
        if unknown:
            raise ImportFileError(
                f"The mapping has unknown key(s) {', '.join(unknown)}; "
                f"known keys are {', '.join(sorted(MAPPING_KEYS))}."
            )
        for key in ("date", "category"):
            if not data.get(key):
                raise ImportFileError(f"The mapping needs “{key}”: the column that holds it.")
        as_tuple = {
            k: tuple([data[k]] if isinstance(data[k], str) else data[k])
            for k in ("date_format", "time_format")
            if k in data
        }
        bad = [str(v) for v in data.get("categories", {}).values() if v not in Category.values]
        if bad:
            raise ImportFileError(
                f"The mapping's categories use unknown target(s) {', '.join(bad)}; "
                f"choose from {', '.join(Category.values)}."
            )
        mapping = cls(**{**data, **as_tuple})
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


def _parse_when(value: str, time_value: str, mapping: Mapping) -> tuple[date, datetime | None, str]:
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


def _row_values(get, mapping: Mapping) -> tuple[dict, float | None, float | None]:
    occurred_on, occurred_at, precision = _parse_when(get(mapping.date), get(mapping.time), mapping)
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


def parse_csv(text: str, *, name: str, mapping: Mapping) -> Parsed:
    parsed, pending = Parsed(), []
    header, records = csv_rows(text, name=name, required=mapping.columns(), parsed=parsed)
    index = {column: i for i, column in enumerate(header)}
    record: list[str] = []

    # Defined once: it reads the loop's current record through the closure.
    def get(column: str) -> str:
        return record[index[column]].strip() if column else ""

    for line, record in records:
        try:
            values, a, b = _row_values(get, mapping)
        except RowError as error:
            parsed.rejections.append(Rejection(line, error.field, error.reason, ",".join(record)))
            continue
        pending.append(_Pending(line, record, values, a, b))
    _finish(pending, mapping, parsed, "csv")
    return parsed


def parse_geojson(text: str, *, name: str, mapping: Mapping) -> Parsed:
    """A FeatureCollection of points; the row number is the feature's position, from 1."""
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"{name} is not valid JSON: {error.msg} at line {error.lineno}."
        ) from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ImportFileError(f"{name} is not a GeoJSON FeatureCollection.")
    features = collection.get("features")
    if not isinstance(features, list):
        raise ImportFileError(f"{name} has no list of features.")
    parsed, pending = Parsed(), []
    for number, feature in enumerate(features, start=1):
        parsed.rows += 1
        raw = json.dumps(feature, ensure_ascii=False, sort_keys=True)[:2000]
        properties = feature.get("properties") or {} if isinstance(feature, dict) else {}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None

        def get(column: str, properties: dict = properties) -> str:
            value = properties.get(column) if column else None
            return "" if value is None else str(value).strip()

        try:
            values, _a, _b = _row_values(get, mapping)
            a = b = None
            if geometry is not None:
                if geometry.get("type") != "Point":
                    raise RowError("geometry", f"is a {geometry.get('type')}, not a Point")
                coordinates = geometry.get("coordinates") or []
                if len(coordinates) < 2:
                    raise RowError("geometry", "a Point needs two coordinates")
                a = parse_float(str(coordinates[0]), "geometry")
                b = parse_float(str(coordinates[1]), "geometry")
        except RowError as error:
            parsed.rejections.append(Rejection(number, error.field, error.reason, raw))
            continue
        pending.append(_Pending(number, [raw], values, a, b))
    _finish(pending, mapping, parsed, "geojson")
    return parsed
