"""Reading questionnaires, waves, margins and audit walks of an organisation."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from secu4all.organisations.models import Organisation
from secu4all.perception.models import (
    PIN_CRITERIA,
    AuditPin,
    AuditWalk,
    PopulationMargin,
    Questionnaire,
    RejectedResponseRow,
    SurveyWave,
)


def wave_area_codes(*, wave: SurveyWave) -> set[str]:
    """The neighbourhoods a response to ``wave`` may name: the wave's own area when it is
    restricted to one, else the organisation's areas."""
    from secu4all.incidents.models import Area

    if wave.area_code:
        return {wave.area_code}
    return set(
        Area.objects.with_scope(organisation=wave.organisation).values_list("code", flat=True)
    )


def wave_list(*, organisation: Organisation) -> QuerySet[SurveyWave]:
    return (
        SurveyWave.objects.with_scope(organisation=organisation)
        .select_related("questionnaire")
        .annotate(
            n_responses=Count("responses", distinct=True),
            n_complete=Count("responses", filter=Q(responses__complete=True), distinct=True),
        )
    )


def questionnaire_list(*, organisation: Organisation) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.with_scope(organisation=organisation).annotate(
        n_items=Count("items")
    )


def margin_list(*, organisation: Organisation, wave: SurveyWave | None) -> QuerySet:
    return PopulationMargin.objects.with_scope(organisation=organisation).filter(wave=wave)


def rejected_rows(*, wave: SurveyWave) -> QuerySet[RejectedResponseRow]:
    return RejectedResponseRow.objects.with_scope(organisation=wave.organisation).filter(wave=wave)


def walk_list(*, organisation: Organisation) -> QuerySet[AuditWalk]:
    return AuditWalk.objects.with_scope(organisation=organisation).annotate(n_pins=Count("pins"))


@dataclass(frozen=True)
class CriterionSummary:
    name: str
    label: str
    day: float | None
    night: float | None
    day_n: int
    night_n: int


def area_walk_summary(
    *, organisation: Organisation, area_code: str
) -> tuple[list[CriterionSummary], QuerySet[AuditPin]]:
    """Mean rating (0–3) per SafetiPin criterion, by day and after dark, and the pins."""
    pins = (
        AuditPin.objects.with_scope(organisation=organisation)
        .filter(walk__area_code=area_code)
        .select_related("walk")
    )
    rows = []
    for name, label in PIN_CRITERIA:
        means = {}
        for time in ("day", "night"):
            values = [getattr(p, name) for p in pins if p.walk.time_of_day == time]
            means[time] = (sum(values) / len(values) if values else None, len(values))
        rows.append(
            CriterionSummary(
                name,
                str(label),
                means["day"][0],
                means["night"][0],
                means["day"][1],
                means["night"][1],
            )
        )
    return rows, pins
