"""Weighted results of a survey wave: weights to population margins, then estimates per
neighbourhood and overall with 95 % intervals, computed by ``secu4all.engines.survey``."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import numpy as np
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secu4all.common.numbers import format_number
from secu4all.engines.survey import (
    Change,
    Estimate,
    MarginError,
    by_domain,
    change,
    post_stratify,
    rake,
    scale_score,
    sdg_16_1_4,
    weighted_mean,
    weighted_proportion,
)
from secu4all.neighbourhoods.selectors import area_names
from secu4all.organisations.models import Organisation
from secu4all.perception.library import instrument, library_item
from secu4all.perception.models import (
    WEIGHTED_SEXES,
    AgeBand,
    Answer,
    PerceptionSetting,
    PopulationMargin,
    QuestionnaireItem,
    Response,
    Review,
    SurveyWave,
)

logger = logging.getLogger(__name__)

Cell = tuple[str, str, str]


def setting_for(organisation: Organisation) -> PerceptionSetting:
    """The organisation's choices for its results (the fewest respondents an estimate is
    published for); the defaults when it has made none."""
    found = PerceptionSetting.objects.with_scope(organisation=organisation).first()
    return found or PerceptionSetting(organisation=organisation)


@dataclass(frozen=True)
class Indicator:
    """A published figure: the share giving some answers to an item, or a mean."""

    code: str
    label: Promise
    kind: str  # "proportion" or "mean"
    items: tuple[str, ...]
    codes: tuple[int, ...] = ()  # answers that count as 1, for proportions
    unit: str = "%"
    higher_is_safer: bool = False


INDICATORS = (
    Indicator(
        "feels_unsafe",
        gettext_lazy("Feels unsafe sometimes or often"),
        "proportion",
        ("vm_feels_unsafe",),
        (1, 2),
    ),
    Indicator(
        "unsafe_neighbourhood",
        gettext_lazy("Feels unsafe in own neighbourhood sometimes or often"),
        "proportion",
        ("vm_unsafe_neighbourhood",),
        (1, 2),
    ),
    Indicator(
        "unsafe_street_evening",
        gettext_lazy("Feels unsafe on the street in the evening sometimes or often"),
        "proportion",
        ("vm_unsafe_street_evening",),
        (1, 2),
    ),
    Indicator(
        "sdg_16_1_4",
        gettext_lazy("Feels safe walking alone after dark (SDG 16.1.4)"),
        "proportion",
        ("ess_safe_after_dark",),
        (1, 2),
        higher_is_safer=True,
    ),
    Indicator(
        "avoidance",
        gettext_lazy("Avoids places or situations at least sometimes"),
        "proportion",
        ("vm_avoid_opening_door", "vm_avoid_places", "vm_avoid_valuables"),
        (1, 2),
    ),
    Indicator(
        "report_mark",
        gettext_lazy("Report mark for safety in the neighbourhood (1–10)"),
        "mean",
        ("vm_report_mark",),
        unit="",
        higher_is_safer=True,
    ),
    Indicator(
        "cohesion",
        gettext_lazy("Social cohesion score (0–10)"),
        "mean",
        tuple(i.code for i in instrument("cohesion").items),
        unit="",
        higher_is_safer=True,
    ),
)
# Fear beside crime: the first of these the questionnaire has.
FEAR_INDICATORS = ("unsafe_neighbourhood", "feels_unsafe", "unsafe_street_evening")


@dataclass
class WaveData:
    """Respondents of a wave as arrays, one position per response."""

    areas: list[str]
    ages: list[str]
    sexes: list[str]
    complete: np.ndarray
    answers: dict[str, np.ndarray]  # item code → answer codes, NaN where unanswered

    @property
    def n(self) -> int:
        return len(self.areas)


def wave_data(wave: SurveyWave) -> WaveData:
    """Two queries: the responses that answered anything, and their answers.

    Responses the adviser excluded after review leave every estimate."""
    organisation = wave.organisation
    responses = list(
        Response.objects.with_scope(organisation=organisation)
        .filter(wave=wave, answers__isnull=False)
        .exclude(review=Review.EXCLUDED)
        .distinct()
        .order_by("id")
        .values_list("id", "area_code", "age_band", "sex", "complete")
    )
    index = {row[0]: position for position, row in enumerate(responses)}
    items = list(
        QuestionnaireItem.objects.with_scope(organisation=organisation)
        .filter(questionnaire_id=wave.questionnaire_id)
        .values_list("id", "code")
    )
    answers = {code: np.full(len(responses), np.nan) for _id, code in items}
    codes = dict(items)
    rows = (
        Answer.objects.with_scope(organisation=organisation)
        .filter(response__wave=wave)
        .exclude(response__review=Review.EXCLUDED)
    )
    for response_id, item_id, value in rows.values_list("response_id", "item_id", "value"):
        answers[codes[item_id]][index[response_id]] = value
    return WaveData(
        areas=[r[1] for r in responses],
        ages=[r[2] for r in responses],
        sexes=[r[3] for r in responses],
        complete=np.array([r[4] for r in responses], dtype=bool),
        answers=answers,
    )


def wave_margins(wave: SurveyWave) -> tuple[dict[Cell, int], str]:
    """Population per neighbourhood × age band × sex: the wave's own, else the organisation's."""
    margins = PopulationMargin.objects.with_scope(organisation=wave.organisation)
    own = margins.filter(wave=wave)
    source = "wave" if own.exists() else "organisation"
    rows = own if source == "wave" else margins.filter(wave__isnull=True)
    if wave.area_code:
        rows = rows.filter(area_code=wave.area_code)
    cells = {(r.area_code, r.age_band, r.sex): r.population for r in rows}
    return cells, source


@dataclass
class Weighting:
    method: str  # "post-stratification", "raking", "raking-marginal" or "none"
    weights: np.ndarray  # 0 for respondents left out of weighted estimates
    eligible: np.ndarray
    notes: list[str] = field(default_factory=list)

    @property
    def description(self) -> str:
        return {
            "post-stratification": _(
                "Post-stratified to the population of each neighbourhood × age band × sex."
            ),
            "raking": _(
                "Raked to neighbourhood × age band and neighbourhood × sex, because some "
                "age band × sex cells of a neighbourhood have no respondents."
            ),
            "raking-marginal": _(
                "Raked to neighbourhood, age band and sex separately, because the "
                "neighbourhood margins could not be met."
            ),
            "none": _("Unweighted."),
        }[self.method]


def wave_weights(data: WaveData, margins: dict[Cell, int]) -> Weighting:
    """Weights per respondent; post-stratification when every cell has respondents, else raking.

    Respondents without age band, without one of the two sexes the population register counts,
    or outside the margins' neighbourhoods cannot be weighted and are left out (counted in the
    notes). Neighbourhoods without any respondent cannot be represented and are left out of
    the population, which is said too.
    """
    n = data.n
    if not margins:
        return Weighting(
            "none",
            np.ones(n),
            np.ones(n, dtype=bool),
            [_("No population margins are loaded, so the estimates are unweighted.")],
        )
    margin_areas = {c[0] for c in margins}
    eligible = np.array(
        [
            area in margin_areas and age in AgeBand.values and sex in WEIGHTED_SEXES
            for area, age, sex in zip(data.areas, data.ages, data.sexes, strict=True)
        ],
        dtype=bool,
    )
    notes = []
    left_out = int(n - eligible.sum())
    if left_out:
        notes.append(
            _(
                "%(n)d respondents gave no age band, gave a sex the population register does "
                "not count, or live outside the neighbourhoods with margins; they are left out "
                "of the weighted estimates."
            )
            % {"n": left_out}
        )
    weights = np.zeros(n)
    if not eligible.any():
        notes.append(_("No respondent can be weighted."))
        return Weighting("none", weights, eligible, notes)
    idx = np.flatnonzero(eligible)
    areas = [data.areas[i] for i in idx]
    ages = [data.ages[i] for i in idx]
    sexes = [data.sexes[i] for i in idx]
    answered_areas = set(areas)
    empty = sorted(margin_areas - answered_areas)
    if empty:
        notes.append(
            _("No respondents in %(areas)s: these neighbourhoods are not represented.")
            % {"areas": ", ".join(empty)}
        )
    population = {c: v for c, v in margins.items() if c[0] in answered_areas}
    cells = list(zip(areas, ages, sexes, strict=True))
    method = "post-stratification"
    try:
        fitted = post_stratify(cells, population)
    except MarginError as first:
        area_age: dict[tuple[str, str], float] = {}
        area_sex: dict[tuple[str, str], float] = {}
        for (area, age, sex), value in population.items():
            area_age[(area, age)] = area_age.get((area, age), 0) + value
            area_sex[(area, sex)] = area_sex.get((area, sex), 0) + value
        try:
            method = "raking"
            fitted = rake(
                {
                    "area_age": list(zip(areas, ages, strict=True)),
                    "area_sex": list(zip(areas, sexes, strict=True)),
                },
                {"area_age": area_age, "area_sex": area_sex},
            )
        except MarginError:
            method = "raking-marginal"
            sums: dict[str, dict[str, float]] = {"area": {}, "age": {}, "sex": {}}
            for (area, age, sex), value in population.items():
                sums["area"][area] = sums["area"].get(area, 0) + value
                sums["age"][age] = sums["age"].get(age, 0) + value
                sums["sex"][sex] = sums["sex"].get(sex, 0) + value
            try:
                fitted = rake({"area": areas, "age": ages, "sex": sexes}, sums)
            except MarginError as last:
                # The engine's message names cells as Python tuples, in English: not for a page.
                logger.info("Raking failed: %s", last)
                notes.append(
                    _(
                        "The population margins cannot weight these respondents: their totals "
                        "do not describe one population, or a group has no respondents."
                    )
                )
                return Weighting("none", eligible.astype(float), eligible, notes)
        logger.info("Post-stratification failed: %s", first)
        notes.append(
            _(
                "Post-stratification was not possible: a combination of neighbourhood, age band "
                "and sex has respondents but no population count, or people but no respondents."
            )
        )
    weights[idx] = fitted
    return Weighting(method, weights, eligible, notes)


def indicator_values(indicator: Indicator, data: WaveData) -> np.ndarray | None:
    """The per-respondent variable of an indicator (0/1 or a score), None if not asked."""
    present = [code for code in indicator.items if code in data.answers]
    if not present:
        return None
    if indicator.code == "cohesion":
        matrix = np.column_stack([data.answers[code] for code in present])
        reverse = [library_item(code).reverse for code in present]
        minimum = instrument("cohesion").score.get("min_answered", 1)
        return scale_score(
            matrix, low=1, high=5, reverse=reverse, min_answered=min(minimum, len(present))
        )
    if indicator.kind == "mean":
        return data.answers[present[0]].copy()
    columns = np.column_stack([data.answers[code] for code in present])
    hits = np.isin(columns, indicator.codes)
    answered = ~np.isnan(columns)
    # Several items (avoidance): 1 if any answered item counts, unanswered if none answered.
    return np.where(answered.any(axis=1), hits.any(axis=1).astype(float), np.nan)


@dataclass
class IndicatorResult:
    indicator: Indicator
    overall: Estimate
    by_area: dict[str, Estimate]


@dataclass
class WaveResults:
    wave: SurveyWave
    weighting: Weighting
    responses: int
    complete: int
    min_n: int
    areas: dict[str, str]  # code → name
    indicators: list[IndicatorResult]
    problems: list[tuple[str, str, Estimate]]  # code, wording, share with a lot of nuisance

    def indicator(self, code: str) -> IndicatorResult | None:
        return next((r for r in self.indicators if r.indicator.code == code), None)

    def summary(self) -> list[tuple[str, list[tuple[Estimate | None, str]]]]:
        """Neighbourhoods as rows and indicators as columns, overall last: one look at all."""
        rows = [
            (name, [(r.by_area.get(code), r.indicator.unit) for r in self.indicators])
            for code, name in sorted(self.areas.items(), key=lambda item: item[1])
        ]
        overall = [(r.overall, r.indicator.unit) for r in self.indicators]
        return [*rows, (str(_("All neighbourhoods")), overall)]


def wave_results(wave: SurveyWave, *, language: str = "en") -> WaveResults:
    """Every indicator the questionnaire allows, per neighbourhood and overall.

    Neighbourhoods are the strata of the variance estimate; per-neighbourhood estimates use
    the engine's domain estimation, so each has the right standard error for its subset.
    """
    data = wave_data(wave)
    margins, _source = wave_margins(wave)
    weighting = wave_weights(data, margins)
    min_n = setting_for(wave.organisation).min_n
    names = area_names(organisation=wave.organisation)
    keep = weighting.eligible
    weights = weighting.weights[keep]
    areas = [a for a, k in zip(data.areas, keep, strict=True) if k]
    strata = [a or "?" for a in areas]
    results = []
    problems = []
    if keep.any():
        for indicator in INDICATORS:
            values = indicator_values(indicator, data)
            if values is None:
                continue
            y = values[keep]
            if indicator.code == "sdg_16_1_4":
                codes = data.answers["ess_safe_after_dark"][keep]
                overall = sdg_16_1_4(codes, weights, min_n=min_n, strata=strata)
            elif indicator.kind == "proportion":
                overall = weighted_proportion(y, weights, strata=strata, min_n=min_n)
            else:
                overall = weighted_mean(y, weights, strata=strata, min_n=min_n)
            per_area = by_domain(
                y,
                weights,
                [a or None for a in areas],
                kind=indicator.kind,
                strata=strata,
                min_n=min_n,
            )
            if overall.n == 0:
                continue  # asked, but nobody answered: nothing to show
            results.append(IndicatorResult(indicator, overall, per_area))
        for code, column in data.answers.items():
            item = library_item(code)
            if item is None or item.instrument != "problems":
                continue
            y = np.where(np.isnan(column), np.nan, (column == 1).astype(float))[keep]
            share = weighted_proportion(y, weights, strata=strata, min_n=min_n)
            if share.n:
                problems.append((code, item.wording(language), share))
    area_codes = sorted({a for a in data.areas if a} | {c[0] for c in margins})
    return WaveResults(
        wave=wave,
        weighting=weighting,
        responses=data.n,
        complete=int(data.complete.sum()),
        min_n=min_n,
        areas={code: names.get(code, code) for code in area_codes},
        indicators=results,
        problems=problems,
    )


@dataclass
class IndicatorChange:
    indicator: Indicator
    before: Estimate
    after: Estimate
    change: Change

    @property
    def reading(self) -> str:
        """Better or worse only when the change is significant and both waves publishable."""
        if self.change.suppressed:
            return _("too few respondents")
        if not self.change.significant:
            return _("no clear change")
        better = (self.change.value > 0) == self.indicator.higher_is_safer
        return _("better") if better else _("worse")


def wave_change(before: WaveResults, after: WaveResults) -> list[IndicatorChange]:
    """Overall change of each indicator both waves have, as independent samples."""
    rows = []
    for result in after.indicators:
        earlier = before.indicator(result.indicator.code)
        if earlier is None:
            continue
        rows.append(
            IndicatorChange(
                result.indicator,
                earlier.overall,
                result.overall,
                change(earlier.overall, result.overall),
            )
        )
    return rows


@dataclass
class AreaChange:
    code: str
    name: str
    before: Estimate | None
    after: Estimate | None
    change: Change | None


def wave_change_by_area(
    before: WaveResults, after: WaveResults
) -> tuple[Indicator, list[AreaChange]] | None:
    """Change per neighbourhood of the fear indicator both waves share (None if none)."""
    code = next((c for c in FEAR_INDICATORS if before.indicator(c) and after.indicator(c)), None)
    if code is None:
        return None
    first, second = before.indicator(code), after.indicator(code)
    rows = []
    for area, name in sorted({**before.areas, **after.areas}.items(), key=lambda x: x[1]):
        a, b = first.by_area.get(area), second.by_area.get(area)
        rows.append(AreaChange(area, name, a, b, change(a, b) if a and b else None))
    return second.indicator, rows


def shown(value: float, unit: str) -> str:
    """An estimate as the pages print it: percent with one decimal, or a mean with two."""
    if value is None or not math.isfinite(value):
        return "—"
    return format_number(100 * value, 1) if unit == "%" else format_number(value, 2)
