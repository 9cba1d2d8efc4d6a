"""Bad input gets a ValueError that names the problem."""

import numpy as np
import pytest

from secu4all.engines.evaluation import (
    did,
    empirical_bayes_rates,
    funnel_limits,
    placebo_test,
    rate_ratio,
    segmented_regression,
    simplex_least_squares,
    staggered_did,
    synthetic_control,
    weighted_displacement_quotient,
)

RNG = np.random.default_rng(0)
DONORS = RNG.normal(size=(12, 4)).cumsum(axis=0)
TREATED = DONORS @ np.array([0.4, 0.3, 0.2, 0.1]) + RNG.normal(scale=0.1, size=12)


def _with(array, index, value):
    changed = np.array(array, dtype=float)
    changed[index] = value
    return changed


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"donors": DONORS[:, :1]}, "at least 2 donors"),
        ({"pre_periods": 0}, r"pre_periods must lie in 1\.\.11"),
        ({"pre_periods": 12}, r"pre_periods must lie in 1\.\.11"),
        ({"pre_periods": 2.5}, "pre_periods must be an integer"),
        ({"treated": _with(TREATED, 3, np.nan)}, "treated has a missing .* pre-period at row 3"),
        ({"donors": _with(DONORS, (2, 1), np.nan)}, "pre-period: row 2, donor 1"),
        ({"donors": np.column_stack([DONORS, TREATED])}, "donor 4 is identical to the treated"),
        ({"treated": np.full(12, 3.0)}, "treated is constant in the pre-period"),
        ({"donors": _with(DONORS, (slice(None), 2), 1.0)}, "donor 2 is constant"),
        ({"donors": DONORS[:10]}, r"donors has 10 rows .* treated has 12"),
        ({"donors": DONORS[:, 0]}, "donors must be 2-dimensional"),
        ({"treated": _with(TREATED, 0, np.inf)}, "treated has an infinite value at index 0"),
        ({"treated": ["a"] * 12}, "treated must be numeric"),
        ({"predictors": np.ones(3)}, "give both predictors and donor_predictors"),
        (
            {"predictors": np.ones(3), "donor_predictors": np.ones((2, 4))},
            r"donor_predictors must have shape \(3, 4\)",
        ),
        (
            {"predictors": np.ones(2), "donor_predictors": np.ones((2, 4))},
            "predictor 0 has the same value for every unit",
        ),
    ],
)
def test_synthetic_control_names_the_problem(kwargs, message):
    arguments = {"treated": TREATED, "donors": DONORS, "pre_periods": 8, **kwargs}
    with pytest.raises(ValueError, match=message):
        synthetic_control(arguments.pop("treated"), arguments.pop("donors"), **arguments)


def test_nan_after_the_intervention_is_allowed():
    result = synthetic_control(_with(TREATED, 10, np.nan), DONORS, pre_periods=8)
    assert np.isnan(result.gap[10])


def test_placebo_test_names_the_problem():
    with pytest.raises(ValueError, match="at least 3 donors"):
        placebo_test(TREATED, DONORS[:, :2], pre_periods=8)
    with pytest.raises(ValueError, match="max_pre_rmspe_multiple must be a positive"):
        placebo_test(TREATED, DONORS, pre_periods=8, max_pre_rmspe_multiple=0)


def test_simplex_least_squares_names_the_problem():
    with pytest.raises(ValueError, match="matrix has 3 rows but target has 2"):
        simplex_least_squares(np.ones((3, 2)), np.ones(2))
    with pytest.raises(ValueError, match="max_iterations must lie in >= 0"):
        simplex_least_squares(np.ones((3, 2)), np.ones(3), max_iterations=-1)


