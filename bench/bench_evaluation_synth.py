"""Benchmark: synthetic control and its placebo test against pysyncon, in the same run.

Run: ``.venv/bin/python bench/bench_evaluation_synth.py``.

Outcome-only synthetic control of one neighbourhood from 400 donor neighbourhoods over 120
months (84 before, 36 after), seeded factor-model crime rates per 1,000 inhabitants, and
the placebo test over all 400 donors. Reference: pysyncon's ``Synth`` with the pre-period
outcomes as its predictors and a fixed equal V (``custom_V``), so it solves the same
simplex least squares with scipy's SLSQP. Its placebo time is one fit scaled by the 401
fits the placebo test needs. The Basque row times the full nested optimisation (14
predictors, V chosen) against pysyncon's ``Synth.fit`` on the same data.
"""

from __future__ import annotations

import csv
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from _common import best_time, report

from secu4all.engines.evaluation import placebo_test, synthetic_control

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def panel(seed: int = 2025, donors: int = 400, months: int = 120) -> np.ndarray:
    rng = np.random.default_rng(seed)
    factors = rng.normal(size=(months, 3)).cumsum(axis=0) * 0.3
    season = np.sin(2 * np.pi * np.arange(months) / 12)[:, None]
    loadings = rng.uniform(0.2, 1.5, size=(3, donors + 1))
    level = rng.uniform(20, 80, size=donors + 1)
    noise = rng.normal(scale=1.5, size=(months, donors + 1))
    return level + factors @ loadings + 3 * season + noise


def pysyncon_fit(treated, donors, pre_periods):
    """One pysyncon fit of the same outcome-only problem; returns its weights."""
    import pandas as pd
    from pysyncon import Synth

    names = [f"d{j}" for j in range(donors.shape[1])]
    z0 = pd.DataFrame(donors[:pre_periods], columns=names)
    z1 = pd.Series(treated[:pre_periods], name="treated")
    synth = Synth()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        synth.fit(X0=z0, X1=z1, Z0=z0, Z1=z1, custom_V=np.ones(pre_periods))
    return synth.W


def main() -> int:
    units = panel()
    treated, donors, pre = units[:, 0], units[:, 1:], 84
    ours = best_time(lambda: synthetic_control(treated, donors, pre_periods=pre), repeats=5)
    start = time.perf_counter()
    their_weights = pysyncon_fit(treated, donors, pre)
    theirs = time.perf_counter() - start
    result = synthetic_control(treated, donors, pre_periods=pre)

    def loss(weights):
        return float(np.mean((treated[:pre] - donors[:pre] @ weights) ** 2))

    print(
        f"<!-- pre-period MSE: ours {loss(result.weights):.6f}, pysyncon "
        f"{loss(their_weights):.6f}; max weight difference "
        f"{np.abs(result.weights - their_weights).max():.2e} -->",
        flush=True,
    )
    report(
        "Synthetic control, 400 donors x 120 months, outcome-only",
        ours,
        theirs,
        "pysyncon SLSQP",
        "<= 0.2 s, exact",
        ours <= 0.2,
    )
    start = time.perf_counter()
    placebo_test(treated, donors, pre_periods=pre)
    placebo = time.perf_counter() - start
    their_placebo = theirs * (donors.shape[1] + 1)
    report(
        "Placebo test over all 400 donors",
        placebo,
        their_placebo,
        "pysyncon, 1 fit x 401",
        "<= 20 s and >= 10x",
        placebo <= 20 and their_placebo / placebo >= 10,
    )
    basque(ours_only=False)
    return 0


def basque(*, ours_only: bool) -> None:
    """Nested V on the Basque panel: ours against pysyncon's Synth.fit (Nelder–Mead)."""
    from tests.engines.evaluation.conftest import DONORS, TREATED, Basque

    data = Basque()

    def fit():
        return synthetic_control(
            data.treated,
            data.donors,
            pre_periods=data.pre_periods,
            predictors=data.predictors,
            donor_predictors=data.donor_predictors,
        )

    ours = best_time(fit, repeats=3)
    weights = dict(zip(DONORS, fit().weights, strict=True))
    import pandas as pd
    from pysyncon import Dataprep, Synth

    with (ROOT / "tests" / "data" / "basque" / "basque.csv").open() as handle:
        frame = pd.DataFrame(list(csv.DictReader(handle))).replace("NA", np.nan)
    for column in frame.columns:
        if column != "regionname":
            frame[column] = pd.to_numeric(frame[column])
    sectors = [c for c in frame.columns if c.startswith("sec.")]
    prep = Dataprep(
        foo=frame,
        predictors=[c for c in frame.columns if c.startswith("school.")] + ["invest"],
        predictors_op="mean",
        time_predictors_prior=range(1964, 1970),
        special_predictors=[("gdpcap", range(1960, 1970), "mean")]
        + [(c, range(1961, 1970, 2), "mean") for c in sectors]
        + [("popdens", [1969], "mean")],
        dependent="gdpcap",
        unit_variable="regionname",
        time_variable="year",
        treatment_identifier=TREATED,
        controls_identifier=list(DONORS),
        time_optimize_ssr=range(1960, 1970),
    )
    synth = Synth()
    start = time.perf_counter()
    synth.fit(dataprep=prep, optim_method="Nelder-Mead", optim_initial="equal")
    theirs = time.perf_counter() - start
    their_weights = synth.weights(round=6)
    print(
        "<!-- Basque weights: ours Cataluna {:.4f} Madrid {:.4f}; pysyncon Cataluna {:.4f} "
        "Madrid {:.4f}; published 0.8508 / 0.1492 -->".format(
            weights["Cataluna"],
            weights["Madrid (Comunidad De)"],
            their_weights["Cataluna"],
            their_weights["Madrid (Comunidad De)"],
        ),
        flush=True,
    )
    report(
        "Synthetic control, Basque, 14 predictors, nested V",
        ours,
        theirs,
        "pysyncon Synth.fit",
        "published weights within 0.03",
        abs(weights["Cataluna"] - 0.8508) <= 0.03,
    )


if __name__ == "__main__":
    sys.exit(main())
