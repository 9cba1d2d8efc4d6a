"""Input checks shared by the survey engine: each turns bad input into a ValueError naming it."""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from secu4all.engines import _checks


def as_float_vector(values: ArrayLike, name: str, *, allow_nan: bool) -> np.ndarray:
    """Return ``values`` as a non-empty 1-d float64 array; NaN only where ``allow_nan``."""
    return _checks.float_array(
        values, name, ndim=1, allow_nan=allow_nan, empty="is empty: there are no respondents"
    )


def weights_vector(weights: ArrayLike, name: str = "weights") -> np.ndarray:
    """Return finite, non-negative weights that do not all equal zero."""
    array = as_float_vector(weights, name, allow_nan=False)
    negative = array < 0
    if negative.any():
        at = _checks.first(negative)
        raise ValueError(f"{name} must not be negative: index {at} has {array[at]:g}")
    if not (array > 0).any():
        raise ValueError(f"{name} are all zero")
    return array


def group_codes(labels: Sequence[Hashable], name: str) -> tuple[np.ndarray, list[Hashable]]:
    """Integer code per respondent and the distinct labels in order of first appearance.

    Labels may be any hashable (a string, a tuple such as ``(neighbourhood, age, sex)``);
    a dict rather than ``np.unique`` so mixed types need not be orderable.
    """
    index: dict[Hashable, int] = {}
    try:
        codes = np.fromiter(
            (index.setdefault(label, len(index)) for label in labels), dtype=np.intp
        )
    except TypeError as error:
        raise ValueError(f"{name} must hold hashable labels: {error}") from error
    return codes, list(index)


def level(value: float) -> float:
    """Return a confidence level strictly between 0 and 1."""
    if not isinstance(value, numbers.Real) or not 0 < value < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {value!r}")
    return float(value)


def minimum_count(value: int, name: str) -> int:
    """Return a non-negative integer threshold."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def finite_number(value: object, name: str) -> float:
    """Return ``value`` as a finite float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def shown(label: object) -> str:
    """``repr`` of a category label as the user wrote it (``3``, not ``np.int64(3)``)."""
    if isinstance(label, np.generic):
        return repr(label.item())
    if isinstance(label, tuple):
        inner = ", ".join(shown(part) for part in label)
        return f"({inner},)" if len(label) == 1 else f"({inner})"
    return repr(label)
