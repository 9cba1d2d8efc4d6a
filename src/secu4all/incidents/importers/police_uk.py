"""data.police.uk street-level crime CSV: one row per crime or anti-social behaviour report."""

from __future__ import annotations

from datetime import date

from secu4all.common.files import Rejection, RowError, csv_rows
from secu4all.incidents.importers.base import (
    DateRange,
    Fingerprinter,
    IncidentRow,
    Parsed,
    check_lonlat,
    parse_float,
)
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


def parse(text: str, *, name: str, dates: DateRange) -> Parsed:
    parsed = Parsed()
    header, records = csv_rows(text, name=name, required=REQUIRED, parsed=parsed)
    index = {column: header.index(column) for column in COLUMNS if column in header}
    fingerprint = Fingerprinter("police-uk")
    for line, record in records:
        raw = ",".join(record)

        def cell(column: str, record: list[str] = record) -> str:
            return record[index[column]].strip() if column in index else ""

        try:
            occurred_on = parse_month(cell("Month"))
            dates.check(occurred_on, "Month", cell("Month"))
            lon, lat = check_lonlat(
                parse_float(cell("Longitude"), "Longitude"),
                parse_float(cell("Latitude"), "Latitude"),
            )
            crime_type = cell("Crime type")
            if not crime_type:
                raise RowError("Crime type", "is empty")
        except RowError as error:
            parsed.rejections.append(Rejection(line, error.field, error.reason, raw))
            continue
        parsed.incidents.append(
            IncidentRow(
                row=line,
                fingerprint=fingerprint(record),
                source_id=cell("Crime ID"),
                occurred_on=occurred_on,
                occurred_at=None,
                precision="month",
                source_category=crime_type,
                category=category_for(crime_type),
                lon=lon,
                lat=lat,
                area_code=cell("LSOA code"),
                area_name=cell("LSOA name"),
                location_text=cell("Location"),
                outcome=cell("Last outcome category"),
            )
        )
    return parsed
