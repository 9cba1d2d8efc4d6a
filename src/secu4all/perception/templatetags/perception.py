"""Estimates as the pages print them: value with its 95 % interval, n and a flag."""

from __future__ import annotations

import math

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _fmt(x: float, unit: str) -> str:
    if x is None or not math.isfinite(x):
        return "—"
    return f"{100 * x:.1f}" if unit == "%" else f"{x:.2f}"


@register.simple_tag
def value(estimate, unit: str = "%") -> str:
    if estimate is None:
        return "—"
    return _fmt(estimate.value, unit) + (
        " %" if unit == "%" and math.isfinite(estimate.value) else ""
    )


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
        return _("%(v)+.1f points") % {"v": 100 * change.value}
    return f"{change.value:+.2f}"


@register.simple_tag
def change_interval(change, unit: str = "%") -> str:
    if change is None or not math.isfinite(change.ci_low):
        return "—"
    k = 100 if unit == "%" else 1
    return (
        f"{k * change.ci_low:+.1f} … {k * change.ci_high:+.1f}"
        if unit == "%"
        else (f"{change.ci_low:+.2f} … {change.ci_high:+.2f}")
    )


@register.filter
def rating(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"


@register.filter
def effective(x: float) -> str:
    return "—" if x is None or not math.isfinite(x) else f"{x:.0f}"
