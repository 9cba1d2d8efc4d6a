"""Binned FFT kernel density against the exact sum of kernels."""

import numpy as np
import pytest

from secu4all.engines.spatial import Grid, kde_grid, kernel_profile


def _exact(x, y, grid, bandwidth, kernel):
    xs, ys = grid.cell_centres()
    distance = np.hypot(xs[None, :, None] - x, ys[:, None, None] - y)
    return kernel_profile(distance, bandwidth, kernel).sum(axis=-1)


@pytest.mark.parametrize(
    ("kernel", "bandwidth"), [("quartic", 20.0), ("quartic", 75.0), ("gaussian", 15.0)]
)
def test_relative_surface_within_one_percent(kernel, bandwidth):
    rng = np.random.default_rng(2)
    x = np.concatenate([rng.normal(420, 90, 300), rng.uniform(0, 1000, 200)]).clip(0, 1000)
    y = np.concatenate([rng.normal(380, 60, 300), rng.uniform(0, 800, 200)]).clip(0, 800)
    grid = Grid(x0=0.0, y0=0.0, cell_size=10.0, nx=100, ny=80)
    result = kde_grid(x, y, grid, bandwidth=bandwidth, kernel=kernel)
    exact = _exact(x, y, grid, bandwidth, kernel)
    assert result.density.shape == grid.shape
    assert np.abs(result.relative - exact / exact.max()).max() < 0.01
    assert np.abs(result.density - exact).max() < 0.01 * exact.max()


def test_density_integrates_to_point_count():
    rng = np.random.default_rng(0)
    x, y = rng.uniform(300, 700, 1000), rng.uniform(300, 700, 1000)
    grid = Grid(x0=0.0, y0=0.0, cell_size=10.0, nx=100, ny=100)
    result = kde_grid(x, y, grid, bandwidth=50.0, weights=np.full(1000, 2.0))
    assert result.density.sum() * grid.cell_area == pytest.approx(2000, rel=1e-3)
