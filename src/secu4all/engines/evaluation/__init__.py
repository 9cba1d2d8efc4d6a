"""Evaluation engine: did an intervention work?

Pure numpy/scipy computation with no Django import and no I/O: synthetic control with
exact simplex weights and placebo inference, difference-in-differences (TWFE for rates and
Poisson for counts, clustered errors, wild cluster bootstrap, staggered starts with
group-time effects and an event study), the weighted displacement quotient, exact rate
ratios, empirical-Bayes rates, funnel limits and segmented time-series regression. Bad input
raises a ``ValueError`` naming the problem. See docs/evaluation.md for which method fits.
"""

from .did import DiDResult, PreTrend, did
from .displacement import DisplacementQuotient, weighted_displacement_quotient
from .its import Segmented, newey_west_meat, segmented_regression
from .rates import (
    FunnelLimits,
    RateRatio,
    SmoothedRates,
    empirical_bayes_rates,
    funnel_limits,
    rate_ratio,
)
from .staggered import StaggeredDiD, staggered_did
from .synthetic import (
    PlaceboTest,
    SyntheticControl,
    placebo_test,
    simplex_least_squares,
    synthetic_control,
)

__all__ = [
    "DiDResult",
    "DisplacementQuotient",
    "FunnelLimits",
    "PlaceboTest",
    "PreTrend",
    "RateRatio",
    "Segmented",
    "SmoothedRates",
    "StaggeredDiD",
    "SyntheticControl",
    "did",
    "empirical_bayes_rates",
    "funnel_limits",
    "newey_west_meat",
    "placebo_test",
    "rate_ratio",
    "segmented_regression",
    "simplex_least_squares",
    "staggered_did",
    "synthetic_control",
    "weighted_displacement_quotient",
]
