"""Shared fixtures for the survey engine tests: the NHANES II subsample and samplics."""

import csv
import gzip
import warnings
from pathlib import Path

import numpy as np
import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "survey"


@pytest.fixture(scope="session")
def nhanes():
    """Columns of the NHANES II subsample as float arrays (NaN where the answer is missing)."""
    with gzip.open(DATA / "nhanes2.csv.gz", "rt", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        name: np.array([float(row[name]) if row[name] != "" else np.nan for row in rows])
        for name in rows[0]
    }


@pytest.fixture(scope="session")
def samplics():
    """The samplics package, imported without its 'archived' FutureWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        import samplics

    return samplics
