"""Hour-by-weekday profile and the monthly trend test."""

import numpy as np
import pytest
from scipy import stats

from secu4all.engines.spatial import hour_weekday_counts, mann_kendall, monthly_series


def test_hour_weekday_counts():
    stamps = np.array(
        ["2024-01-01T00:30", "2024-01-01T23:59", "2024-01-07T12:00", "2024-01-08T00:00"],
        dtype="datetime64[m]",
    )  # Monday, Monday, Sunday, Monday
    counts = hour_weekday_counts(stamps).counts
    assert counts.shape == (7, 24)
    assert counts.sum() == 4
    assert counts[0, 0] == 2
    assert counts[0, 23] == 1
    assert counts[6, 12] == 1


def test_mann_kendall_equals_kendalltau():
    series = np.array([5, 7, 6, 9, 9, 12, 10, 14, 13, 13, 17, 16])
    result = mann_kendall(series)
    reference = stats.kendalltau(np.arange(series.size), series, method="asymptotic")
    assert float(result.tau) == pytest.approx(reference.statistic, rel=1e-12)
    assert float(result.p) == pytest.approx(reference.pvalue, rel=1e-9)
    assert float(result.slope) == pytest.approx(stats.theilslopes(series).slope)
    # Hand count without ties would be 66 pairs; S = concordant - discordant.
    assert float(result.s) == 54


def test_monthly_series_keeps_empty_months(chicago):
    dates = np.array(["2020-01-15", "2020-01-20", "2020-03-01"], dtype="datetime64[D]")
    series = monthly_series(np.concatenate([dates, dates[:1]]))
    np.testing.assert_array_equal(series.counts, [3, 0, 1])
    assert series.months[1] == np.datetime64("2020-02")
    burglary = monthly_series(chicago[2014][2])
    assert burglary.counts.sum() == 12334
    assert burglary.counts.size == 12
