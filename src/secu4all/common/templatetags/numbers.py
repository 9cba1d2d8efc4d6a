"""Template filters ``number``, ``percent``, ``share`` and ``money``: figures in the reader's
language, e.g. ``{{ cost|money }}``, ``{{ hit_rate|share }}``, ``{{ rate|number:1 }}``."""

from __future__ import annotations

from django import template

from secu4all.common.numbers import format_money, format_number, format_percent

register = template.Library()


@register.filter
def number(value: object, decimals: int = 0) -> str:
    """A number with the language's separators, rounded to ``decimals`` places."""
    return format_number(value, int(decimals))


@register.filter
def percent(value: object, decimals: int = 1) -> str:
    """A percentage (already 0–100) as "84,1 %" / "84.1%"."""
    return format_percent(value, int(decimals))


@register.filter
def share(value: object, decimals: int = 1) -> str:
    """A share (0–1) as a percentage: 0.841 gives "84,1 %" / "84.1%"."""
    return format_percent(value, int(decimals), share=True)


@register.filter
def money(value: object, decimals: int = 0) -> str:
    """An amount in euro: "€ 49.638" (nl), "€49,638" (en), "49 638 €" (fr)."""
    return format_money(value, int(decimals))
