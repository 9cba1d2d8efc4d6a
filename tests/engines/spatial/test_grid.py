"""Projection to metres, square binning and hexagonal binning."""

import numpy as np
import pytest

from secu4all.engines.spatial import (
    Grid,
    bin_points,
    grid_for_points,
    hex_bin,
    project_lonlat,
    utm_epsg,
)


def test_utm_zone_chosen_automatically():
    assert utm_epsg(4.35, 50.85) == 32631  # Brussels
    assert utm_epsg(-87.63, 41.88) == 32616  # Chicago
    assert utm_epsg(151.2, -33.87) == 32756  # Sydney
    projected = project_lonlat([4.35, 4.36], [50.85, 50.85])
    assert projected.epsg == 32631
    # 0.01 degree of longitude at 50.85 N is about 703 m.
    assert projected.x[1] - projected.x[0] == pytest.approx(703, abs=3)
    given = project_lonlat([4.35], [50.85], epsg=31370)  # Belgian Lambert 72
    assert given.epsg == 31370
    assert 100_000 < given.x[0] < 200_000


def test_bin_points_counts_and_edges():
    grid = Grid(x0=0.0, y0=0.0, cell_size=10.0, nx=3, ny=2)
    counts = bin_points([0, 5, 15, 29.9, 30, 0], [0, 5, 5, 19, 20, 10], grid)
    np.testing.assert_array_equal(counts, [[2, 1, 0], [1, 0, 2]])
    sums = bin_points([5, 5], [5, 5], grid, weights=[2.5, 1.0])
    assert sums[0, 0] == 3.5
    covering = grid_for_points([0, 95], [0, 41], 10.0)
    assert covering.shape == (5, 10)


def test_hex_bin_assigns_nearest_centre():
    rng = np.random.default_rng(3)
    x, y = rng.uniform(-500, 500, 2000), rng.uniform(-500, 500, 2000)
    bins = hex_bin(x, y, size=50.0)
    assert bins.counts.sum() == 2000
    centres = np.column_stack([bins.centre_x, bins.centre_y])
    nearest = np.argmin(np.hypot(x[:, None] - centres[:, 0], y[:, None] - centres[:, 1]), axis=1)
    np.testing.assert_array_equal(np.bincount(nearest, minlength=len(centres)), bins.counts)
