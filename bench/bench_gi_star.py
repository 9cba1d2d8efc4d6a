"""Gi* on a 500 x 500 grid of 1,000,000 points: analytic and 999 permutations vs esda."""

import warnings

import numpy as np
from _common import best_time, peak_memory_mb, report

from secu4all.engines.spatial import Grid, bin_points, grid_gi_star

SIDE = 500
PERMUTATIONS = 999


def points_grid() -> np.ndarray:
    rng = np.random.default_rng(42)
    centres = rng.uniform(0, 5000, size=(40, 2))
    clustered = centres[rng.integers(0, 40, 600_000)] + rng.normal(0, 150, (600_000, 2))
    points = np.concatenate([clustered, rng.uniform(0, 5000, (400_000, 2))]).clip(0, 4999.9)
    grid = Grid(x0=0.0, y0=0.0, cell_size=10.0, nx=SIDE, ny=SIDE)
    return bin_points(points[:, 0], points[:, 1], grid)


def main() -> None:
    import esda
    import libpysal
    from esda.crand import compute_chunk, vec_permutations
    from esda.getisord import _g_local_star_crand

    warnings.simplefilter("ignore")
    counts = points_grid()
    y = counts.ravel()
    print(f"grid {SIDE}x{SIDE} from {int(y.sum()):,} points; esda {esda.__version__}")

    ours = best_time(lambda: grid_gi_star(counts))
    w = libpysal.weights.lat2W(SIDE, SIDE, rook=False)
    reference = best_time(
        lambda: esda.G_Local(y, w, transform="B", star=True, permutations=0), repeats=1
    )
    ours_z = grid_gi_star(counts).z.ravel()
    esda_z = esda.G_Local(y, w, transform="B", star=True, permutations=0).Zs
    print(f"max |z - esda z| = {np.abs(ours_z - esda_z).max():.1e}")
    report(
        "Gi* analytic, 500x500",
        ours,
        reference,
        "esda G_Local",
        "<= 0.1 s and >= 50x",
        ours <= 0.1 and reference / ours >= 50,
    )

    ours = best_time(lambda: grid_gi_star(counts, permutations=PERMUTATIONS, seed=1), repeats=1)
    peak = peak_memory_mb(lambda: grid_gi_star(counts, permutations=PERMUTATIONS, seed=1))
    print(f"peak memory of Gi* with {PERMUTATIONS} permutations: {peak:.0f} MB")
    # esda's crand is numba code; without numba it runs as plain Python, so time its
    # two stages on part of the work and scale linearly: draws for 50 permutations
    # (x 999/50) and the per-cell loop for 300 cells (x 250,000/300).
    adjacency = w.sparse.tocsr()
    card = np.diff(adjacency.indptr)
    cells = 300
    draw_time = best_time(lambda: vec_permutations(int(card.max()), y.size, 50, 1), repeats=1)
    ids = vec_permutations(int(card.max()), y.size, PERMUTATIONS, 1)
    star = esda.G_Local(y, w, transform="B", star=True, permutations=0)
    loop_time = best_time(
        lambda: compute_chunk(
            0,
            y[:cells],
            y,
            star.Gs[:cells],
            card[:cells],
            np.ones(y.size),
            adjacency.data.astype(float),
            ids,
            y.sum(),
            False,
            _g_local_star_crand,
            0,
            "directed",
        ),
        repeats=1,
    )
    reference = draw_time * PERMUTATIONS / 50 + loop_time * y.size / cells
    try:
        import numba  # noqa: F401

        how = "esda crand, extrapolated"
    except ImportError:
        how = "esda crand WITHOUT numba, extrapolated; ~50 s with numba"
    report(
        f"Gi* {PERMUTATIONS} permutations, 500x500",
        ours,
        reference,
        how,
        "<= 5 s, peak <= 500 MB",
        ours <= 5 and peak <= 500,
    )


if __name__ == "__main__":
    main()
