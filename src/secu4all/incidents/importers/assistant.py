"""The mapping assistant of the generic CSV import: read a file's header, propose which column
holds which field (by name and synonyms in the five languages) and the date format, and the
downloadable template whose header maps itself."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from secu4all.common.files import csv_rows, decode
from secu4all.incidents.importers.base import Parsed

# Names a column holding each field goes by, in nl, en, de, fr and it, written as
# ``normalised`` leaves them (lower case, no accents, letters and digits only). The order of
# the fields matters: an earlier field claims a column first.
# fmt: off
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": (
        "date", "datum", "data", "day", "dag", "tag", "jour", "giorno", "pleegdatum",
        "occurredon", "datetime", "dateofoffence", "tatdatum", "tattag", "datefaits",
        "datedesfaits", "datareato", "datumtijd", "dateheure", "dataora", "begindatum",
        "startdatum", "meldingsdatum",
    ),
    "time": (
        "time", "tijd", "tijdstip", "pleegtijd", "uhrzeit", "zeit", "tatzeit", "heure",
        "ora", "orario", "begintijd", "starttijd",
    ),
    "category": (
        "category", "categorie", "kategorie", "categoria", "type", "soort", "delict",
        "delicttype", "misdrijf", "feit", "crimetype", "offence", "offense", "offencetype",
        "incidenttype", "delikt", "straftat", "deliktart", "infraction", "typeinfraction",
        "typedinfraction", "reato", "tipologia", "tiporeato", "maatschappelijkeklasse",
    ),
    "id": (
        "id", "nummer", "nr", "number", "no", "reference", "ref", "crimeid", "incidentid",
        "registratienummer", "incidentnummer", "kenmerk", "kennung", "aktenzeichen",
        "vorgangsnummer", "numero", "identifiant", "identificativo",
        "riferimento",
    ),
    "longitude": (
        "longitude", "lon", "lng", "long", "lengtegraad", "langengrad", "laengengrad",
        "longitudine", "wgs84lon",
    ),
    "latitude": (
        "latitude", "lat", "breedtegraad", "breitengrad", "latitudine", "wgs84lat",
    ),
    "x": (
        "x", "xcoord", "xcoordinaat", "xcoordinate", "rdx", "easting", "xkoordinate",
        "rechtswert", "coordx", "coordonneex", "coordinatax", "est",
    ),
    "y": (
        "y", "ycoord", "ycoordinaat", "ycoordinate", "rdy", "northing", "ykoordinate",
        "hochwert", "coordy", "coordonneey", "coordinatay", "nord",
    ),
    "area": (
        "area", "areacode", "wijkcode", "buurtcode", "gebiedscode", "lsoacode",
        "stadtteilcode", "bezirkscode", "gebietscode", "codequartier", "codeiris",
        "codicequartiere", "codicezona", "neighbourhoodcode", "neighborhoodcode",
    ),
    "area_name": (
        "areaname", "wijk", "buurt", "wijknaam", "buurtnaam", "gebied", "neighbourhood",
        "neighborhood", "district", "lsoaname", "stadtteil", "bezirk", "quartier",
        "nomquartier", "quartiere", "zona", "nomequartiere",
    ),
    "location": (
        "location", "locatie", "adres", "address", "straat", "street", "pleegadres",
        "plaatsdelict", "ort", "tatort", "adresse", "strasse", "lieu", "rue", "indirizzo",
        "luogo", "via",
    ),
    "outcome": (
        "outcome", "afloop", "resultaat", "afhandeling", "status", "lastoutcomecategory",
        "ergebnis", "ausgang", "erledigung", "resultat", "issue", "suite", "esito",
    ),
}
# fmt: on
FIELDS = tuple(SYNONYMS)
REQUIRED = ("date", "category")
MIN_PART = 4  # a shorter synonym ("id", "x", "lat") must be the whole name, not a part of it

# Date formats tried on a file's first values, day before month as in Europe.
DATE_FORMATS = (
    "%d-%m-%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%Y%m%d",
)
SAMPLE_ROWS = 50
HEADER_BYTES = 1024 * 1024  # the header and the sample rows are read from the first MiB

TEMPLATE_HEADER = (
    "id",
    "date",
    "time",
    "category",
    "longitude",
    "latitude",
    "area",
    "area_name",
    "location",
    "outcome",
)
# fmt: off
TEMPLATE_ROWS = (
    ("2026-0001", "2026-03-14", "22:40", "burglary", "4.4777", "51.9244", "W01", "Centrum",
     "Havenstraat 12", ""),
    ("2026-0002", "2026-03-15", "", "bicycle-theft", "", "", "W02", "Noord", "", ""),
)
# fmt: on


def normalised(name: str) -> str:
    """A column name as the synonyms are written: lower case, no accents, no punctuation."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


