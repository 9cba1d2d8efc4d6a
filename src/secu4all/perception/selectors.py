"""Reading questionnaires, waves, margins and audit walks of an organisation, and perceived
safety per neighbourhood (the contract the fear gap and other neighbourhood views read)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from secu4all.engines.survey import Estimate
from secu4all.incidents.selectors import CrimePeriod, crime_by_area
from secu4all.neighbourhoods.fear_gap import FearGap, fear_gap
from secu4all.neighbourhoods.selectors import area_names
from secu4all.organisations.models import Organisation
from secu4all.perception.analyses import cached_wave_results
from secu4all.perception.estimates import FEAR_INDICATORS, WaveResults
from secu4all.perception.models import (
    PIN_CRITERIA,
    AuditPin,
    AuditWalk,
    EstimateSnapshot,
    InvitationCode,
    PopulationMargin,
    Questionnaire,
    RejectedResponseRow,
    Response,
    Review,
    SurveyWave,
)
from secu4all.perception.snapshots import results_from_figures


def wave_area_codes(*, wave: SurveyWave) -> set[str]:
    """The neighbourhoods a response to ``wave`` may name: the wave's own area when it is
    restricted to one, else the organisation's areas."""
    if wave.area_code:
        return {wave.area_code}
    return set(area_names(organisation=wave.organisation))


def wave_snapshots(*, wave: SurveyWave) -> QuerySet[EstimateSnapshot]:
    """Every frozen version of the wave's estimates, the first first."""
    return (
        EstimateSnapshot.objects.with_scope(organisation=wave.organisation)
        .filter(wave=wave)
        .defer("figures")
        .order_by("version")
    )


def wave_snapshot(*, wave: SurveyWave, version: int | None = None) -> EstimateSnapshot | None:
    """One frozen version (the latest when ``version`` is None), or None if there is none."""
    found = EstimateSnapshot.objects.with_scope(organisation=wave.organisation).filter(wave=wave)
    if version is not None:
        return found.filter(version=version).first()
    return found.order_by("-version").first()


def wave_estimates(
    *, wave: SurveyWave, version: int | None = None, language: str = "en"
) -> WaveResults:
    """The wave's published estimates: the frozen figures once the wave has closed (the latest
    version, or ``version``), computed afresh while fieldwork runs. An unknown ``version``
    raises ``EstimateSnapshot.DoesNotExist``; pair with ``wave_snapshot`` for its label."""
    snapshot = wave_snapshot(wave=wave, version=version)
    if snapshot is None:
        if version is not None:
            raise EstimateSnapshot.DoesNotExist(f"Wave {wave.pk} has no version {version}.")
        return cached_wave_results(wave, language=language)
    return results_from_figures(wave, snapshot.figures, language=language)


def review_queue(*, wave: SurveyWave) -> QuerySet[Response]:
    """Responses flagged as a possible duplicate or burst, with how many answers each gave;
    nothing that says where they came from."""
    return (
        Response.objects.with_scope(organisation=wave.organisation)
        .filter(wave=wave)
        .exclude(review="")
        .annotate(n_answers=Count("answers"))
        .order_by("-review", "suspicion", "device_hash", "id")
    )


def invitation_code_counts(*, wave: SurveyWave) -> dict[str, int]:
    """How many codes the wave has and how many were used (never which response used one)."""
    codes = InvitationCode.objects.with_scope(organisation=wave.organisation).filter(wave=wave)
    return codes.aggregate(total=Count("id"), used=Count("id", filter=Q(used=True)))


def review_pending(*, wave: SurveyWave) -> int:
    return (
        Response.objects.with_scope(organisation=wave.organisation)
        .filter(wave=wave, review=Review.PENDING)
        .count()
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


def wave_exists(*, organisation: Organisation) -> bool:
    """Whether the organisation has set up any survey wave."""
    return SurveyWave.objects.with_scope(organisation=organisation).exists()


def wave_previous(*, wave: SurveyWave) -> SurveyWave | None:
    """The wave before ``wave`` of the same questionnaire and population (the same one
    neighbourhood, or all): what a change between waves compares with by default."""
    series = wave_series(wave=wave, limit=2)
    return series[0] if len(series) == 2 else None


def wave_series(*, wave: SurveyWave, limit: int = 6) -> list[SurveyWave]:
    """Up to ``limit`` waves of ``wave``'s questionnaire and population ending with ``wave``,
    oldest first: the waves a trend is drawn across."""
    earlier = (
        SurveyWave.objects.with_scope(organisation=wave.organisation)
        .filter(questionnaire_id=wave.questionnaire_id, area_code=wave.area_code)
        .filter(
            Q(period_start__lt=wave.period_start)
            | Q(period_start=wave.period_start, pk__lt=wave.pk)
        )
        .select_related("questionnaire")
        .order_by("-period_start", "-pk")[: max(0, limit - 1)]
    )
    return [*reversed(list(earlier)), wave]


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


@dataclass(frozen=True)
class AreaSafety:
    """One indicator of a wave per neighbourhood: weighted estimates with their 95 %
    intervals (``Estimate.ci_low``/``ci_high``), suppressed where too few answered.

    ``areas`` names every neighbourhood of the organisation (or the wave's own one);
    ``by_area`` holds the estimate of those with respondents.
    """

    indicator: str
    label: str
    overall: Estimate
    areas: dict[str, str]
    by_area: dict[str, Estimate]


def perceived_safety_by_area(
    *,
    wave: SurveyWave,
    indicator: str,
    language: str = "en",
    results: WaveResults | None = None,
) -> AreaSafety | None:
    """The wave's estimates of ``indicator`` per neighbourhood, or None when its questionnaire
    does not measure it. ``results`` (the wave's, in ``language``) spares computing the wave
    again when the caller has them."""
    results = results or cached_wave_results(wave, language=language)
    found = results.indicator(indicator)
    if found is None:
        return None
    return AreaSafety(
        indicator=indicator,
        label=str(found.indicator.label),
        overall=found.overall,
        areas=results.areas,
        by_area=found.by_area,
    )


CRIME_MONTHS = 12


def fear_gap_for_wave(results: WaveResults) -> FearGap | None:
    """The wave's fear gap: its first fear indicator beside the recorded crime of the twelve
    months up to the end of fieldwork (all recorded crime when there is none), per
    neighbourhood. None when the questionnaire has no item on feeling unsafe."""
    wave = results.wave
    safety = next(
        (
            found
            for code in FEAR_INDICATORS
            if (found := perceived_safety_by_area(wave=wave, indicator=code, results=results))
        ),
        None,
    )
    if safety is None:
        return None
    start = wave.period_end - timedelta(days=365 * CRIME_MONTHS // 12)
    window = CrimePeriod(first=start + timedelta(days=1), last=wave.period_end)
    crime = crime_by_area(organisation=wave.organisation, period=window)
    if crime.recorded:
        period = _("recorded crime in the 12 months up to %(end)s") % {
            "end": wave.period_end.isoformat()
        }
    else:
        crime = crime_by_area(organisation=wave.organisation, period=CrimePeriod())
        period = _("all recorded crime (none in the 12 months before the fieldwork ended)")
    return fear_gap(organisation=wave.organisation, safety=safety, crime=crime.areas, period=period)
