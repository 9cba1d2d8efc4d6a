"""Knox test on the Chicago burglaries vs a naive all-pairs numpy implementation."""

import csv
import sys
from pathlib import Path

import numpy as np
from _common import SHARED_DATA, best_time, report

from secu4all.engines.spatial import knox_test, project_lonlat, utm_epsg
from secu4all.engines.spatial.knox import _close_pairs, _pairs_per_column
from secu4all.incidents.demo_generator import generate

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


def demo_town() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The demo town's located incidents with a known day, as the near-repeat page reads them."""
    rows = [r for r in generate() if r["lon"]]
    lon = np.array([float(r["lon"]) for r in rows])
    lat = np.array([float(r["lat"]) for r in rows])
    epsg = utm_epsg(float(lon.mean()), float(lat.mean()))
    projected = project_lonlat(lon, lat, epsg=epsg)
    return projected.x, projected.y, np.array([r["date"] for r in rows], dtype="datetime64[D]")


def previous_knox(x, y, days, s_edges, t_edges, iterations, seed):
    """The counting knox_test used until issue #15, kept as the reference of the faster one:
    per permutation a cell index for every close pair, then one bincount. Returns p."""
    first, second, spatial_row = _close_pairs(x, y, s_edges, "euclidean", "left")
    n_rows, n_cols = s_edges.size + 2, t_edges.size + 1
    t = days - days.min()
    longest = int(t_edges[-1]) + 1
    temporal_column = np.searchsorted(t_edges, np.arange(longest + 1), side="left")
    cell_base = spatial_row * n_cols
    column_totals = _pairs_per_column(t, temporal_column, n_cols)

    def table(dates):
        gap = np.minimum(np.abs(dates[first] - dates[second]), longest)
        inner = np.bincount(cell_base + temporal_column[gap], minlength=(n_rows - 1) * n_cols)
        inner = inner.reshape(n_rows - 1, n_cols)
        return np.vstack([inner, column_totals - inner.sum(axis=0)])

    observed = table(t)
    rng = np.random.default_rng(seed)
    simulated = np.stack([table(rng.permutation(t)) for _ in range(iterations)])
    return (1.0 + (simulated >= observed).sum(axis=0)) / (iterations + 1.0)


def against_previous(name: str, x, y, days) -> None:
    """The near-repeat page's table (3 x 3 bands of 100 m and 7 days, 99 permutations)
    against the previous counting with the same seed: the p-values must be identical."""
    s3, t3 = 100.0 * np.arange(1, 4), 7.0 * np.arange(1, 4)
    t = days.astype("datetime64[D]").astype(np.int64)

    def ours_run():
        return knox_test(x, y, t, spatial_bands=s3, temporal_bands=t3, iterations=99, seed=0)

    same = np.array_equal(ours_run().p, previous_knox(x, y, t, s3, t3, 99, 0))
    ours = best_time(ours_run)
    reference = best_time(lambda: previous_knox(x, y, t, s3, t3, 99, 0))
    report(
        f"{name}, 3x3 bands, 99 it.; same p-values: {same}",
        ours,
        reference,
        "previous counting, same run",
        "faster, same p",
        same and ours < reference,
    )


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
    demo_x, demo_y, demo_days = demo_town()
    x, y, days = load()
    year = days.astype("datetime64[Y]").astype(int) + 1970
    m = year == 2014
    against_previous("Knox 2014 (12,334)", x[m], y[m], days[m])
    # The near-repeat page on the demo town: 6,000 located incidents over two years in a
    # few km², about 900,000 pairs within 300 m.
    against_previous(f"Knox demo town ({demo_x.size:,})", demo_x, demo_y, demo_days)
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
