"""Spatial weights as scipy.sparse CSR arrays: binary structure, row standardisation, grids."""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse

Neighbourhood = str | float


def as_binary_csr(
    weights: ArrayLike | sparse.sparray | sparse.spmatrix, n: int
) -> sparse.csr_array:
    """Binary ``n`` x ``n`` CSR array with a zero diagonal from any weights matrix.

    Every stored non-zero off-diagonal entry becomes 1: the sparsity pattern defines
    the neighbours, weight values are ignored. Diagonal entries are dropped (the
    focal observation enters Gi* through ``star``, not through the weights). Rows
    without entries are islands.
    """
    try:
        matrix = sparse.csr_array(weights, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"weights must be a 2-D matrix: {error}") from error
    if matrix.shape != (n, n):
        raise ValueError(f"weights has shape {matrix.shape} but there are {n} values")
    if not np.isfinite(matrix.data).all():
        raise ValueError("weights contains NaN or infinite values")
    coo = sparse.coo_array(matrix)
    keep = (coo.row != coo.col) & (coo.data != 0)
    binary = sparse.csr_array(
        (np.ones(int(keep.sum())), (coo.row[keep], coo.col[keep])), shape=(n, n)
    )
    binary.sum_duplicates()
    binary.data[:] = 1.0
    return binary


def row_standardise(weights: sparse.csr_array) -> sparse.csr_array:
    """Divide each row by its sum, so that the spatial lag is a neighbour average.

    Island rows (sum zero) stay zero, as in libpysal's ``transform="R"``.
    """
    row_sums = np.asarray(weights.sum(axis=1)).ravel()
    scale = np.divide(1.0, row_sums, out=np.zeros_like(row_sums), where=row_sums != 0)
    return sparse.csr_array(sparse.diags_array(scale) @ weights)


def cardinalities(weights: sparse.csr_array) -> np.ndarray:
    """Number of neighbours of every observation (stored entries per row)."""
    return np.diff(weights.indptr)


def neighbourhood_offsets(neighbourhood: Neighbourhood) -> np.ndarray:
    """``(dr, dc)`` offsets of a cell's neighbours on a regular grid, excluding itself.

    ``"rook"``: the 4 cells sharing an edge; ``"queen"``: the 8 cells sharing an edge
    or corner; a number ``r``: every cell whose centre lies within ``r`` cells of the
    focal centre (so ``1`` equals rook and ``sqrt(2)`` equals queen).
    """
    if neighbourhood == "rook":
        radius = 1.0
    elif neighbourhood == "queen":
        offsets = [(dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0)]
        return np.array(offsets, dtype=np.int64)
    elif isinstance(neighbourhood, numbers.Real) and not isinstance(neighbourhood, bool):
        radius = float(neighbourhood)
        if not np.isfinite(radius) or radius < 1:
            raise ValueError(
                f"a neighbourhood radius must be at least 1 cell, got {neighbourhood!r}"
            )
    else:
        raise ValueError(
            f"neighbourhood must be 'rook', 'queen' or a radius in cells, got {neighbourhood!r}"
        )
    reach = int(np.floor(radius))
    dr, dc = np.mgrid[-reach : reach + 1, -reach : reach + 1]
    # A relative tolerance keeps radius sqrt(2) from losing the diagonal cells to rounding.
    inside = (dr**2 + dc**2 <= radius**2 * (1 + 1e-12)) & ((dr != 0) | (dc != 0))
    return np.stack([dr[inside], dc[inside]], axis=1).astype(np.int64)


def grid_weights(
    shape: tuple[int, int], neighbourhood: Neighbourhood = "queen"
) -> sparse.csr_array:
    """Binary CSR weights of a ``(ny, nx)`` grid in row-major (C) cell order.

    Cells on the border simply have fewer neighbours; there is no wrap-around.
    """
    ny, nx = shape
    rows, cols = np.divmod(np.arange(ny * nx), nx)
    sources, targets = [], []
    for dr, dc in neighbourhood_offsets(neighbourhood):
        r, c = rows + dr, cols + dc
        ok = (r >= 0) & (r < ny) & (c >= 0) & (c < nx)
        sources.append(np.flatnonzero(ok))
        targets.append(r[ok] * nx + c[ok])
    i, j = np.concatenate(sources), np.concatenate(targets)
    matrix = sparse.csr_array((np.ones(i.size), (i, j)), shape=(ny * nx, ny * nx))
    matrix.sort_indices()
    return matrix
