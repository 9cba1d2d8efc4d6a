"""Shared input checks that turn bad input into a ValueError naming the field and reason."""

from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.typing import ArrayLike


def real(value: object, name: str) -> float:
    """Return ``value`` as a float if it is a finite real number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name}: {value!r} is not a number")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name}: {value!r} is not finite")
    return number


def in_closed(value: object, name: str, low: float, high: float) -> float:
    """Return ``value`` if it lies in ``[low, high]``."""
    number = real(value, name)
    if not low <= number <= high:
        raise ValueError(f"{name}: {value!r} is outside [{low:g}, {high:g}]")
    return number


def score(value: object, name: str) -> float:
    """Return a score on the FEMA 452 scale, a number in ``[1, 10]``."""
    return in_closed(value, name, 1.0, 10.0)


def effect(value: object, name: str) -> float:
    """Return a risk-reduction fraction in ``[0, 1)``: 1 would remove a scenario entirely."""
    number = real(value, name)
    if not 0.0 <= number < 1.0:
        raise ValueError(f"{name}: {value!r} is outside [0, 1)")
    return number


def non_negative(value: object, name: str) -> float:
    """Return ``value`` if it is a finite number ``>= 0``."""
    number = real(value, name)
    if number < 0:
        raise ValueError(f"{name}: {value!r} is negative")
    return number


def positive(value: object, name: str) -> float:
    """Return ``value`` if it is a finite number ``> 0``."""
    number = real(value, name)
    if number <= 0:
        raise ValueError(f"{name}: {value!r} must be greater than 0")
    return number


def count(value: object, name: str) -> int:
    """Return ``value`` if it is a non-negative integer (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{name}: {value!r} is not a non-negative integer")
    return int(value)


def array(values: ArrayLike, name: str, *, ndim: int) -> np.ndarray:
    """Return ``values`` as a finite float64 array of dimension ``ndim``."""
    try:
        result = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric: {error}") from error
    if result.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {result.shape}")
    bad = np.flatnonzero(~np.isfinite(result.ravel()))
    if bad.size:
        where = np.unravel_index(bad[0], result.shape)
        raise ValueError(f"{name}{list(map(int, where))}: {float(result[where])!r} is not finite")
    return result


def first_violation(mask: np.ndarray) -> tuple[int, ...] | None:
    """Index of the first True in ``mask``, or None."""
    bad = np.argwhere(mask)
    return tuple(int(i) for i in bad[0]) if bad.size else None
