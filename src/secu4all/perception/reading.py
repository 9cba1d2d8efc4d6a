"""What the survey results pages say: plain sentences for each figure, its chart beside the
table, and the trend across a questionnaire's waves."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from secu4all.engines.survey import Estimate
from secu4all.perception.charts import (
    Point,
    TrendSeries,
    figure,
    interval_bars,
    trend_lines,
)
from secu4all.perception.estimates import Indicator, IndicatorResult, WaveResults

# The top of a mean's scale, so its bars and lines are drawn against the whole scale.
SCALE_MAX = {"report_mark": 10.0, "cohesion": 10.0}


def plain_estimate(estimate: Estimate | None, indicator: Indicator, *, min_n: int) -> str:
    """One estimate in words a resident would use, with its interval in view."""
    if estimate is None or estimate.n == 0 or not math.isfinite(estimate.value):
        return _("Nobody answered this question.")
    if estimate.suppressed:
        return _(
            "Only %(n)d respondents answered, fewer than the %(min)d needed to publish a figure."
        ) % {"n": estimate.n, "min": min_n}
    values = {
        "value": figure(estimate.value, indicator.unit),
        "low": figure(estimate.ci_low, indicator.unit),
        "high": figure(estimate.ci_high, indicator.unit),
        "n": estimate.n,
    }
    if indicator.unit == "%":
        return (
            _(
                "%(value)s of residents, from %(n)d who answered. The true share lies between "
                "%(low)s and %(high)s of residents, 95 times in 100."
            )
            % values
        )
    return (
        _(
            "An average of %(value)s, from %(n)d who answered. The true average lies between "
            "%(low)s and %(high)s, 95 times in 100."
        )
        % values
    )


def plain_weighting(results: WaveResults) -> str:
    """How the answers were made to represent the residents, without the method's name."""
    if results.weighting.method == "none":
        return _("Every answer counts the same: the figures are not weighted to the population.")
    left_out = int(results.responses - results.weighting.eligible.sum())
    text = _(
        "Answers are weighted so that each neighbourhood, age group and sex counts as much as it "
        "does among the residents."
    )
    if left_out:
        text += " " + _(
            "%(n)d respondents could not be weighted and are left out of the figures; "
            "see how this was computed."
        ) % {"n": left_out}
    return text


@dataclass
class IndicatorReading:
    """An indicator's table, the sentence that reads it and the chart beside it."""

    result: IndicatorResult
    reading: str
    chart: SafeString


def indicator_readings(results: WaveResults) -> list[IndicatorReading]:
    """Each indicator of the wave, overall in words and per neighbourhood as bars."""
    readings = []
    for result in results.indicators:
        indicator = result.indicator
        bars = [
            Point(
                label=results.areas.get(code, code),
                value=e.value,
                low=e.ci_low,
                high=e.ci_high,
                muted=e.suppressed,
            )
            # In the table's order, so the bars and the rows beside them line up.
            for code, e in result.by_area.items()
        ]
        chart = interval_bars(
            bars,
            unit=indicator.unit,
            name=_("Bar chart of “%(label)s” per neighbourhood with 95 %% intervals")
            % {"label": indicator.label},
            reference=None if result.overall.suppressed else result.overall.value,
            reference_label=str(_("All neighbourhoods")),
            scale_max=SCALE_MAX.get(indicator.code),
        )
        readings.append(
            IndicatorReading(
                result,
                plain_estimate(result.overall, indicator, min_n=results.min_n),
                chart,
            )
        )
    return readings


@dataclass
class TrendRow:
    wave: str
    estimate: Estimate | None


@dataclass
class Trend:
    """One indicator across waves, all neighbourhoods together: the chart and its table."""

    indicator: Indicator
    rows: list[TrendRow]
    chart: SafeString


def _point(estimate: Estimate | None) -> Point | None:
    if estimate is None or not math.isfinite(estimate.value):
        return None
    return Point(estimate.value, estimate.ci_low, estimate.ci_high, estimate.suppressed)


def trends(series: list[WaveResults]) -> list[Trend]:
    """Every indicator of the last wave across ``series`` (oldest first); none for one wave."""
    if len(series) < 2:
        return []
    names = [r.wave.name for r in series]
    found = []
    for result in series[-1].indicators:
        indicator = result.indicator
        estimates = [
            (r.indicator(indicator.code).overall if r.indicator(indicator.code) else None)
            for r in series
        ]
        chart = trend_lines(
            [TrendSeries(str(_("All neighbourhoods")), [_point(e) for e in estimates])],
            waves=names,
            unit=indicator.unit,
            name=_("Line chart of “%(label)s” across waves with 95 %% interval bands")
            % {"label": indicator.label},
            scale_max=SCALE_MAX.get(indicator.code),
        )
        rows = [TrendRow(name, e) for name, e in zip(names, estimates, strict=True)]
        found.append(Trend(indicator, rows, chart))
    return found
