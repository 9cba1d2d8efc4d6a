"""Array checks that several engines share: each turns bad input into a ValueError that
names the argument and, where there is one, the first offending index."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def float_array(
    values: ArrayLike,
    name: str,
    *,
    ndim: int,
    allow_nan: bool = False,
    empty: str = "is empty",
) -> np.ndarray:
    """Return ``values`` as a non-empty float64 array of dimension ``ndim``.

    Infinite values are always refused; NaN (a missing value) only where ``allow_nan``.
    ``empty`` completes the message for an empty array ("weights is empty: ...").
    """
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric: {error}") from error
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} {empty}")
    if np.isinf(array).any():
        raise ValueError(f"{name} has an infinite value at index {first(np.isinf(array))}")
    if not allow_nan and np.isnan(array).any():
        raise ValueError(f"{name} has a missing (NaN) value at index {first(np.isnan(array))}")
    return array


def first(mask: np.ndarray) -> tuple[int, ...] | int:
    """Index of the first True in ``mask`` (an int for vectors, a tuple otherwise)."""
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return index[0] if len(index) == 1 else index


def same_length(**arrays: object) -> int:
    """Return the common length of the arrays, or raise naming the mismatch."""
    lengths = {name: len(array) for name, array in arrays.items()}  # type: ignore[arg-type]
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {length}" for name, length in lengths.items())
        raise ValueError(f"lengths do not match: {described}")
    return next(iter(lengths.values()))
