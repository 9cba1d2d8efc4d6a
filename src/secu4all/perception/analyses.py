"""Survey estimates computed once per change of a wave's answers, then read from the cache.

A wave's estimates (weighting by raking, design-based intervals for every indicator and
neighbourhood) are read by its page, the fear gap, the trend over earlier waves and the
exports; under a newsletter's burst of respondents each reader used to compute them again.
They are cached under a fingerprint of everything they are computed from: the wave's
responses by review state and completeness, its answers (with sums of their values), the
population margins, the wave's state and the organisation's minimum base. Any change of
one gives a new fingerprint, so a reader never sees estimates older than the data. No
Monte Carlo is involved, so a missing result is computed in the request (``inline``) and
then shared by every process.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Max, Q, Sum

from secu4all.common import computed
from secu4all.perception.estimates import WaveResults, wave_results
from secu4all.perception.models import (
    Answer,
    PerceptionSetting,
    PopulationMargin,
    Response,
    SurveyWave,
)

WAVE_RESULTS = "perception.wave-results"


def _fingerprint(scope: int, params: dict[str, Any]) -> tuple:
    wave = params["wave"]
    responses = (
        Response.objects.with_scope(organisation=scope)
        .filter(wave_id=wave)
        .order_by()
        .values_list("review")
        .annotate(n=Count("id"), last=Max("id"), complete=Count("id", filter=Q(complete=True)))
    )
    # A respondent who goes back changes an answer in place: the sums see the new value.
    answers = (
        Answer.objects.with_scope(organisation=scope)
        .filter(response__wave_id=wave)
        .aggregate(
            n=Count("id"),
            last=Max("id"),
            total=Sum("value"),
            weighted=Sum(F("value") * F("id")),
        )
    )
    margins = PopulationMargin.objects.with_scope(organisation=scope).aggregate(
        n=Count("id"), last=Max("id"), people=Sum("population")
    )
    state = (
        SurveyWave.objects.with_scope(organisation=scope)
        .filter(pk=wave)
        .values_list(
            "is_open",
            "closed_at",
            "opens_at",
            "closes_at",
            "period_start",
            "period_end",
            "area_code",
            "questionnaire_id",
        )
        .first()
    )
    min_n = PerceptionSetting.objects.with_scope(organisation=scope).values_list("min_n").first()
    return (
        sorted(responses),
        tuple(answers.values()),
        tuple(margins.values()),
        state,
        min_n,
    )


def _compute(scope: int, params: dict[str, Any]) -> WaveResults:
    wave = SurveyWave.objects.with_scope(organisation=scope).get(pk=params["wave"])
    return wave_results(wave, language=params["language"])


def register() -> None:
    computed.register(WAVE_RESULTS, version=_fingerprint, compute=_compute)


def cached_wave_results(wave: SurveyWave, *, language: str = "en") -> WaveResults:
    """``estimates.wave_results`` for the wave's data as it is now, computed once."""
    return computed.result(
        WAVE_RESULTS,
        scope=wave.organisation_id,
        params={"wave": wave.pk, "language": language},
        inline=True,
    ).value
