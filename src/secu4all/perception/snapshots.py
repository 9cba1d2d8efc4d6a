"""A wave's results as plain JSON for a frozen snapshot, and back into the results pages read.

Words that depend on the reader's language (indicator labels, problem wording, the weighting
method's description) are not stored: they come from the codes when the snapshot is read. The
weighting notes carry numbers and neighbourhood codes, so they are stored in every language.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

import numpy as np
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from secu4all.common.map_titles import long_date
from secu4all.engines.survey import Estimate
from secu4all.neighbourhoods.selectors import area_names
from secu4all.perception.estimates import (
    INDICATORS,
    IndicatorResult,
    WaveResults,
    Weighting,
    wave_data,
    wave_margins,
    wave_results,
    wave_weights,
)
from secu4all.perception.library import LANGUAGES, library_item
from secu4all.perception.models import SurveyWave

FORMAT = 1


def version_label(snapshot: Any) -> str:
    """“version 2 of 14 March 2027, changed: 3 responses excluded” in the active language."""
    head = _("version %(version)d of %(date)s") % {
        "version": snapshot.version,
        "date": long_date(snapshot.frozen_at),
    }
    changes = snapshot.changes or {}
    if snapshot.version == 1 or not changes:
        return _("%(head)s, frozen when the wave closed") % {"head": head}
    excluded, restored, added = (changes.get(k) or 0 for k in ("excluded", "restored", "added"))
    parts = []
    if excluded:
        parts.append(
            ngettext("%(n)d response excluded", "%(n)d responses excluded", excluded)
            % {"n": excluded}
        )
    if restored:
        parts.append(
            ngettext("%(n)d response restored", "%(n)d responses restored", restored)
            % {"n": restored}
        )
    if added:
        parts.append(
            ngettext("%(n)d response added", "%(n)d responses added", added) % {"n": added}
        )
    if changes.get("reweighted"):
        parts.append(_("weighted again"))
    if not parts:
        parts.append(_("computed again, no response changed"))
    return _("%(head)s, changed: %(changes)s") % {"head": head, "changes": ", ".join(parts)}


def _estimate_out(estimate: Estimate) -> dict[str, Any]:
    # JSON has no NaN: an estimate from nobody is stored with nulls.
    return {
        k: (None if isinstance(v, float) and math.isnan(v) else v)
        for k, v in asdict(estimate).items()
    }


def _estimate_in(raw: dict[str, Any]) -> Estimate:
    values = {k: (math.nan if v is None else v) for k, v in raw.items()}
    return Estimate(**values)


def figures_from_wave(wave: SurveyWave) -> dict[str, Any]:
    """Every published figure of ``wave`` as it stands now, ready to be frozen."""
    results = wave_results(wave)
    data = wave_data(wave)
    margins, _source = wave_margins(wave)
    notes = {}
    for language in LANGUAGES:
        with translation.override(language):
            notes[language] = [str(note) for note in wave_weights(data, margins).notes]
    return {
        "format": FORMAT,
        "responses": results.responses,
        "complete": results.complete,
        "min_n": results.min_n,
        "weighting": results.weighting.method,
        "notes": notes,
        "areas": sorted(results.areas),
        "indicators": [
            {
                "code": r.indicator.code,
                "overall": _estimate_out(r.overall),
                "by_area": {code: _estimate_out(e) for code, e in r.by_area.items()},
            }
            for r in results.indicators
        ],
        "problems": [
            {"code": code, "estimate": _estimate_out(e)} for code, _text, e in results.problems
        ],
    }


def results_from_figures(
    wave: SurveyWave, figures: dict[str, Any], *, language: str = "en"
) -> WaveResults:
    """The frozen figures as the ``WaveResults`` the results pages show, in ``language``."""
    indicators = {i.code: i for i in INDICATORS}
    names = area_names(organisation=wave.organisation)
    notes = figures["notes"].get(language) or figures["notes"].get("en", [])
    weighting = Weighting(figures["weighting"], np.zeros(0), np.zeros(0, dtype=bool), list(notes))
    problems = []
    for row in figures["problems"]:
        item = library_item(row["code"])
        text = item.wording(language) if item else row["code"]
        problems.append((row["code"], text, _estimate_in(row["estimate"])))
    return WaveResults(
        wave=wave,
        weighting=weighting,
        responses=figures["responses"],
        complete=figures["complete"],
        min_n=figures["min_n"],
        areas={code: names.get(code, code) for code in figures["areas"]},
        indicators=[
            IndicatorResult(
                indicators[row["code"]],
                _estimate_in(row["overall"]),
                {code: _estimate_in(e) for code, e in row["by_area"].items()},
            )
            for row in figures["indicators"]
            if row["code"] in indicators
        ],
        problems=problems,
    )
