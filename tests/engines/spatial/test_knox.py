"""Knox test against the Near Repeat Calculator outputs for Chicago 2014 and 2016."""

import csv
import re

import numpy as np
import pytest

from secu4all.engines.spatial import knox_test

from .conftest import DATA


def _nrc_ratio_table(name):
    """The 'Observed over mean expected frequencies' numbers of an NRC summary."""
    text = (DATA / name).read_text(encoding="latin-1")
    section = text.split("Observed over mean expected")[1].split("Statistical significance")[0]
    return [float(v) for v in re.findall(r'class="\w+">(\d+\.\d\d)</div>', section)]


def test_2016_observed_counts_equal_nrc_verbose(chicago):
    x, y, dates = chicago[2016]
    result = knox_test(
        x,
        y,
        dates,
        spatial_bands=[100, 200, 300],
        temporal_bands=[2, 4],
        iterations=19,
        convention="nrc",
        seed=0,
    )
    with (DATA / "chicago_burglary_2016_NRobserved.csv").open(newline="") as handle:
        expected = np.array([[int(v) for v in row[1:]] for row in list(csv.reader(handle))[1:]])
    np.testing.assert_array_equal(result.observed, expected)
    assert result.observed.sum() == len(x) * (len(x) - 1) // 2
    # 19 iterations: the extreme cells reach the calculator's best p = 0.05.
    assert result.p[0, 0] == pytest.approx(0.05)
    assert result.p[-1, -1] == pytest.approx(0.05)


def test_2014_ratios_agree_with_nrc_summary(chicago):
    x, y, dates = chicago[2014]
    result = knox_test(
        x,
        y,
        dates,
        spatial_bands=[200],
        temporal_bands=[7],
        iterations=99,
        convention="nrc",
        seed=2014,
    )
    # NRC table, row by row: same location, 1 to 200 m, more than 200 m.
    nrc = np.array(_nrc_ratio_table("chicago_burglary_2014_NRsummary.htm")).reshape(3, 2)
    assert nrc[0, 0] == 5.34
    assert nrc[1, 0] == 1.28
    # Every ratio but the same-location one is pinned down to 2 decimals by the exact
    # expectation; Monte Carlo noise of 99 runs cannot move them.
    np.testing.assert_array_equal(np.round(result.ratio_exact, 2).ravel()[1:], nrc.ravel()[1:])
    np.testing.assert_array_equal(np.round(result.ratio, 2).ravel()[1:], nrc.ravel()[1:])
    # Same location, 0 to 7 days: about 54 pairs expected, so the mean of 99 runs has a
    # standard error of about 0.75 pairs (0.07 on the ratio); the NRC's 5.34 is one
    # such draw (exact ratio 5.41). Ours must lie within 3 standard errors of it.
    runs = result.simulated[:, 0, 0]
    standard_error = result.ratio[0, 0] * runs.std() / np.sqrt(runs.size) / runs.mean()
    assert abs(result.ratio[0, 0] - 5.34) < 3 * standard_error
    assert result.ratio_exact[0, 0] == pytest.approx(5.41, abs=0.005)
    # The significance table: 0.01 (best possible with 99 runs) and 1.00.
    np.testing.assert_allclose(result.p, [[0.01, 1.0], [0.01, 1.0], [1.0, 0.01]])


def test_conventions_on_a_pathological_pair():
    # Davies' example: two events 100 m and 3 days apart. The NRC puts the pair in
    # "101 to 200 m" and "4 to 6 days"; the closed convention in "1 to 100", "0 to 3".
    x, y, days = np.array([0.0, 0.0]), np.array([0.0, 100.0]), np.array([0, 3])
    nrc = knox_test(
        x,
        y,
        days,
        spatial_bands=[100, 200],
        temporal_bands=[3, 6],
        iterations=1,
        convention="nrc",
    )
    closed = knox_test(x, y, days, spatial_bands=[100, 200], temporal_bands=[3, 6], iterations=1)
    assert np.argwhere(nrc.observed).tolist() == [[2, 1]]
    assert np.argwhere(closed.observed).tolist() == [[1, 0]]
    assert closed.spatial_labels == ("0 m", "(0, 100] m", "(100, 200] m", "> 200 m")
    assert nrc.temporal_labels == ("[0, 3) days", "[3, 6) days", ">= 6 days")


def test_manhattan_and_reproducibility(chicago):
    x, y, dates = (a[:3000] for a in chicago[2016])
    euclid = knox_test(x, y, dates, spatial_bands=[100], temporal_bands=[7], iterations=9, seed=1)
    manhattan = knox_test(
        x,
        y,
        dates,
        spatial_bands=[100],
        temporal_bands=[7],
        iterations=9,
        seed=1,
        metric="manhattan",
    )
    again = knox_test(x, y, dates, spatial_bands=[100], temporal_bands=[7], iterations=9, seed=1)
    np.testing.assert_array_equal(euclid.simulated, again.simulated)
    # The 1-norm ball is inside the 2-norm ball of the same radius.
    assert manhattan.observed[:2].sum() <= euclid.observed[:2].sum()
    np.testing.assert_array_equal(euclid.observed.sum(axis=0), manhattan.observed.sum(axis=0))
    # Brute force check of the closed convention on this subset.
    i, j = np.triu_indices(len(x), k=1)
    d = np.hypot(x[i] - x[j], y[i] - y[j])
    gap = np.abs((dates[i] - dates[j]).astype(int))
    assert euclid.observed[1, 0] == int(((d > 0) & (d <= 100) & (gap <= 7)).sum())
    assert euclid.observed[2, 1] == int(((d > 100) & (gap > 7)).sum())


def _direct_tables(x, y, days, s_edges, t_edges, iterations, seed):
    """The test's tables the direct way, one pass over every pair and every permutation: the
    reference the fast counting must match draw for draw."""
    i, j = np.triu_indices(len(x), k=1)
    distance = np.hypot(x[i] - x[j], y[i] - y[j])
    row = np.where(distance == 0, 0, np.searchsorted(s_edges, distance, side="left") + 1)
    t = np.asarray(days, dtype=np.int64)
    t = t - t.min()
    rng = np.random.default_rng(seed)
    size = (len(s_edges) + 2) * (len(t_edges) + 1)

    def table(dates):
        column = np.searchsorted(t_edges, np.abs(dates[i] - dates[j]), side="left")
        cells = np.bincount(row * (len(t_edges) + 1) + column, minlength=size)
        return cells.reshape(len(s_edges) + 2, len(t_edges) + 1)

    return table(t), np.stack([table(rng.permutation(t)) for _ in range(iterations)])


@pytest.mark.parametrize("span_days", [60, 200_000])
def test_fast_counting_gives_the_same_draws_and_p_values_for_a_seed(span_days) -> None:
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 800, 300), rng.uniform(0, 800, 300)
    x[:5], y[:5] = x[5], y[5]  # a few events at one location
    days = rng.integers(0, span_days, 300)
    s_edges, t_edges = np.array([100.0, 200.0]), np.array([7.0, 14.0])
    observed, simulated = _direct_tables(x, y, days, s_edges, t_edges, 19, 4)
    result = knox_test(
        x, y, days, spatial_bands=s_edges, temporal_bands=t_edges, iterations=19, seed=4
    )
    np.testing.assert_array_equal(result.observed, observed)
    np.testing.assert_array_equal(result.simulated, simulated)
    p = (1.0 + (simulated >= observed).sum(axis=0)) / 20.0
    np.testing.assert_array_equal(result.p, p)
