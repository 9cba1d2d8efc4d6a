"""Estimates as the pages print them: value with its 95 % interval, n and a flag."""

from __future__ import annotations

import math

from django import template
from django.utils.translation import gettext as _

from secu4all.common.numbers import format_number, format_percent
from secu4all.neighbourhoods.fear_gap import crime_class_label, fear_class_label
from secu4all.perception.charts import figure, number

register = template.Library()


def _fmt(x: float, unit: str) -> str:
    if x is None or not math.isfinite(x):
        return "—"
    # In the reader's language: 84,1 in Dutch, 84.1 in English.
    return format_number(100 * x, 1) if unit == "%" else format_number(x, 2)


def _signed(x: float, decimals: int) -> str:
    """A change with its sign: +2,5 or −1,0 (a minus sign, not a hyphen)."""
    return ("+" if x >= 0 else "−") + format_number(abs(x), decimals)


@register.simple_tag
def value(estimate, unit: str = "%") -> str:
    if estimate is None:
        return "—"
    if unit == "%":
        return format_percent(estimate.value, 1, share=True).replace("–", "—")
    return _fmt(estimate.value, unit)


@register.simple_tag
def interval(estimate, unit: str = "%") -> str:
    if estimate is None or not math.isfinite(estimate.ci_low):
        return "—"
    return f"{_fmt(estimate.ci_low, unit)}–{_fmt(estimate.ci_high, unit)}"


@register.simple_tag
def change_value(change, unit: str = "%") -> str:
    if change is None or not math.isfinite(change.value):
        return "—"
    if unit == "%":
        return _("%(v)s points") % {"v": _signed(100 * change.value, 1)}
    return _signed(change.value, 2)


@register.simple_tag
def change_interval(change, unit: str = "%") -> str:
    if change is None or not math.isfinite(change.ci_low):
        return "—"
    k, decimals = (100, 1) if unit == "%" else (1, 2)
    return f"{_signed(k * change.ci_low, decimals)} … {_signed(k * change.ci_high, decimals)}"


@register.filter
def rating(x: float | None) -> str:
    return "—" if x is None else format_number(x, 1)


@register.filter
def effective(x: float) -> str:
    return "—" if x is None or not math.isfinite(x) else format_number(x)


# --- results: the fear gap's honest classes and contrasts ---


@register.filter
def share_text(estimate) -> str:
    """A share with its 95 % interval, in the active language's notation."""
    if estimate is None or not math.isfinite(estimate.value):
        return "—"
    return _("%(value)s (95 %% interval %(low)s–%(high)s)") % {
        "value": figure(estimate.value, "%"),
        "low": figure(estimate.ci_low, "%"),
        "high": figure(estimate.ci_high, "%"),
    }


@register.filter
def fear_class_text(fear_class: str) -> str:
    return fear_class_label(fear_class)


@register.filter
def crime_class_text(crime_class: str) -> str:
    return crime_class_label(crime_class)


@register.simple_tag
def rate_ratio(contrast) -> str:
    """A crime rate ratio with its 95 % interval: "2.50 times (1.60–3.90)"."""
    if contrast is None or not math.isfinite(contrast.ratio):
        return "—"
    high = "∞" if not math.isfinite(contrast.ci_high) else number(contrast.ci_high, 2)
    return _("%(ratio)s times (%(low)s–%(high)s)") % {
        "ratio": number(contrast.ratio, 2),
        "low": number(contrast.ci_low, 2),
        "high": high,
    }
