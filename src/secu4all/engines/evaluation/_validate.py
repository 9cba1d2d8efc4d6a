"""Input checks of the evaluation engine: each turns bad input into a ValueError naming it."""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike


def float_array(values: ArrayLike, name: str, *, ndim: int, allow_nan: bool = False) -> np.ndarray:
    """Return ``values`` as a non-empty float64 array of dimension ``ndim``.

    Infinite values are always refused; NaN only where ``allow_nan``.
    """
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric: {error}") from error
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    if np.isinf(array).any():
        raise ValueError(f"{name} has an infinite value at index {first(np.isinf(array))}")
    if not allow_nan and np.isnan(array).any():
        raise ValueError(f"{name} has a missing (NaN) value at index {first(np.isnan(array))}")
    return array


def first(mask: np.ndarray) -> tuple[int, ...] | int:
    """Index of the first True in ``mask`` (an int for vectors, a tuple otherwise)."""
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return index[0] if len(index) == 1 else index


def label(value: object) -> object:
    """A label as the caller wrote it: numpy scalars become plain Python values."""
    return value.item() if isinstance(value, np.generic) else value


def same_length(**arrays: np.ndarray) -> int:
    """Return the common length of the arrays, or raise naming the mismatch."""
    lengths = {name: len(array) for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {length}" for name, length in lengths.items())
        raise ValueError(f"lengths do not match: {described}")
    return next(iter(lengths.values()))


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
