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


def poisson_interval(count: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood 1936) interval of a Poisson mean from one observed ``count``.

    Why: a rate per 1,000 from a handful of incidents can rank first by chance; the
    interval beside it shows how far it could be from its neighbours in the ranking.
    """
    from scipy.stats import chi2

    tail = (1 - level) / 2
    low = 0.0 if count == 0 else float(chi2.ppf(tail, 2 * count) / 2)
    return low, float(chi2.ppf(1 - tail, 2 * count + 2) / 2)


def proportion_interval(hits: int, total: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson) interval of a proportion ``hits / total``."""
    from scipy.stats import beta

    if total <= 0:
        return float("nan"), float("nan")
    tail = (1 - level) / 2
    low = 0.0 if hits == 0 else float(beta.ppf(tail, hits, total - hits + 1))
    high = 1.0 if hits == total else float(beta.ppf(1 - tail, hits + 1, total - hits))
    return low, high