@dataclass
class HeaderReading:
    """A file's columns, a few values of each, and the mapping proposed for them."""

    columns: list[str]
    samples: dict[str, list[str]] = field(default_factory=dict)
    proposal: dict[str, str] = field(default_factory=dict)
    date_format: str = ""  # "" when the dates are ISO 8601 or no format fits them all

    @property
    def missing(self) -> list[str]:
        """Required fields no column was proposed for."""
        return [name for name in REQUIRED if not self.proposal.get(name)]


def propose_mapping(columns: list[str]) -> dict[str, str]:
    """Field → column for every field a column's name says it holds; each column once.

    Whole names first (for every field, so "datum" is the date before "pleegdatum" is), then
    names containing a synonym of at least ``MIN_PART`` letters ("pleegdatum" holds "datum").
    """
    keys = {column: normalised(column) for column in columns}
    proposal: dict[str, str] = {}
    taken: set[str] = set()
    for whole in (True, False):
        for name in FIELDS:
            if name in proposal:
                continue
            for column in columns:
                key = keys[column]
                if column in taken or not key:
                    continue
                if any(
                    key == synonym if whole else (len(synonym) >= MIN_PART and synonym in key)
                    for synonym in SYNONYMS[name]
                ):
                    proposal[name] = column
                    taken.add(column)
                    break
    return proposal


def _reads(value: str, pattern: str | None) -> bool:
    """Whether ``pattern`` (None: ISO 8601) reads ``value``."""
    try:
        if pattern is None:
            datetime.fromisoformat(value)
        else:
            datetime.strptime(value, pattern)
    except ValueError:
        return False
    return True


def propose_date_format(values: list[str]) -> str:
    """The format reading most of the values, "" for ISO 8601 or when none reads most.

    Most, not all: a mistyped date in the sample is what the import rejects, by line."""
    values = [v.strip() for v in values if v.strip()]
    if not values:
        return ""
    counts = {p: sum(_reads(v, p) for v in values) for p in (None, *DATE_FORMATS)}
    best = max(counts, key=lambda p: counts[p])  # the first of equals: ISO before the others
    return best or "" if counts[best] * 2 > len(values) else ""


def read_header(data: bytes, *, name: str) -> HeaderReading:
    """The header and first rows of a CSV file and the mapping proposed for them.

    Raises ``ImportFileError`` naming the file when it cannot be read as CSV."""
    text = decode(data[:HEADER_BYTES], name=name)
    if len(data) > HEADER_BYTES:
        # The cut may fall inside a row; the rows before it are enough for samples.
        text = text[: text.rfind("\n") + 1] or text
    header, records = csv_rows(text, name=name, required=[], parsed=Parsed())
    reading = HeaderReading(columns=[c for c in header if c])
    rows = []
    for _line, record in records:
        rows.append(record)
        if len(rows) >= SAMPLE_ROWS:
            break
    for position, column in enumerate(header):
        if column:
            reading.samples[column] = [r[position].strip() for r in rows if r[position].strip()]
    reading.proposal = propose_mapping(reading.columns)
    date_column = reading.proposal.get("date")
    if date_column:
        reading.date_format = propose_date_format(reading.samples.get(date_column, []))
    return reading
