"""Input checks of the evaluation engine: each turns bad input into a ValueError naming it."""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike

from secu4all.engines._checks import first, float_array


def label(value: object) -> object:
    """A label as the caller wrote it: numpy scalars become plain Python values."""
    return value.item() if isinstance(value, np.generic) else value


def non_negative(array: np.ndarray, name: str) -> np.ndarray:
    """Return ``array`` if no value is negative."""
    negative = array < 0
    if negative.any():
        at = first(negative)
        raise ValueError(f"{name} must not be negative: index {at} has {array[at]:g}")
    return array


def positive(array: np.ndarray, name: str) -> np.ndarray:
    """Return ``array`` if every value is strictly positive."""
    bad = ~(array > 0)
    if bad.any():
        at = first(bad)
        raise ValueError(f"{name} must be positive: index {at} has {array[at]:g}")
    return array


def count_array(values: ArrayLike, name: str, *, ndim: int = 1) -> np.ndarray:
    """Return non-negative whole-number counts as float64."""
    array = non_negative(float_array(values, name, ndim=ndim), name)
    fractional = array != np.round(array)
    if fractional.any():
        at = first(fractional)
        raise ValueError(f"{name} must be whole counts: index {at} has {array[at]:g}")
    return array


def level(value: float) -> float:
    """Return a confidence level strictly between 0 and 1."""
    if not isinstance(value, numbers.Real) or not 0 < value < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {value!r}")
    return float(value)


def integer(value: int, name: str, *, low: int, high: int | None = None) -> int:
    """Return ``value`` if it is an integer in ``low..high`` (inclusive)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < low or (high is not None and value > high):
        span = f"{low}..{high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must lie in {span}, got {value}")
    return int(value)


def positive_number(value: float, name: str) -> float:
    """Return ``value`` as a float if it is finite and strictly positive."""
    if not isinstance(value, numbers.Real) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def choice(value: str, name: str, allowed: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``allowed``."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return value
