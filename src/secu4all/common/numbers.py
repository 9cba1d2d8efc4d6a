"""Figures as the reader's language writes them: numbers, percentages and money."""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils import formats

from secu4all.common.i18n import current_language

NBSP = "\u00a0"

# Where the euro sign goes, per language (CLDR): "€ 49.638", "€49,638", "49.638 €", "49 638 €".
MONEY_PATTERNS = {
    "nl": "€" + NBSP + "{}",
    "en": "€{}",
    "de": "{}" + NBSP + "€",
    "fr": "{}" + NBSP + "€",
    "it": "{}" + NBSP + "€",
}
# English writes "84.1%"; Dutch, German, French and Italian put a space before the sign.
PERCENT_PATTERNS = {"en": "{}%"}
DEFAULT_PERCENT_PATTERN = "{}" + NBSP + "%"
MISSING = "–"

Number = int | float | Decimal


def _finite(value: object) -> float | Decimal | int | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return value if not (isinstance(value, Decimal) and not value.is_finite()) else None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_number(value: object, decimals: int = 0) -> str:
    """``value`` rounded to ``decimals`` places, with the language's decimal and thousand
    separators (12,345.6 in English, 12.345,6 in Dutch, 12 345,6 in French); "–" if missing."""
    number = _finite(value)
    if number is None:
        return MISSING
    text = formats.number_format(
        round(Decimal(str(number)), decimals), decimals, use_l10n=True, force_grouping=True
    )
    # A non-breaking space keeps "12 345" on one line (Django's French separator already is).
    return text.replace(" ", NBSP)


def format_percent(value: object, decimals: int = 1, *, share: bool = False) -> str:
    """A percentage (``share=True``: a share from 0 to 1) as "84,1 %" or, in English, "84.1%"."""
    number = _finite(value)
    if number is None:
        return MISSING
    if share:
        number = float(number) * 100
    pattern = PERCENT_PATTERNS.get(current_language(), DEFAULT_PERCENT_PATTERN)
    return pattern.format(format_number(number, decimals))


def format_money(value: object, decimals: int = 0) -> str:
    """An amount in euro as the language writes it: "€ 49.638" (nl), "€49,638" (en),
    "49.638 €" (de, it), "49 638 €" (fr); "–" if missing."""
    number = _finite(value)
    if number is None:
        return MISSING
    pattern = MONEY_PATTERNS.get(current_language(), MONEY_PATTERNS["en"])
    amount = format_number(abs(number), decimals)
    return ("−" if number < 0 else "") + pattern.format(amount)
