"""The fear gap: per neighbourhood, the share feeling unsafe beside recorded crime per 1,000
inhabitants, each ranked, with a plain reading of where the two disagree."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Avg
from django.utils.translation import gettext as _

from secu4all.engines.survey import Estimate
from secu4all.incidents.models import Area, Incident
from secu4all.incidents.selectors import area_rows
from secu4all.perception.estimates import FEAR_INDICATORS, WaveResults

CRIME_MONTHS = 12


@dataclass
class FearRow:
    code: str
    name: str
    fear: Estimate | None
    crime_rate: float | None
    incidents: int
    population: int | None
    lon: float | None = None
    lat: float | None = None
    boundary: dict | None = None
    fear_rank: int | None = None
    crime_rank: int | None = None
    reading: str = ""


@dataclass
class FearGap:
    indicator_label: str
    period: str
    rows: list[FearRow]
    note: str


def _ranks(values: dict[str, float]) -> dict[str, int]:
    """Rank 1 for the highest value; ties share the better rank."""
    ordered = sorted(values.values(), reverse=True)
    return {code: ordered.index(value) + 1 for code, value in values.items()}


def fear_gap(results: WaveResults) -> FearGap | None:
    """None when the questionnaire has no item on feeling unsafe."""
    wave = results.wave
    fear = next((r for c in FEAR_INDICATORS if (r := results.indicator(c))), None)
    if fear is None:
        return None
    organisation = wave.organisation
    incidents = Incident.objects.with_scope(organisation=organisation)
    start = wave.period_end - timedelta(days=365 * CRIME_MONTHS // 12)
    window = incidents.filter(occurred_on__gt=start, occurred_on__lte=wave.period_end)
    if window.exists():
        period = _("recorded crime in the 12 months up to %(end)s") % {
            "end": wave.period_end.isoformat()
        }
    else:
        window = incidents
        period = _("all recorded crime (none in the 12 months before the fieldwork ended)")
    crime = {r.code: r for r in area_rows(organisation=organisation, incidents=window)}
    boundaries = dict(
        Area.objects.with_scope(organisation=organisation)
        .filter(boundary__isnull=False)
        .values_list("code", "boundary")
    )
    # An area without a boundary is placed at the mean position of its located incidents
    # (one grouped query).
    centres = {
        row["area_code"]: (row["lon"], row["lat"])
        for row in window.filter(lon__isnull=False)
        .values("area_code")
        .annotate(lon=Avg("lon"), lat=Avg("lat"))
        .order_by()
    }
    rows = []
    for code, name in results.areas.items():
        estimate = fear.by_area.get(code)
        counted = crime.get(code)
        rows.append(
            FearRow(
                code=code,
                name=name,
                fear=estimate,
                crime_rate=counted.rate if counted else None,
                incidents=counted.count if counted else 0,
                population=counted.population if counted else None,
                lon=centres.get(code, (None, None))[0],
                lat=centres.get(code, (None, None))[1],
                boundary=boundaries.get(code),
            )
        )
    fear_values = {
        r.code: r.fear.value
        for r in rows
        if r.fear is not None and not r.fear.suppressed and math.isfinite(r.fear.value)
    }
    crime_values = {r.code: r.crime_rate for r in rows if r.crime_rate is not None}
    fear_ranks, crime_ranks = _ranks(fear_values), _ranks(crime_values)
    ranked = len(set(fear_ranks) & set(crime_ranks))
    # A gap of a third of the ranked neighbourhoods (at least two places) is worth reading out.
    margin = max(2, math.ceil(ranked / 3))
    for row in rows:
        row.fear_rank = fear_ranks.get(row.code)
        row.crime_rank = crime_ranks.get(row.code)
        if row.fear is None or row.fear.n == 0:
            row.reading = _("No respondents.")
        elif row.fear.suppressed:
            row.reading = _("Too few respondents to compare.")
        elif row.crime_rank is None:
            row.reading = _("No crime rate: the area's inhabitants are not known.")
        elif row.crime_rank - row.fear_rank >= margin:
            row.reading = _("More fear than its recorded crime suggests.")
        elif row.fear_rank - row.crime_rank >= margin:
            row.reading = _("Less fear than its recorded crime suggests.")
        else:
            row.reading = _("Fear in line with recorded crime.")
    rows.sort(key=lambda r: (r.fear_rank or 10**6, r.code))
    if rows and all(row.boundary for row in rows):
        note = _("Ranks compare neighbourhoods with enough respondents and a known population.")
    elif any(row.boundary for row in rows):
        note = _(
            "Neighbourhoods without a boundary in the platform are shown at the mean position "
            "of their recorded incidents; ranks compare neighbourhoods with enough respondents "
            "and a known population."
        )
    elif any(row.lon is not None for row in rows):
        note = _(
            "The neighbourhoods have no boundaries in the platform, so the map puts each at "
            "the mean position of its recorded incidents; ranks compare neighbourhoods with "
            "enough respondents and a known population."
        )
    else:
        note = _(
            "The neighbourhoods have no boundaries in the platform and no located incidents, "
            "so the fear gap is shown as a table only; ranks compare neighbourhoods with "
            "enough respondents and a known population."
        )
    return FearGap(str(fear.indicator.label), period, rows, note)


def _geometry(row: FearRow) -> dict:
    if row.boundary:
        return row.boundary
    return {"type": "Point", "coordinates": [row.lon, row.lat]}


def fear_geojson(gap: FearGap) -> dict:
    """Neighbourhoods as their boundaries, or as points where they have none, carrying the
    fear share, the crime rate and the reading."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": _geometry(row),
                "properties": {
                    "name": row.name,
                    "fear": None
                    if row.fear is None or row.fear.suppressed or not math.isfinite(row.fear.value)
                    else round(100 * row.fear.value, 1),
                    "rate": None if row.crime_rate is None else round(row.crime_rate, 1),
                    "reading": row.reading,
                },
            }
            for row in gap.rows
            if row.boundary or row.lon is not None
        ],
    }
