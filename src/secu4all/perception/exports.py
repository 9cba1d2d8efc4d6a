"""Responses and estimates of a wave as CSV, and the wave's summary as PDF."""

from __future__ import annotations

import io
import math

from django.template.loader import render_to_string

from secu4all.common.exports import SpreadsheetSafeWriter
from secu4all.engines.survey import Estimate
from secu4all.perception.analyses import cached_wave_results
from secu4all.perception.estimates import WaveResults, wave_change
from secu4all.perception.models import Answer, QuestionnaireItem, Response, SurveyWave
from secu4all.perception.selectors import fear_gap_for_wave

RESPONSE_HEADER = ["response", "language", "age_band", "sex", "area_code", "complete", "started_on"]
ESTIMATE_HEADER = [
    "indicator",
    "area_code",
    "area",
    "value",
    "se",
    "ci_low",
    "ci_high",
    "n",
    "n_effective",
    "suppressed",
    "weighting",
]


def margins_csv(wave: SurveyWave) -> str:
    """The population cells the wave is weighted to, in the layout the margin import reads."""
    from secu4all.perception.estimates import wave_margins
    from secu4all.perception.imports import MARGIN_COLUMNS

    cells, _source = wave_margins(wave)
    out = io.StringIO()
    writer = SpreadsheetSafeWriter(out)
    writer.writerow(MARGIN_COLUMNS)
    for (area, age, sex), population in sorted(cells.items()):
        writer.writerow([area, age, sex, population])
    return out.getvalue()


def responses_csv(wave: SurveyWave) -> str:
    """One row per response, one column per item code (its answer code), blanks unanswered."""
    organisation = wave.organisation
    codes = list(
        QuestionnaireItem.objects.with_scope(organisation=organisation)
        .filter(questionnaire_id=wave.questionnaire_id)
        .order_by("position")
        .values_list("code", flat=True)
    )
    answers: dict[int, dict[str, int]] = {}
    rows = Answer.objects.with_scope(organisation=organisation).filter(response__wave=wave)
    for response_id, code, value in rows.values_list("response_id", "item__code", "value"):
        answers.setdefault(response_id, {})[code] = value
    out = io.StringIO()
    writer = SpreadsheetSafeWriter(out)
    writer.writerow(RESPONSE_HEADER + codes)
    responses = Response.objects.with_scope(organisation=organisation).filter(wave=wave)
    for number, r in enumerate(responses.order_by("id"), start=1):
        given = answers.get(r.id, {})
        writer.writerow(
            [
                number,
                r.language,
                r.age_band,
                r.sex,
                r.area_code,
                int(r.complete),
                r.created_on.isoformat(),
            ]
            + [given.get(code, "") for code in codes]
        )
    return out.getvalue()


def _cells(estimate: Estimate) -> list[object]:
    def number(x: float) -> object:
        return "" if x is None or not math.isfinite(x) else round(x, 6)

    return [
        number(estimate.value),
        number(estimate.se),
        number(estimate.ci_low),
        number(estimate.ci_high),
        estimate.n,
        number(estimate.n_effective),
        int(estimate.suppressed),
    ]


def estimates_csv(results: WaveResults) -> str:
    out = io.StringIO()
    writer = SpreadsheetSafeWriter(out)
    writer.writerow(ESTIMATE_HEADER)
    method = results.weighting.method
    for result in results.indicators:
        code = result.indicator.code
        writer.writerow([code, "", "", *_cells(result.overall), method])
        for area, estimate in result.by_area.items():
            writer.writerow([code, area, results.areas.get(area, area), *_cells(estimate), method])
    for code, _wording, estimate in results.problems:
        writer.writerow([f"{code}:a_lot", "", "", *_cells(estimate), method])
    return out.getvalue()


def summary_pdf(wave: SurveyWave, *, compare: SurveyWave | None, language: str) -> bytes:
    from weasyprint import HTML

    results = cached_wave_results(wave, language=language)
    changes = (
        wave_change(cached_wave_results(compare, language=language), results) if compare else []
    )
    html = render_to_string(
        "perception/report.html",
        {
            "wave": wave,
            "results": results,
            "compare": compare,
            "changes": changes,
            "fear": fear_gap_for_wave(results),
        },
    )
    return HTML(string=html).write_pdf()