AREA = np.repeat(np.arange(4), 4)
PERIOD = np.tile(np.arange(4), 4)
ON = ((AREA < 2) & (PERIOD >= 2)).astype(float)
Y = RNG.normal(size=16)
POPULATION = np.full(16, 1000.0)
COUNTS = RNG.poisson(5, size=16).astype(float)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"treated": _with(ON, 0, 2)}, "treated must be 0 or 1: row 0 has 2"),
        ({"treated": np.zeros(16)}, "both treated"),
        ({"outcome": Y[:15]}, "lengths do not match"),
        ({"outcome": _with(Y, 5, np.nan)}, r"outcome has a missing \(NaN\) value at index 5"),
        ({"period": _with(PERIOD, 1, 0)}, "area 0 has more than one row for period 0"),
        ({"outcome": np.ones(16)}, "outcome is constant"),
        ({"model": "logit"}, "model must be one of"),
        ({"exposure": POPULATION}, "exposure is only used with model='poisson'"),
        ({"model": "poisson", "outcome": COUNTS}, "needs exposure"),
        (
            {"model": "poisson", "outcome": COUNTS, "exposure": _with(POPULATION, 7, -5)},
            "exposure must not be negative: index 7 has -5",
        ),
        (
            {"model": "poisson", "outcome": COUNTS, "exposure": _with(POPULATION, 7, 0)},
            "exposure must be positive: index 7",
        ),
        (
            {"model": "poisson", "outcome": _with(COUNTS, 2, 1.5), "exposure": POPULATION},
            "outcome must be whole counts: index 2",
        ),
        ({"treated": (AREA < 2).astype(float)}, "does not vary within areas and periods"),
        ({"level": 1.5}, "level must lie strictly between 0 and 1"),
    ],
)
def test_did_names_the_problem(kwargs, message):
    arguments = {"outcome": Y, "area": AREA, "period": PERIOD, "treated": ON, **kwargs}
    with pytest.raises(ValueError, match=message):
        did(
            arguments.pop("outcome"),
            arguments.pop("area"),
            arguments.pop("period"),
            arguments.pop("treated"),
            **arguments,
        )


def test_staggered_did_names_the_problem():
    start = np.where(AREA < 2, 2.0, np.nan)
    with pytest.raises(ValueError, match="balanced panel"):
        staggered_did(Y[:15], AREA[:15], PERIOD[:15], start[:15])
    with pytest.raises(ValueError, match="same in every row of area 0"):
        staggered_did(Y, AREA, PERIOD, _with(start, 0, 3.0))
    with pytest.raises(ValueError, match="at least 2 never-treated"):
        staggered_did(Y, AREA, PERIOD, np.where(AREA < 3, 2.0, np.nan))
    with pytest.raises(ValueError, match="start 7 is not one of the periods"):
        staggered_did(Y, AREA, PERIOD, np.where(AREA < 2, 7.0, np.nan))
    with pytest.raises(ValueError, match="no before-period"):
        staggered_did(Y, AREA, PERIOD, np.where(AREA < 2, 0.0, np.nan))


def test_rates_name_the_problem():
    with pytest.raises(ValueError, match="population must not be negative: index 1 has -40"):
        empirical_bayes_rates([1, 2], [100, -40])
    with pytest.raises(ValueError, match="events must be whole counts: index 0"):
        funnel_limits([0.5, 2], [100, 40])
    with pytest.raises(ValueError, match="lengths do not match"):
        empirical_bayes_rates([1, 2, 3], [100, 40])
    with pytest.raises(ValueError, match="both 0"):
        rate_ratio(0, 100, 0, 100)
    with pytest.raises(ValueError, match="exposure_b must be a positive"):
        rate_ratio(1, 100, 2, -1)
    with pytest.raises(ValueError, match="events_a must be a whole non-negative count"):
        rate_ratio(-1, 100, 2, 100)


def test_wdq_names_the_problem():
    counts = {
        "target_before": 10,
        "target_after": 5,
        "buffer_before": 8,
        "buffer_after": 8,
        "control_before": 100,
        "control_after": 100,
    }
    with pytest.raises(ValueError, match="buffer_after must be a non-negative count, got -1"):
        weighted_displacement_quotient(**{**counts, "buffer_after": -1})
    with pytest.raises(ValueError, match="control_after must be a positive"):
        weighted_displacement_quotient(**{**counts, "control_after": 0})


def test_segmented_regression_names_the_problem():
    series = RNG.normal(size=36)
    with pytest.raises(ValueError, match=r"start must lie in 2\.\.34"):
        segmented_regression(series, start=35)
    with pytest.raises(ValueError, match="lengths do not match"):
        segmented_regression(series, start=20, comparison=series[:30])
    with pytest.raises(ValueError, match="outcome is constant"):
        segmented_regression(np.ones(36), start=20)
    with pytest.raises(ValueError, match="8 periods are too few for 7 coefficients"):
        segmented_regression(series[:8], start=4, season_length=4)
