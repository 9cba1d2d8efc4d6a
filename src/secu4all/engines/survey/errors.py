"""The error raised when population margins and respondents do not fit together."""

from __future__ import annotations


class MarginError(ValueError):
    """Population margins that cannot weight these respondents.

    The message names the variable and the category (or post-stratification cell) at
    fault, so the person who imported the margin file knows which line to fix.
    """
