"""Benchmark: difference-in-differences with clustered errors against statsmodels.

Run: ``.venv/bin/python bench/bench_evaluation_did.py``.

500 areas × 120 months (60,000 rows), half the areas treated from month 61, seeded area and
month effects and serially correlated noise. Ours: TWFE with the fixed effects swept out and
standard errors clustered by area (500 clusters, so no bootstrap), plus the pre-trend test.
Reference in the same run: statsmodels OLS on the dummy regression (620 columns) with
``cov_type="cluster"``; the estimates and standard errors are checked equal. A Poisson row
(counts with population exposure) compares with statsmodels' GLM on the same dummies.
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
from _common import best_time, report

from secu4all.engines.evaluation import did


def panel(seed: int = 2025, areas: int = 500, months: int = 120):
    rng = np.random.default_rng(seed)
    area = np.repeat(np.arange(areas), months)
    month = np.tile(np.arange(months), areas)
    treated = ((area < areas // 2) & (month >= months // 2)).astype(float)
    noise = np.zeros((areas, months))
    shocks = rng.normal(size=(areas, months))
    for t in range(1, months):
        noise[:, t] = 0.4 * noise[:, t - 1] + shocks[:, t]
    population = rng.integers(200, 20000, areas)[area].astype(float)
    log_rate = -5 + 0.5 * rng.normal(size=areas)[area] + 0.2 * np.sin(month / 6) - 0.1 * treated
    counts = rng.poisson(population * np.exp(log_rate)).astype(float)
    rate = counts / population * 1000 + noise.ravel() * 0.2
    return rate, counts, area, month, treated, population


def main() -> int:
    import pandas as pd
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    rate, counts, area, month, treated, population = panel()
    ours = best_time(lambda: did(rate, area, month, treated), repeats=3)
    result = did(rate, area, month, treated)
    frame = pd.DataFrame({"y": rate, "c": counts, "a": area, "t": month, "d": treated})
    start = time.perf_counter()
    reference = smf.ols("y ~ d + C(a) + C(t)", frame).fit(
        cov_type="cluster", cov_kwds={"groups": frame["a"]}
    )
    theirs = time.perf_counter() - start
    same = np.isclose(result.effect, reference.params["d"], rtol=1e-8) and np.isclose(
        result.se, reference.bse["d"], rtol=1e-6
    )
    print(
        f"<!-- linear: ours {result.effect:.6f} (se {result.se:.6f}), statsmodels "
        f"{reference.params['d']:.6f} (se {reference.bse['d']:.6f}) -->",
        flush=True,
    )
    report(
        "DiD TWFE, clustered SE, 500 areas x 120 months",
        ours,
        theirs,
        "statsmodels OLS dummies",
        "<= 0.5 s, same estimate and SE",
        ours <= 0.5 and same,
    )
    start = time.perf_counter()
    poisson = did(counts, area, month, treated, model="poisson", exposure=population)
    ours_poisson = time.perf_counter() - start
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        glm = smf.glm(
            "c ~ d + C(a) + C(t)", frame, family=sm.families.Poisson(), offset=np.log(population)
        ).fit(cov_type="cluster", cov_kwds={"groups": frame["a"]})
    theirs_poisson = time.perf_counter() - start
    same = np.isclose(poisson.effect, glm.params["d"], rtol=1e-6) and np.isclose(
        poisson.se, glm.bse["d"], rtol=1e-5
    )
    print(
        f"<!-- poisson: ours {poisson.effect:.6f} (se {poisson.se:.6f}), statsmodels "
        f"{glm.params['d']:.6f} (se {glm.bse['d']:.6f}) -->",
        flush=True,
    )
    report(
        "DiD Poisson with exposure, clustered SE, 500 x 120",
        ours_poisson,
        theirs_poisson,
        "statsmodels GLM dummies",
        "same estimate and SE (no time target)",
        bool(same),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
