"""The fear gap: per neighbourhood, the share feeling unsafe beside recorded crime per 1,000
inhabitants, with a plain reading of where the two disagree — said only where a test supports it.

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

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from secu4all.engines.evaluation.rates import rate_ratio
from secu4all.engines.survey import Change, Estimate, change
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
    overall: Estimate
    areas: Mapping[str, str]
    by_area: Mapping[str, Estimate]


# How a neighbourhood compares with all neighbourhoods together, for its fear and its crime:
# "higher"/"lower" only when the test says so, else "unclear", or why it cannot be compared.
HIGHER, LOWER, UNCLEAR, TOO_FEW, NO_DATA = "higher", "lower", "unclear", "too-few", "no-data"


@dataclass(frozen=True)
class CrimeContrast:
    """An area's crime rate against the other neighbourhoods' together (exact Poisson ratio)."""

    ratio: float
    ci_low: float
    ci_high: float
    rest_rate: float  # per 1,000 inhabitants of the other neighbourhoods


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
    # The area's share minus all neighbourhoods' share, its 95 % interval and test.
    fear_difference: Change | None = None
    fear_class: str = NO_DATA
    crime_contrast: CrimeContrast | None = None
    crime_class: str = NO_DATA


@dataclass
class FearGap:
    indicator_label: str
    period: str
    rows: list[FearRow]
    note: str
    overall: Estimate | None = None
    overall_rate: float | None = None


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
    """Every neighbourhood of the survey with its fear estimate and crime rate, each set
    against all neighbourhoods by a test, and read out only where the tests agree.

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
    for row in rows:
        row.fear_rank = fear_ranks.get(row.code)
        row.crime_rank = crime_ranks.get(row.code)
        row.fear_class, row.fear_difference = fear_versus_all(row.fear, safety.overall)
        row.crime_class, row.crime_contrast = crime_versus_rest(row, rows)
        row.reading = reading(row)
    rows.sort(key=lambda r: (r.fear_rank or 10**6, r.code))
    if rows and all(row.boundary for row in rows):
        note = ""
    elif any(row.boundary for row in rows):
        note = _(
            "Neighbourhoods without a boundary in the platform are shown at the mean position "
            "of their recorded incidents."
        )
    elif any(row.lon is not None for row in rows):
        note = _(
            "The neighbourhoods have no boundaries in the platform, so the map puts each at "
            "the mean position of its recorded incidents."
        )
    else:
        note = _(
            "The neighbourhoods have no boundaries in the platform and no located incidents, "
            "so the fear gap is shown as a table only."
        )
    counted = [r for r in rows if r.population]
    population = sum(r.population for r in counted)
    overall_rate = 1000 * sum(r.incidents for r in counted) / population if population else None
    return FearGap(str(safety.label), period, rows, note, safety.overall, overall_rate)


def fear_versus_all(fear: Estimate | None, overall: Estimate) -> tuple[str, Change | None]:
    """Whether a neighbourhood's share feeling unsafe clearly differs from all neighbourhoods
    together: the difference, its 95 % interval and a two-sided z-test.

    The two are taken as independent samples. The neighbourhood is part of the whole, so the
    true covariance is positive and the variance of the difference is smaller than assumed:
    the test is conservative, calling a difference clear less often, never more often.
    """
    if fear is None or fear.n == 0 or not math.isfinite(fear.value):
        return NO_DATA, None
    if fear.suppressed:
        return TOO_FEW, None
    difference = change(overall, fear)
    if not difference.significant or difference.suppressed:
        return UNCLEAR, difference
    return (HIGHER if difference.value > 0 else LOWER), difference


def crime_versus_rest(row: FearRow, rows: list[FearRow]) -> tuple[str, CrimeContrast | None]:
    """Whether a neighbourhood's recorded crime per inhabitant clearly differs from the other
    neighbourhoods' together: the exact Poisson rate ratio and its 95 % interval."""
    if not row.population:
        return NO_DATA, None
    others = [r for r in rows if r is not row and r.population]
    rest_count = sum(r.incidents for r in others)
    rest_population = sum(r.population for r in others)
    if not rest_population or row.incidents + rest_count == 0:
        return UNCLEAR, None
    ratio = rate_ratio(row.incidents, row.population, rest_count, rest_population)
    contrast = CrimeContrast(
        ratio.ratio, ratio.ci_low, ratio.ci_high, 1000 * rest_count / rest_population
    )
    if ratio.ci_low > 1:
        return HIGHER, contrast
    if ratio.ci_high < 1:
        return LOWER, contrast
    return UNCLEAR, contrast


