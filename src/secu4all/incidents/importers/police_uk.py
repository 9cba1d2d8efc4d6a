"""data.police.uk street-level crime CSV: one row per crime or anti-social behaviour report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import repeat

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from secu4all.common.files import Rejection, RowError
from secu4all.incidents.importers.base import (
    DateRange,
    Fingerprinter,
    IncidentRow,
    Parsed,
    check_lonlat,
    float_column,
    parse_float,
)
from secu4all.incidents.importers.columnar import Block
from secu4all.incidents.taxonomy import category_for

COLUMNS = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
REQUIRED = ["Month", "Longitude", "Latitude", "Crime type"]


def parse_month(value: str) -> date:
    value = value.strip()
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise RowError("Month", f"“{value}” is not a month written as YYYY-MM") from None


def _check_row(cell: Callable[[str], str], dates: DateRange) -> tuple:
    """One row checked field by field, raising the first RowError, as the file is read."""
    occurred_on = parse_month(cell("Month"))
    dates.check(occurred_on, "Month", cell("Month"))
    lon, lat = check_lonlat(
        parse_float(cell("Longitude"), "Longitude"),
        parse_float(cell("Latitude"), "Latitude"),
    )
    crime_type = cell("Crime type")
    if not crime_type:
        raise RowError("Crime type", "is empty")
    return occurred_on, lon, lat


def parse_block(
    block: Block, *, header: list[str], dates: DateRange, fingerprint: Fingerprinter
) -> Parsed:
    """The incidents and rejections of one block, checked column by column.

    Months are checked once per distinct value and coordinates as arrays; the few rows
    that fail a check (or hold a number only Python reads, such as a decimal comma) are
    checked again one by one, so their reasons are the same as ever.
    """
    parsed = Parsed(rows=block.rows, rejections=list(block.rejections))
    if not len(block):
        return parsed
    index = {column: header.index(column) for column in COLUMNS if column in header}
    empty = pa.array([""] * len(block), type=pa.string())

    def column(name: str) -> pa.Array:
        return pc.utf8_trim_whitespace(block.columns[index[name]]) if name in index else empty

    month = pc.dictionary_encode(column("Month"))
    known: list[date | None] = []
    for value in month.dictionary.to_pylist():
        try:
            day = parse_month(value)
            dates.check(day, "Month", value)
        except RowError:
            day = None
        known.append(day)
    codes = month.indices.to_numpy(zero_copy_only=False)
    occurred_on = np.array(known, dtype=object)[codes]
    month_bad = np.array([day is None for day in known], dtype=bool)[codes]
    lon, lon_odd = float_column(column("Longitude"))
    lat, lat_odd = float_column(column("Latitude"))
    crime = column("Crime type")
    one_missing = np.isnan(lon) != np.isnan(lat)
    with np.errstate(invalid="ignore"):
        out_of_range = (np.abs(lat) > 90) | (np.abs(lon) > 180)
    again = (
        month_bad | lon_odd | lat_odd | one_missing | out_of_range | np.asarray(pc.equal(crime, ""))
    )
    accepted = ~again
    lines = block.lines.tolist()
    for n in np.flatnonzero(again):
        record = [c[n].as_py() for c in block.columns]

        def cell(name: str, record: list[str] = record) -> str:
            return record[index[name]].strip() if name in index else ""

        try:
            occurred_on[n], lon[n], lat[n] = _check_row(cell, dates)
        except RowError as error:
            parsed.rejections.append(
                Rejection(lines[n], error.field, error.reason, ",".join(record))
            )
            continue
        accepted[n] = True
    keep = pa.array(accepted)
    contents = pc.binary_join_element_wise(*(c.filter(keep) for c in block.columns), "\x1f")
    keys = pc.binary_join_element_wise(fingerprint.kind, contents, "1", "\x1e")
    categories: dict[str, str] = {}
    crime_types = crime.filter(keep).to_pylist()
    lon_kept, lat_kept = _nullable(lon[accepted]), _nullable(lat[accepted])
    parsed.incidents = list(
        map(
            IncidentRow,
            block.lines[accepted].tolist(),
            fingerprint.many(keys.cast(pa.binary()).to_pylist()),
            column("Crime ID").filter(keep).to_pylist(),
            occurred_on[accepted].tolist(),
            repeat(None),
            repeat("month"),
            crime_types,
            [categories.get(t) or categories.setdefault(t, category_for(t)) for t in crime_types],
            lon_kept,
            lat_kept,
            column("LSOA code").filter(keep).to_pylist(),
            column("LSOA name").filter(keep).to_pylist(),
            column("Location").filter(keep).to_pylist(),
            column("Last outcome category").filter(keep).to_pylist(),
        )
    )
    parsed.rejections.sort(key=lambda rejection: rejection.row)
    return parsed


def _nullable(values: np.ndarray) -> list[float | None]:
    """Floats with NaN (an empty cell) as None."""
    result = values.astype(object)
    result[np.isnan(values)] = None
    return result.tolist()
