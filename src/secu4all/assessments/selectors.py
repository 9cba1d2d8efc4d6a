"""Reading sites and assessments, and what a result means on screen."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext

from secu4all.assessments import geometry
from secu4all.assessments.matrix import cells_now
from secu4all.assessments.models import Assessment, Site
from secu4all.engines import risk
from secu4all.incidents.selectors import incident_points_around
from secu4all.neighbourhoods.selectors import area_boundaries
from secu4all.organisations.models import Organisation

QUESTIONS = {q.id: q for q in risk.QUESTIONS}


def site_list(*, organisation: Organisation) -> QuerySet[Site]:
    return Site.objects.with_scope(organisation=organisation).prefetch_related("assessments")


def assessment_list(*, site: Site) -> QuerySet[Assessment]:
    return site.assessments.order_by("-version")


def assessment_exists(*, organisation: Organisation) -> bool:
    """Whether any site of the organisation has been assessed."""
    return Assessment.objects.with_scope(organisation=organisation).exists()


@dataclass(frozen=True)
class Driver:
    question: str
    answer: str
    share: float


def drivers(answers: dict, scenario: dict, limit: int = 5) -> list[Driver]:
    """The answers that drive a scenario's vulnerability, with the answer given, translated."""
    contributions = scenario.get("contributions", {})
    result = []
    for question_id in scenario.get("drivers", [])[:limit]:
        question = QUESTIONS.get(question_id)
        if question is None:
            continue
        answer = answers.get(question_id)
        if isinstance(answer, int) and 0 <= answer < len(question.scale):
            label = gettext(question.scale[answer])
        elif isinstance(answer, str):
            label = gettext(answer)
        else:
            label = gettext("not known")
        result.append(
            Driver(gettext(question.text), label, float(contributions.get(question_id, 0)))
        )
    return result


@dataclass(frozen=True)
class Change:
    scenario: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def changes(previous: Assessment, current: Assessment) -> list[Change]:
    """Risk per scenario in two versions: what improved and what got worse."""
    before = {s["id"]: s["risk"] for s in previous.result["scenarios"]}
    after = {s["id"]: s["risk"] for s in current.result["scenarios"]}
    names = {s.id: s.name for s in risk.SCENARIOS}
    return [
        Change(gettext(names.get(sid, sid)), before.get(sid), after.get(sid))
        for sid in sorted(set(before) | set(after), key=lambda s: -(after.get(s) or 0))
    ]


@dataclass(frozen=True)
class AreaReading:
    square_metres: float
    perimeter_m: float
    people_per_m2: float | None  # peak occupancy spread over the whole area
    crowded: bool  # at or above the critical density
    problem: str | None = None  # why the outline is not trusted; then no density is given


def organisation_region(organisation: Organisation) -> geometry.Region | None:
    """The organisation's neighbourhoods' extent with a margin; None without boundaries."""
    return geometry.region_of(area_boundaries(organisation=organisation).values())


def area_figures(site: Site) -> AreaReading | None:
    """The drawn area's size, and what the peak occupancy means per square metre.

    An outline that crosses itself, lies outside the region or has an impossible size for
    the kind of site says why, and gives no density: nothing implausible feeds the risk.
    """
    if not site.area:
        return None
    figures = geometry.measure(site.area)
    problem = geometry.self_intersection(geometry.ring_corners(site.area)) or (
        geometry.area_problem(
            site.area,
            kind=site.kind,
            kind_label=site.get_kind_display(),
            region=organisation_region(site.organisation),
        )
    )
    density = (
        site.capacity / figures.square_metres
        if site.capacity and figures.square_metres and problem is None
        else None
    )
    return AreaReading(
        figures.square_metres,
        figures.perimeter_m,
        density,
        density is not None and density >= geometry.CRITICAL_DENSITY,
        problem,
    )


def nearby_points(site: Site) -> list[list[float]]:
    """Recorded incidents around the site as [lat, lon]: without a tile server the streets
    they trace are what the drawing map has to find one's way by."""
    if site.lon is None or site.lat is None:
        return []
    return incident_points_around(organisation=site.organisation, lon=site.lon, lat=site.lat)


@dataclass(frozen=True)
class LeadingScenario:
    """One of the scenarios that weigh most in the site's total, with its main answer."""

    name: str
    level: risk.ScenarioLevel
    share: float  # of the total risk, 0–1
    driver: Driver | None

    @property
    def percent(self) -> int:
        return round(100 * self.share)


@dataclass(frozen=True)
class RiskReading:
    """A result on the organisation's matrix: each scenario's level and the site's headline."""

    levels: dict[str, risk.ScenarioLevel]
    site: risk.SiteLevel | None
    leading: list[LeadingScenario]


