"""Reading sites and assessments, and what a result means on screen."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext

from secu4all.assessments import geometry
from secu4all.assessments.models import Assessment, Site
from secu4all.engines import risk
from secu4all.incidents.selectors import incident_points_around
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


def area_figures(site: Site) -> AreaReading | None:
    """The drawn area's size, and what the peak occupancy means per square metre."""
    if not site.area:
        return None
    figures = geometry.measure(site.area)
    density = (
        site.capacity / figures.square_metres if site.capacity and figures.square_metres else None
    )
    return AreaReading(
        figures.square_metres,
        figures.perimeter_m,
        density,
        density is not None and density >= geometry.CRITICAL_DENSITY,
    )


def nearby_points(site: Site) -> list[list[float]]:
    """Recorded incidents around the site as [lat, lon]: without a tile server the streets
    they trace are what the drawing map has to find one's way by."""
    if site.lon is None or site.lat is None:
        return []
    return incident_points_around(organisation=site.organisation, lon=site.lon, lat=site.lat)
