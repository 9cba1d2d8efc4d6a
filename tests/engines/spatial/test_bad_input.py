"""Every kind of bad input raises a ValueError that names the problem."""

import numpy as np
import pytest
from scipy import sparse

from secu4all.engines.spatial import (
    Grid,
    bin_points,
    gi_star,
    grid_gi_star,
    grid_weights,
    kde_grid,
    knox_test,
    local_moran,
    mann_kendall,
    moran,
    pai,
    project_lonlat,
)

W5 = grid_weights((1, 5), "rook")
GRID = Grid(x0=0.0, y0=0.0, cell_size=10.0, nx=10, ny=10)
KNOX = {"spatial_bands": [100], "temporal_bands": [7]}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: gi_star([1, np.nan, 3, 4, 5], W5), r"has a missing \(NaN\) value at index 1"),
        (lambda: gi_star([1, np.inf, 3, 4, 5], W5), "has an infinite value at index 1"),
        (lambda: gi_star([1, 2, 3], W5), "shape"),
        (lambda: gi_star([], sparse.csr_array((0, 0))), "empty"),
        (lambda: gi_star([2, 2, 2, 2, 2], W5), "constant"),
        (lambda: gi_star([1, 2, 3, 4, 5], W5, permutations=-1), "permutations"),
        (lambda: gi_star([1, 2, 3, 4, 5], W5, draws="slow"), "draws"),
        (lambda: gi_star([[1, 2], [3, 4]], W5), "1-dimensional"),
        (lambda: grid_gi_star(np.ones((4, 4))), "constant"),
        (lambda: grid_gi_star(np.zeros((0, 3))), "empty"),
        (
            lambda: grid_gi_star(np.arange(9.0).reshape(3, 3), neighbourhood="bishop"),
            "neighbourhood",
        ),
        (lambda: grid_gi_star(np.arange(9.0).reshape(3, 3), neighbourhood=0.5), "radius"),
        (lambda: moran([1, 1, 1, 1, 1], W5), "constant"),
        (lambda: moran([1, 2, np.nan, 4, 5], W5), "NaN"),
        (lambda: local_moran([1, 2, 3, 4], W5), "shape"),
        (lambda: kde_grid([5], [5], GRID, bandwidth=0), "bandwidth"),
        (lambda: kde_grid([5], [5], GRID, bandwidth=-20), "bandwidth"),
        (lambda: kde_grid([5], [5], GRID, bandwidth=5), "smaller than one cell"),
        (lambda: kde_grid([5, 500], [5, 5], GRID, bandwidth=20), "outside the grid"),
        (lambda: kde_grid([5, 6], [5], GRID, bandwidth=20), "lengths do not match"),
        (lambda: kde_grid([5], [5], GRID, bandwidth=20, kernel="box"), "kernel"),
        (lambda: bin_points([-1], [5], GRID), "outside the grid"),
        (lambda: bin_points([], [], GRID), "empty"),
        (lambda: Grid(x0=0.0, y0=0.0, cell_size=0.0, nx=3, ny=3), "cell_size"),
        (lambda: project_lonlat([200], [10]), "longitude"),
        (lambda: project_lonlat([4], [50], epsg=4326), "not a projected"),
        (lambda: knox_test([0, 1], [0, 1], [0, np.nan], **KNOX), "NaN"),
        (lambda: knox_test([0, 1], [0, 1], [0], **KNOX), "lengths do not match"),
        (lambda: knox_test([0], [0], [0], **KNOX), "at least 2 events"),
        (
            lambda: knox_test([0, 1], [0, 1], [0, 1], spatial_bands=[100, 50], temporal_bands=[7]),
            "increasing",
        ),
        (
            lambda: knox_test([0, 1], [0, 1], [0, 1], spatial_bands=[0], temporal_bands=[7]),
            "positive",
        ),
        (
            lambda: knox_test([0, 1], [0, 1], [0, 1], spatial_bands=[10], temporal_bands=[1.5]),
            "whole",
        ),
        (lambda: knox_test([0, 1], [0, 1], [0, 1], iterations=0, **KNOX), "iterations"),
        (lambda: knox_test([0, 1], [0, 1], [0, 1], metric="chebyshev", **KNOX), "metric"),
        (
            lambda: knox_test(
                [0, 1], [0, 1], np.array(["2020-01-01", "NaT"], "datetime64[D]"), **KNOX
            ),
            "NaT",
        ),
        (lambda: pai([1, 2], [True]), "shape"),
        (lambda: pai([1, 2], [False, False]), "no cells"),
        (lambda: pai([0, 0], [True, False]), "sum to zero"),
        (lambda: pai([1, -2], [True, False]), "non-negative"),
        (lambda: mann_kendall([3, 3, 3, 3]), "constant"),
        (lambda: mann_kendall([1, np.nan, 3, 4]), "NaN"),
    ],
)
def test_value_error_names_the_problem(call, message):
    with pytest.raises(ValueError, match=message):
        call()
