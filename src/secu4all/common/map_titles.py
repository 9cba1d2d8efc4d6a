"""Words for a map's title: its period, in the reader's language, British in English."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def long_date(value: date | datetime) -> str:
    """3 December 2026 in English (never the US order), the language's own long date elsewhere;
    a moment is dated in the platform's time zone."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    language = (get_language() or "en").split("-")[0]
    return formats.date_format(value, "j F Y" if language == "en" else "DATE_FORMAT")


def period_text(first: date | None, last: date | None) -> str:
    """“1 January 2024 – 31 December 2025”, or what is known of it."""
    if first and last:
        if first == last:
            return long_date(first)
        return f"{long_date(first)} – {long_date(last)}"
    if first:
        return _("from %(date)s") % {"date": long_date(first)}
    if last:
        return _("until %(date)s") % {"date": long_date(last)}
    return _("all dates")
