"""The reader's language, as the platform's content files and exports name it."""

from __future__ import annotations

from django.utils.translation import get_language

FALLBACK_LANGUAGE = "en"


def current_language(default: str = FALLBACK_LANGUAGE) -> str:
    """The active language as a two-letter code (``nl-be`` gives ``nl``); ``default`` when
    no language is active, as in a management command or a background task."""
    return (get_language() or default).split("-")[0].lower()
