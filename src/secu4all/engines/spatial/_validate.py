"""Shared input checks that turn bad input into a ValueError naming the problem."""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike


def finite_array(values: ArrayLike, name: str, *, ndim: int) -> np.ndarray:
    """Return ``values`` as a float64 array of dimension ``ndim``, non-empty and finite."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric: {error}") from error
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def same_length(**arrays: np.ndarray) -> int:
    """Return the common length of the arrays, or raise naming the mismatch."""
    lengths = {name: len(array) for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {length}" for name, length in lengths.items())
        raise ValueError(f"lengths do not match: {described}")
    return next(iter(lengths.values()))


def positive(value: float, name: str) -> float:
    """Return ``value`` as a float if it is finite and strictly positive."""
    if not isinstance(value, numbers.Real) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def permutation_count(permutations: int) -> int:
    """Return ``permutations`` if it is a non-negative integer."""
    if not isinstance(permutations, numbers.Integral) or permutations < 0:
        raise ValueError(f"permutations must be a non-negative integer, got {permutations!r}")
    return int(permutations)


def not_constant(values: np.ndarray, name: str) -> None:
    """Raise if ``values`` has zero variance, which makes every z-score undefined."""
    if np.ptp(values) == 0:
        raise ValueError(f"{name} is constant (zero variance); the statistic is undefined")


def choice(value: str, name: str, allowed: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``allowed``."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return value
