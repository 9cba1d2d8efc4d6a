"""What a figure on screen may claim: a word or a colour only where its statistic supports it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from secu4all.engines.spatial import benjamini_hochberg

# The significance level every crime page states beside its readings.
ALPHA = 0.05


@dataclass(frozen=True)
class Evidence:
    """One reading with what supports it, or the reason it cannot be computed.

    ``p`` is the p-value after the correction the page states (None when none applies);
    ``low``/``high`` an interval around ``value`` (None when not computed); ``null`` the
    value that means "no difference" (1 for a ratio). A page marks the reading — a colour,
    a word like "more" or "hot" — only when ``supported`` is true, and shows ``p`` or the
    interval beside it either way.
    """

    value: float | None
    p: float | None = None
    low: float | None = None
    high: float | None = None
    null: float = 1.0
    reason: str = ""

    @property
    def computable(self) -> bool:
        return self.value is not None and np.isfinite(self.value) and not self.reason

    @property
    def supported(self) -> bool:
        """Significant at ``ALPHA`` (after correction) or with an interval clear of ``null``."""
        if not self.computable:
            return False
        if self.p is not None:
            return bool(self.p < ALPHA)
        if self.low is not None and self.high is not None:
            return bool(self.low > self.null or self.high < self.null)
        return False

    @property
    def above(self) -> bool:
        """Supported, and above the null: the reading may say "more" or "hot"."""
        return self.supported and bool(self.value > self.null)


def adjusted_p(p: np.ndarray, tested: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values over the ``tested`` cells, NaN elsewhere.

    Why a correction: a table of many cells at 5 % each shows a "significant" cell by chance
    alone; the false-discovery rate across the cells the page highlights stays at 5 %.
    """
    values = np.asarray(p, dtype=float)
    mask = np.asarray(tested, dtype=bool) & np.isfinite(values)
    out = np.full(values.shape, np.nan)
    if mask.any():
        out[mask] = benjamini_hochberg(values[mask])
    return out
