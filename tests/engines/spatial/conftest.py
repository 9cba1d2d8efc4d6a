"""Shared fixtures for the spatial engine tests: Columbus and the Chicago burglaries."""

import csv
import gzip
import warnings
from pathlib import Path

import numpy as np
import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "chicago-burglary"


@pytest.fixture(scope="session")
def columbus():
    """CRIME and queen contiguity of libpysal's bundled Columbus example (no download)."""
    libpysal = pytest.importorskip("libpysal")
    from libpysal import examples

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = libpysal.weights.Queen.from_shapefile(examples.get_path("columbus.shp"))
    crime = np.array(libpysal.io.open(examples.get_path("columbus.dbf")).by_col("CRIME"))
    return crime, w


@pytest.fixture(scope="session")
def chicago():
    """Events of 2014 and 2016 as (x, y, datetime64[D]) arrays, keyed by year."""
    with gzip.open(DATA / "chicago_burglary_2014_2016.csv.gz", "rt", newline="") as handle:
        rows = list(csv.DictReader(handle))
    x = np.array([float(row["x"]) for row in rows])
    y = np.array([float(row["y"]) for row in rows])
    day, month, year = zip(*(row["date_single"].split("/") for row in rows), strict=True)
    dates = np.array([f"{a}-{b}-{c}" for a, b, c in zip(year, month, day, strict=True)])
    dates = dates.astype("datetime64[D]")
    years = dates.astype("datetime64[Y]").astype(int) + 1970
    return {int(yr): (x[years == yr], y[years == yr], dates[years == yr]) for yr in (2014, 2016)}