def risk_reading(result: dict, matrix: risk.RiskMatrix, answers: dict | None = None) -> RiskReading:
    """Levels from the stored scores in the organisation's current matrix, the headline,
    and the three scenarios that contribute most with the answer that drives each."""
    cells = cells_now(result, matrix)
    levels = [
        risk.ScenarioLevel(s["id"], float(s["risk"]), cells[s["id"]]) for s in result["scenarios"]
    ]
    headline = risk.site_level(levels)
    by_id = {s["id"]: s for s in result["scenarios"]}
    names = {s.id: s.name for s in risk.SCENARIOS}
    leading = [
        LeadingScenario(
            gettext(names.get(top.scenario.scenario_id, top.scenario.scenario_id)),
            top.scenario,
            top.share,
            next(iter(drivers(answers or {}, by_id[top.scenario.scenario_id], limit=1)), None),
        )
        for top in (headline.top if headline else ())
    ]
    return RiskReading({level.scenario_id: level for level in levels}, headline, leading)


@dataclass(frozen=True)
class RecommendedMeasure:
    name: str
    cost: float  # on the assessment's cost basis, in euro
    risk_removed: float  # on its own, on the FEMA scale summed over scenarios


def recommended_measures(result: dict, data: dict) -> list[RecommendedMeasure]:
    """The recommended set, each measure with its cost and the risk it removes on its own."""
    selection = result.get("selection")
    if not selection:
        return []
    library = {m.id: m for m in risk.CATALOGUE}
    given = {m["id"]: m for m in data.get("measures") or []}
    costs = {m["id"]: (m["name"], m["cost"]) for m in result.get("measures", [])}
    risks = {s["id"]: float(s["risk"]) for s in result["scenarios"]}
    lines = []
    for measure_id in selection["measures"]:
        name, cost = costs.get(measure_id, (measure_id, 0.0))
        effects = given.get(measure_id, {}).get("effects")
        if effects is None and measure_id in library:
            effects = library[measure_id].effects
        lines.append(
            RecommendedMeasure(
                gettext(name) if measure_id in library else name,
                float(cost),
                risk.risk_removed(effects or {}, risks),
            )
        )
    return sorted(lines, key=lambda line: -line.risk_removed)


@dataclass(frozen=True)
class PortfolioRow:
    """One site across the portfolio: its level now, how it moved, what is still open."""

    site: Site
    latest: Assessment | None
    reading: RiskReading | None
    previous_cell: risk.MatrixCell | None
    trend: str | None  # "up", "down", "same", or None without two versions
    open_measures: int | None  # recommended by the latest version; None when not assessed
    tier: str | None  # Martyn's Law tier from the peak occupancy; None when not given


PORTFOLIO_SORTS = ("name", "level", "trend", "measures", "tier")
_TREND_ORDER = {"up": 2, "same": 1, "down": 0}
_TIER_ORDER = {"enhanced": 2, "standard": 1, "out_of_scope": 0}


def _tier(site: Site) -> str | None:
    if site.capacity is None:
        return None
    return risk.martyns_law_tier(
        site.capacity,
        premises_type=site.premises_type,
        event=site.is_event,
        entry_checks=site.entry_checks,
    )


def portfolio(
    *, organisation: Organisation, matrix: risk.RiskMatrix, sort: str = "level"
) -> list[PortfolioRow]:
    """Every site with its latest level on the organisation's matrix and the previous one.

    Sorted most serious first by default; ``sort`` is one of :data:`PORTFOLIO_SORTS`
    (any other value sorts by level); sites not assessed yet come last except by name.
    """
    rows = []
    for site in site_list(organisation=organisation):
        versions = sorted(site.assessments.all(), key=lambda a: -a.version)[:2]
        latest = versions[0] if versions else None
        previous = versions[1] if len(versions) > 1 else None
        reading = (
            risk_reading(latest.result, matrix, latest.data.get("answers")) if latest else None
        )
        before = risk_reading(previous.result, matrix) if previous else None
        now_level = reading.site.cell.level if reading and reading.site else None
        then_cell = before.site.cell if before and before.site else None
        selection = latest.result.get("selection") if latest else None
        rows.append(
            PortfolioRow(
                site=site,
                latest=latest,
                reading=reading,
                previous_cell=then_cell,
                trend=risk.level_trend(then_cell.level if then_cell else None, now_level),
                open_measures=None
                if latest is None
                else len((selection or {}).get("measures", [])),
                tier=_tier(site),
            )
        )
    keys = {
        "name": lambda r: r.site.name.lower(),
        "level": lambda r: (
            -(r.reading.site.cell.level if r.reading and r.reading.site else -1),
            -(r.reading.site.total if r.reading and r.reading.site else 0),
        ),
        "trend": lambda r: -_TREND_ORDER.get(r.trend or "", -1),
        "measures": lambda r: -(r.open_measures if r.open_measures is not None else -1),
        "tier": lambda r: -_TIER_ORDER.get(r.tier or "", -1),
    }
    rows.sort(key=lambda r: r.site.name.lower())  # ties keep alphabetical order
    rows.sort(key=keys.get(sort, keys["level"]))
    return rows


@dataclass(frozen=True)
class MatrixPoint:
    """A site's latest assessment placed in the matrix at its headline scenario's cell."""

    site: Site
    assessment: Assessment
    cell: risk.MatrixCell


def matrix_points(rows: list[PortfolioRow]) -> list[MatrixPoint]:
    """The points the matrix page plots: one per assessed site, its latest version."""
    return [
        MatrixPoint(row.site, row.latest, row.reading.site.cell)
        for row in rows
        if row.latest and row.reading and row.reading.site
    ]