def reading(row: FearRow) -> str:
    """The plain reading of a neighbourhood: "more" or "less" only where both tests say so."""
    if row.fear is None or row.fear.n == 0:
        return _("No respondents.")
    if row.fear.suppressed:
        return _("Too few respondents to compare.")
    if row.crime_rate is None:
        return _("No crime rate: the area's inhabitants are not known.")
    fear, crime = row.fear_class, row.crime_class
    if fear == UNCLEAR:
        return _(
            "No clear difference: the share feeling unsafe is not clearly different from all "
            "neighbourhoods together."
        )
    if (fear, crime) == (HIGHER, LOWER):
        return _(
            "More fear than its recorded crime suggests: clearly more residents feel unsafe "
            "than in all neighbourhoods together, while recorded crime is clearly lower than "
            "in the other neighbourhoods."
        )
    if (fear, crime) == (LOWER, HIGHER):
        return _(
            "Less fear than its recorded crime suggests: clearly fewer residents feel unsafe "
            "than in all neighbourhoods together, while recorded crime is clearly higher than "
            "in the other neighbourhoods."
        )
    if fear == crime:
        return (
            _("Fear in line with recorded crime: both clearly higher than elsewhere.")
            if fear == HIGHER
            else _("Fear in line with recorded crime: both clearly lower than elsewhere.")
        )
    if fear == HIGHER:
        return _(
            "Clearly more residents feel unsafe than in all neighbourhoods together; recorded "
            "crime is not clearly different from the other neighbourhoods."
        )
    return _(
        "Clearly fewer residents feel unsafe than in all neighbourhoods together; recorded "
        "crime is not clearly different from the other neighbourhoods."
    )


def fear_class_label(fear_class: str) -> str:
    """The legend's words for a fear class."""
    return {
        HIGHER: _("Clearly more fear than all neighbourhoods together"),
        LOWER: _("Clearly less fear than all neighbourhoods together"),
        UNCLEAR: _("No clear difference from all neighbourhoods together"),
        TOO_FEW: _("Too few respondents to compare"),
        NO_DATA: _("No respondents"),
    }[fear_class]


def crime_class_label(crime_class: str) -> str:
    """The legend's words for a crime class."""
    return {
        HIGHER: _("Clearly more recorded crime than the other neighbourhoods"),
        LOWER: _("Clearly less recorded crime than the other neighbourhoods"),
        UNCLEAR: _("Recorded crime not clearly different from the other neighbourhoods"),
        TOO_FEW: _("Recorded crime not clearly different from the other neighbourhoods"),
        NO_DATA: _("No crime rate: inhabitants not known"),
    }[crime_class]


def _geometry(row: FearRow) -> dict:
    if row.boundary:
        return row.boundary
    return {"type": "Point", "coordinates": [row.lon, row.lat]}


def _share(value: float) -> str:
    """A share as a percentage in the reader's notation: 84.1% in English, 84,1 % elsewhere."""
    text = number_format(round(100 * value, 1), decimal_pos=1, use_l10n=True)
    return f"{text}%" if (get_language() or "en").startswith("en") else f"{text}\u00a0%"


def area_label(row: FearRow) -> str:
    """One line per neighbourhood for the map: its figures with their interval, and its class."""
    parts = [row.name]
    if row.fear is not None and row.fear.n and math.isfinite(row.fear.value):
        if row.fear.suppressed:
            parts.append(_("too few respondents"))
        else:
            parts.append(
                _("%(share)s feel unsafe (95 %% interval %(low)s–%(high)s)")
                % {
                    "share": _share(row.fear.value),
                    "low": _share(row.fear.ci_low),
                    "high": _share(row.fear.ci_high),
                }
            )
    parts.append(fear_class_label(row.fear_class))
    if row.crime_rate is not None:
        parts.append(
            _("%(rate)s recorded crimes per 1,000 inhabitants")
            % {"rate": number_format(round(row.crime_rate, 1), decimal_pos=1, use_l10n=True)}
        )
    parts.append(crime_class_label(row.crime_class))
    return "; ".join(str(p) for p in parts)


def fear_geojson(gap: FearGap) -> dict:
    """Neighbourhoods as their boundaries, or as points where they have none, carrying the
    fear share with its interval, the crime rate, the reading, and for the map's colours and
    legend the honest classes (``fear_class``: higher, lower, unclear, too-few, no-data;
    ``crime_class`` likewise) with their words and a one-line ``label``."""
    features = []
    for row in gap.rows:
        if not (row.boundary or row.lon is not None):
            continue
        shown = row.fear is not None and not row.fear.suppressed and math.isfinite(row.fear.value)
        features.append(
            {
                "type": "Feature",
                "geometry": _geometry(row),
                "properties": {
                    "code": row.code,
                    "name": row.name,
                    "fear": round(100 * row.fear.value, 1) if shown else None,
                    "fear_low": round(100 * row.fear.ci_low, 1) if shown else None,
                    "fear_high": round(100 * row.fear.ci_high, 1) if shown else None,
                    "fear_class": row.fear_class,
                    "fear_class_label": fear_class_label(row.fear_class),
                    "rate": None if row.crime_rate is None else round(row.crime_rate, 1),
                    "crime_class": row.crime_class,
                    "crime_class_label": crime_class_label(row.crime_class),
                    "reading": row.reading,
                    "label": area_label(row),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
