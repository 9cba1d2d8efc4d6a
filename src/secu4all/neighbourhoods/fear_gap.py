"""The fear gap: per neighbourhood, the share feeling unsafe beside recorded crime per 1,000
inhabitants, each ranked, with a plain reading of where the two disagree.

The first view joining two capabilities per neighbourhood. It composes their per-area read
contracts, ``incidents.selectors.crime_by_area`` and
``perception.selectors.perceived_safety_by_area``, handed in by the caller: neighbourhoods
sits below the capabilities and imports none of them, so the shapes it needs are spelled
out here as protocols.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from secu4all.engines.survey import Estimate
from secu4all.neighbourhoods.selectors import area_boundaries
from secu4all.organisations.models import Organisation


class AreaCrime(Protocol):
    """Recorded crime of one neighbourhood (``incidents.selectors.AreaCrime``)."""

    count: int
    source: str
    population: int | None
    lon: float | None
    lat: float | None

    @property
    def rate(self) -> float | None: ...


class PerceivedSafety(Protocol):
    """One indicator's estimates per neighbourhood (``perception.selectors.AreaSafety``)."""

    label: str
    areas: Mapping[str, str]
    by_area: Mapping[str, Estimate]


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
    # Where ``incidents`` came from: "incidents", or "area-counts" for counts per area.
    crime_source: str = "incidents"


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


def fear_gap(
    *,
    organisation: Organisation,
    safety: PerceivedSafety,
    crime: Mapping[str, AreaCrime],
    period: str,
) -> FearGap:
    """Every neighbourhood of the survey with its fear estimate and crime rate, ranked.

    ``period`` names the crime counted, for the reader. An area without a boundary is
    placed at the mean position of its located incidents.
    """
    boundaries = area_boundaries(organisation=organisation)
    rows = []
    for code, name in safety.areas.items():
        counted = crime.get(code)
        rows.append(
            FearRow(
                code=code,
                name=name,
                fear=safety.by_area.get(code),
                crime_rate=counted.rate if counted else None,
                incidents=counted.count if counted else 0,
                population=counted.population if counted else None,
                lon=counted.lon if counted else None,
                lat=counted.lat if counted else None,
                boundary=boundaries.get(code),
                crime_source=counted.source if counted else "incidents",
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
    return FearGap(str(safety.label), period, rows, note)


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
