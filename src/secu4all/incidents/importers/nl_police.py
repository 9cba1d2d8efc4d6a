"""Dutch police open data on registered crime per neighbourhood (CBS StatLine layout).

Rows are counts per area and period, not points: ``SoortMisdrijf`` holds an offence
code such as ``"1.1.1 "`` (with its trailing space), ``WijkenEnBuurten`` a buurt,
wijk or gemeente code (``BU…``, ``WK…``, ``GM…``), ``Perioden`` a period such as
``2024MM01`` (January 2024) or ``2023JJ00`` (year 2023), and the count column
``GeregistreerdeMisdrijven…`` a number, or ``.`` where the value is withheld.
"""

from __future__ import annotations

import re
from datetime import date

from secu4all.common.files import ImportFileError, Rejection, RowError, csv_rows
from secu4all.incidents.importers.base import AreaCountRow, DateRange, Fingerprinter, Parsed
from secu4all.incidents.taxonomy import Category

AREA = re.compile(r"^(BU\d{8}|WK\d{6}|GM\d{4}|NL\d{2})$")
PERIOD = re.compile(r"^(\d{4})(MM|KW|JJ)(\d{2})$")
WITHHELD = {".", "x", "-"}
MAX_COUNT = 2_000_000_000  # below the database column's 2**31 - 1

# Offence codes as the police publish them, with their Dutch labels.
OFFENCES: dict[str, tuple[str, Category]] = {
    "0.0.0": ("Totaal misdrijven", Category.OTHER),
    "1.1.1": ("Diefstal/inbraak woning", Category.BURGLARY),
    "1.1.2": ("Diefstal/inbraak box/garage/schuur", Category.BURGLARY),
    "1.2.1": ("Diefstal uit/vanaf motorvoertuigen", Category.VEHICLE_CRIME),
    "1.2.2": ("Diefstal van motorvoertuigen", Category.VEHICLE_CRIME),
    "1.2.3": ("Diefstal van brom-, snor-, fietsen", Category.BICYCLE_THEFT),
    "1.2.4": ("Zakkenrollerij", Category.THEFT_FROM_PERSON),
    "1.2.5": ("Diefstal af/uit/van ov. voertuigen", Category.OTHER_THEFT),
    "1.4.1": ("Zedenmisdrijf", Category.VIOLENCE),
    "1.4.2": ("Moord, doodslag", Category.VIOLENCE),
    "1.4.3": ("Openlijk geweld (persoon)", Category.VIOLENCE),
    "1.4.4": ("Bedreiging", Category.VIOLENCE),
    "1.4.5": ("Mishandeling", Category.VIOLENCE),
    "1.4.6": ("Straatroof", Category.ROBBERY),
    "1.4.7": ("Overval", Category.ROBBERY),
    "1.6.1": ("Brand/ontploffing", Category.CRIMINAL_DAMAGE),
    "1.6.2": ("Overige vermogensdelicten", Category.OTHER_THEFT),
    "2.1.1": ("Drugs/drankoverlast", Category.ANTI_SOCIAL),
    "2.2.1": ("Vernieling cq. zaakbeschadiging", Category.CRIMINAL_DAMAGE),
    "2.5.1": ("Diefstal/inbraak bedrijven en instellingen", Category.BURGLARY),
    "2.5.2": ("Winkeldiefstal", Category.SHOPLIFTING),
    "3.1.1": ("Drugshandel", Category.DRUGS),
    "3.1.3": ("Wapenhandel", Category.WEAPONS),
    "3.6.4": ("Aantasting openbare orde", Category.PUBLIC_ORDER),
}
REQUIRED = ["SoortMisdrijf", "WijkenEnBuurten", "Perioden"]


def parse_period(value: str) -> tuple[str, date]:
    match = PERIOD.match(value.strip())
    if not match:
        raise RowError("Perioden", f"“{value}” is not a period such as 2024MM01 or 2023JJ00")
    year, kind, number = int(match[1]), match[2], int(match[3])
    if kind == "MM" and 1 <= number <= 12:
        return match[0], date(year, number, 1)
    if kind == "KW" and 1 <= number <= 4:
        return match[0], date(year, 3 * number - 2, 1)
    if kind == "JJ" and number == 0:
        return match[0], date(year, 1, 1)
    raise RowError("Perioden", f"“{value}” names no month, quarter or year")


def parse(text: str, *, name: str, dates: DateRange) -> Parsed:
    parsed = Parsed()
    header, records = csv_rows(text, name=name, required=REQUIRED, parsed=parsed)
    counts = [c for c in header if c.startswith("GeregistreerdeMisdrijven")]
    if not counts:
        raise ImportFileError(f"{name} lacks a GeregistreerdeMisdrijven… column with the counts.")
    index = {column: header.index(column) for column in header}
    fingerprint = Fingerprinter("nl-police")
    for line, record in records:
        raw = ";".join(record)
        try:
            source_code = record[index["SoortMisdrijf"]]
            code = source_code.strip()
            if code not in OFFENCES:
                raise RowError("SoortMisdrijf", f"“{source_code}” is not a known offence code")
            area = record[index["WijkenEnBuurten"]].strip()
            if not AREA.match(area):
                raise RowError("WijkenEnBuurten", f"“{area}” is not a buurt, wijk or gemeente code")
            period, period_start = parse_period(record[index["Perioden"]])
            dates.check(period_start, "Perioden", period)
            value = record[index[counts[0]]].strip()
            withheld = value in WITHHELD
            if withheld:
                count = None
            elif value.isascii() and value.isdigit():
                count = int(value)
                if count > MAX_COUNT:
                    raise RowError(counts[0], f"{value} is more than any area records")
            else:
                raise RowError(counts[0], f"“{value}” is not a count (a whole number or “.”)")
        except RowError as error:
            parsed.rejections.append(Rejection(line, error.field, error.reason, raw))
            continue
        label, category = OFFENCES[code]
        parsed.area_counts.append(
            AreaCountRow(
                row=line,
                fingerprint=fingerprint(record),
                period=period,
                period_start=period_start,
                area_code=area,
                offence_code=code,
                offence_label=label,
                category=category,
                count=count,
                withheld=withheld,
            )
        )
    return parsed
