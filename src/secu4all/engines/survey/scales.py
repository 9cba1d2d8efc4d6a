"""Multi-item scale scores (social cohesion, for instance) on a 0–10 scale."""

from __future__ import annotations

import math
import warnings

import numpy as np
from numpy.typing import ArrayLike

from . import _validate


def scale_score(
    answers: ArrayLike,
    *,
    low: float,
    high: float,
    reverse: ArrayLike | None = None,
    min_answered: int | None = None,
    whole: bool = True,
) -> np.ndarray:
    r"""0–10 scale score per respondent from a respondents × items array (``NaN`` unanswered).

    Items flagged in ``reverse`` (one boolean per item) are reverse-coded as
    ``low + high − x``, so that a high score always means more of the construct; the
    answered items are averaged (person-mean imputation of the unanswered ones, the usual
    treatment for a few missing Likert items; Schafer & Graham 2002, Psych. Methods
    7:147–177) and rescaled linearly, ``10 · (mean − low) / (high − low)``. Respondents
    who answered fewer than ``min_answered`` items (default: half the items, rounded up)
    get ``NaN``.

    Every answer must lie on the scale ``[low, high]`` (and be a whole number when
    ``whole``); the error names the respondent's row and the item's column.
    """
    low = _validate.finite_number(low, "low")
    high = _validate.finite_number(high, "high")
    if not low < high:
        raise ValueError(f"low must be below high, got low={low!r}, high={high!r}")
    try:
        values = np.array(answers, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"answers must be numeric: {error}") from error
    if values.ndim != 2:
        raise ValueError(f"answers must be respondents × items (2-d), got shape {values.shape}")
    n, items = values.shape
    if n == 0 or items == 0:
        raise ValueError(f"answers is empty (shape {values.shape})")
    given = ~np.isnan(values)
    bad = given & ((values < low) | (values > high) | np.isinf(values))
    if whole:
        bad |= given & (values != np.round(values))
    if bad.any():
        row, column = (int(index[0]) for index in np.nonzero(bad))
        raise ValueError(
            f"answer {values[row, column]:g} of respondent row {row}, item column {column} is "
            f"outside the scale {low:g}–{high:g}" + (" (whole numbers)" if whole else "")
        )

    flags = np.zeros(items, dtype=bool) if reverse is None else np.asarray(reverse)
    if flags.dtype != bool or flags.shape != (items,):
        raise ValueError(
            f"reverse must be one boolean per item ({items}), got {np.asarray(reverse)!r}"
        )
    if min_answered is None:
        min_answered = math.ceil(items / 2)
    min_answered = _validate.minimum_count(min_answered, "min_answered")
    if not 1 <= min_answered <= items:
        raise ValueError(f"min_answered must be between 1 and {items}, got {min_answered}")

    coded = np.where(flags, low + high - values, values)
    counts = given.sum(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: masked below
        means = np.nanmean(coded, axis=1)
    scores = 10.0 * (means - low) / (high - low)
    return np.where(counts >= min_answered, scores, np.nan)
