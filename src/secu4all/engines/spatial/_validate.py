"""Shared input checks that turn bad input into a ValueError naming the problem."""

from __future__ import annotations

import numbers

import numpy as np


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
