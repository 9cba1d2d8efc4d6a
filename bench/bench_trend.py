"""Mann-Kendall trend test of long series vs the pairwise definition (scipy kendalltau for S)."""

import numpy as np
from _common import best_time, peak_memory_mb, report
from scipy import stats

from secu4all.engines.spatial import mann_kendall

# 120,000 months: a row dated 0001-01 and one dated 9999-12 in one monthly series.
MONTHS = 120_000
SAMPLE = 2_000


def pairwise(series: np.ndarray) -> tuple[float, float]:
    """S and the Theil-Sen slope from the list of all pairs: O(n^2) memory."""
    i, j = np.triu_indices(series.size, k=1)
    return np.sign(series[j] - series[i]).sum(), np.median((series[j] - series[i]) / (j - i))


def main() -> None:
    rng = np.random.default_rng(12)
    series = rng.poisson(3, MONTHS).astype(float)
    short = series[:SAMPLE]
    ours_short = best_time(lambda: mann_kendall(short), repeats=3)
    naive_short = best_time(lambda: pairwise(short), repeats=3)
    report(
        f"Mann-Kendall + Theil-Sen, {SAMPLE:,} months",
        ours_short,
        naive_short,
        "all pairs listed",
        "equal S and slope",
        int(mann_kendall(short).s) == int(pairwise(short)[0]),
    )
    ours = best_time(lambda: mann_kendall(series), repeats=1)
    peak = peak_memory_mb(lambda: mann_kendall(series))
    kendall = best_time(lambda: stats.kendalltau(np.arange(MONTHS), series), repeats=1)
    naive_gb = MONTHS * MONTHS / 1e9 + MONTHS * (MONTHS - 1) / 2 * 24 / 1e9
    report(
        f"Mann-Kendall + Theil-Sen, {MONTHS:,} months (pairs list: {naive_gb:,.0f} GB)",
        ours,
        kendall,
        "scipy kendalltau, S and tau only",
        f"peak <= 100 MB ({peak:.0f} MB)",
        peak <= 100,
    )


if __name__ == "__main__":
    main()
