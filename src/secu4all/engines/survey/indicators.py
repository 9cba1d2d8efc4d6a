"""Published indicators built on the standard items, such as SDG 16.1.4."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from . import _validate
from .estimates import DEFAULT_MIN_N, Estimate, weighted_proportion

#: The four answers of the ESS item "How safe do you – or would you – feel walking alone in
#: this area after dark?"
FEELING_SAFE_CODES: dict[int, str] = {1: "very safe", 2: "safe", 3: "unsafe", 4: "very unsafe"}


def sdg_16_1_4(
    codes: ArrayLike,
    weights: ArrayLike,
    *,
    safe_codes: Sequence[int] = (1, 2),
    min_n: int = DEFAULT_MIN_N,
    strata: Sequence[Hashable] | None = None,
    level: float = 0.95,
) -> Estimate:
    """SDG indicator 16.1.4: weighted share of the population who feel safe walking alone
    around the area they live after dark.

    ``codes`` are the ESS answers 1 very safe, 2 safe, 3 unsafe, 4 very unsafe, ``NaN``
    unanswered (UN Statistics Division, SDG metadata 16.1.4, 2021; ESS item C6/D5). The
    share of ``safe_codes`` among those who answered is a :func:`weighted_proportion`.
    Codes outside 1–4 raise a ValueError naming the index and the value.
    """
    values = _validate.as_float_vector(codes, "codes", allow_nan=True)
    allowed = np.array(sorted(FEELING_SAFE_CODES), dtype=np.float64)
    bad = ~np.isnan(values) & ~np.isin(values, allowed)
    if bad.any():
        at = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"codes must be 1 (very safe) to 4 (very unsafe) or NaN (unanswered): "
            f"index {at} has {values[at]:g}"
        )
    safe = list(safe_codes)
    if not safe or any(code not in FEELING_SAFE_CODES for code in safe):
        raise ValueError(f"safe_codes must be a non-empty subset of 1–4, got {safe_codes!r}")
    y = np.where(np.isnan(values), np.nan, np.isin(values, safe).astype(np.float64))
    return weighted_proportion(y, weights, strata=strata, min_n=min_n, level=level)
