"""Knox test on the Chicago burglaries vs a naive all-pairs numpy implementation."""

import csv
import sys
from pathlib import Path

import numpy as np
from _common import SHARED_DATA, best_time, report

from secu4all.engines.spatial import knox_test

CSV = SHARED_DATA / "chicago_burglary_2014_2017.csv"


def load() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with Path(CSV).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    x = np.array([float(row["x"]) for row in rows])
    y = np.array([float(row["y"]) for row in rows])
    dates = [row["date_single"].split("/") for row in rows]
    days = np.array([f"{yr}-{mo}-{da}" for da, mo, yr in dates], dtype="datetime64[D]")
    return x, y, days


def naive_knox(x, y, days, s_edges, t_edges, iterations, seed):
    """All pairs, every iteration: O(n^2) per iteration."""
    i, j = np.triu_indices(x.size, k=1)
    distance = np.hypot(x[i] - x[j], y[i] - y[j])
    row = np.where(distance == 0, 0, np.searchsorted(s_edges, distance, side="left") + 1)
    t = days.astype(np.int64)
    rng = np.random.default_rng(seed)
    tables = []
    for _ in range(iterations + 1):
        gap = np.abs(t[i] - t[j])
        col = np.searchsorted(t_edges, gap, side="left")
        tables.append(np.bincount(row * (t_edges.size + 1) + col))
        t = rng.permutation(t)
    return tables


def reference_time(x, y, days, s_edges, t_edges, iterations, sample=3000) -> float:
    """Naive Knox on ``sample`` events and 5 iterations, scaled by pairs and iterations."""
    pick = np.random.default_rng(0).choice(x.size, sample, replace=False)
    seconds = best_time(
        lambda: naive_knox(x[pick], y[pick], days[pick], s_edges, t_edges, 4, 0), repeats=1
    )
    return seconds * (x.size / sample) ** 2 * (iterations + 1) / 5


def main() -> None:
    if not CSV.exists():
        sys.exit(f"missing {CSV}: the Knox benchmark needs ../shared/data next to the repo")
    x, y, days = load()
    year = days.astype("datetime64[Y]").astype(int) + 1970
    m = year == 2014
    s1, t1 = np.array([200.0]), np.array([7.0])
    ours = best_time(
        lambda: knox_test(
            x[m], y[m], days[m], spatial_bands=s1, temporal_bands=t1, iterations=99, seed=1
        )
    )
    reference = reference_time(x[m], y[m], days[m], s1, t1, 99)
    report(
        "Knox 2014 (12,334), 1x1 bands, 99 it.",
        ours,
        reference,
        "naive all-pairs numpy, scaled; NRC took 534 s",
        "<= 1 s",
        ours <= 1,
    )
    s5, t5 = 100.0 * np.arange(1, 6), 7.0 * np.arange(1, 6)
    ours = best_time(
        lambda: knox_test(x, y, days, spatial_bands=s5, temporal_bands=t5, iterations=999, seed=1),
        repeats=1,
    )
    reference = reference_time(x, y, days, s5, t5, 999)
    report(
        "Knox all (45,319), 5x5 bands (100 m, 7 d), 999 it.",
        ours,
        reference,
        "naive all-pairs numpy, scaled",
        "<= 30 s",
        ours <= 30,
    )


if __name__ == "__main__":
    main()
