"""Bad input raises a ValueError (a MarginError for margins) whose message names the problem."""

import numpy as np
import pytest

from secu4all.engines.survey import (
    MarginError,
    by_domain,
    check_margins,
    kish_effective_n,
    post_stratify,
    rake,
    rake_by_group,
    scale_score,
    sdg_16_1_4,
    shares,
    weighted_mean,
    weighted_proportion,
)

AGE = ["16-34", "35-64", "65+", "16-34"]
SEX = ["F", "M", "F", "M"]
MARGINS = {
    "age": {"16-34": 300, "35-64": 500, "65+": 200},
    "sex": {"F": 510, "M": 490},
}


def margins(**changes):
    result = {name: dict(categories) for name, categories in MARGINS.items()}
    for name, categories in changes.items():
        result[name] = categories
    return result


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({}, "margins are empty"),
        (margins(age={}), "'age' has no categories"),
        (margins(sex={"F": 510, "M": -490}), r"'sex', category 'M'.*at least 0"),
        (margins(sex={"F": 510, "M": float("nan")}), r"'sex', category 'M'"),
        (margins(sex={"F": 510, "M": "many"}), r"'sex', category 'M'"),
        (margins(sex={"F": 0, "M": 0}), "'sex' has a total population of 0"),
        (margins(sex={"F": 610, "M": 490}), r"'sex' sums to 1,100 but 'age' sums to 1,000"),
    ],
)
def test_check_margins(bad, message):
    with pytest.raises(MarginError, match=message):
        check_margins(bad)


def test_check_margins_accepts_rounding_differences():
    # Totals may differ by up to 0.5 %: 1,004 against 1,000 passes, 1,006 is refused.
    assert check_margins(margins(sex={"F": 512, "M": 492})) is None
    with pytest.raises(MarginError, match=r"'sex' sums to 1,006 but 'age' sums to 1,000"):
        check_margins(margins(sex={"F": 514, "M": 492}))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        # A stratum (cell) of the data that the margin file does not cover.
        (
            lambda: rake({"age": [*AGE, "12-15"], "sex": [*SEX, "F"]}, MARGINS),
            "'age': category '12-15' has 1 respondent",
        ),
        (
            lambda: rake({"age": AGE, "sex": SEX}, margins(age={"16-34": 300, "35-64": 700})),
            "'age': category '65\\+' has 1 respondent.*not in the margins",
        ),
        # A margin category that no respondent falls in.
        (
            lambda: rake({"age": AGE, "sex": SEX}, margins(sex={"F": 500, "M": 490, "X": 10})),
            "'sex': category 'X' has a population of 10 but no respondents",
        ),
        (
            lambda: rake({"age": AGE, "sex": SEX}, margins(sex={"F": 600, "M": 490})),
            "different populations",
        ),
        (
            lambda: rake({"age": AGE}, MARGINS),
            r"variables \['age'\] and margins \['age', 'sex'\] do not match",
        ),
        (
            lambda: rake({"age": AGE, "sex": SEX}, margins(sex={"F": 1000, "M": 0})),
            "'sex' category 'M' has respondents but a population of 0",
        ),
    ],
)
def test_rake_margin_errors(call, message):
    with pytest.raises(MarginError, match=message):
        call()


def test_rake_that_cannot_converge_says_how_far_and_where():
    # Young respondents are all women and old all men: the margins cannot both be met.
    variables = {"age": ["young", "young", "old"], "sex": ["F", "F", "M"]}
    bad = {"age": {"young": 600, "old": 400}, "sex": {"F": 500, "M": 500}}
    with pytest.raises(MarginError, match=r"after 50 iterations.*gap is \d+\.\d+% .*for (age|sex)"):
        rake(variables, bad, max_iter=50)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: post_stratify(["a", "b", "z"], {"a": 10, "b": 5}),
            "cell 'z' has 1 respondent.*no population",
        ),
        (
            lambda: post_stratify(["a", "a"], {"a": 10, "b": 5}),
            "cell 'b' has a population of 5 but no respondents",
        ),
        (
            lambda: post_stratify([("Noord", "F")], {("Noord", "F"): 0, ("Zuid", "F"): 3}),
            r"\('Zuid', 'F'\) has a population of 3",
        ),
        (
            lambda: post_stratify(["a", "b"], {"a": 10, "b": 0}),
            "cell 'b' has respondents but a population of 0",
        ),
        (
            lambda: post_stratify(["a", "b"], {"a": 10, "b": -1}),
            "category 'b'.*at least 0",
        ),
    ],
)
def test_post_stratify_margin_errors(call, message):
    with pytest.raises(MarginError, match=message):
        call()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        # Negative, missing or infinite weights.
        (lambda: weighted_mean([1, 2, 3], [1, -2, 1]), "weights must not be negative: index 1"),
        (lambda: weighted_mean([1, 2], [1, np.nan]), "weights has a missing .* index 1"),
        (lambda: weighted_mean([1, 2], [0, 0]), "weights are all zero"),
        (lambda: weighted_proportion([1, 0], [1, np.inf]), "weights has an infinite value"),
        (lambda: kish_effective_n([1, -1]), "must not be negative"),
        (lambda: post_stratify(["a"], {"a": 1}, [-1.0]), "base_weights must not be negative"),
        # Length mismatch.
        (lambda: weighted_mean([1, 2, 3], [1, 1]), "y has 3, weights has 2"),
        (
            lambda: weighted_mean([1, 2], [1, 1], strata=["a"]),
            "lengths do not match: y has 2, strata has 1",
        ),
        (
            lambda: by_domain([1, 0], [1, 1], ["Noord"]),
            "lengths do not match: y has 2, domains has 1",
        ),
        (
            lambda: rake({"age": AGE, "sex": SEX[:3]}, MARGINS),
            "lengths do not match: age has 4, sex has 3",
        ),
        (
            lambda: rake({"age": AGE, "sex": SEX}, MARGINS, [1.0, 1.0]),
            "base_weights has 2, respondents 4",
        ),
        (lambda: post_stratify(["a", "a"], {"a": 1}, [1.0]), "base_weights has 1"),
        # Empty input.
        (lambda: weighted_mean([], []), "y is empty"),
        (lambda: weighted_proportion([], []), "y is empty"),
        (lambda: kish_effective_n([]), "weights is empty"),
        (lambda: post_stratify([], {"a": 1}), "cells is empty"),
        (lambda: rake({"age": [], "sex": []}, MARGINS), "variables are empty"),
        (lambda: scale_score(np.empty((0, 3)), low=1, high=5), "answers is empty"),
        (lambda: sdg_16_1_4([], []), "codes is empty"),
        # Codes outside the scale.
        (lambda: sdg_16_1_4([1, 2, 5], [1, 1, 1]), r"1 \(very safe\) to 4.*index 2 has 5"),
        (lambda: sdg_16_1_4([0, 1], [1, 1]), "index 0 has 0"),
        (lambda: sdg_16_1_4([1, 2], [1, 1], safe_codes=(1, 5)), "safe_codes"),
        (lambda: weighted_proportion([0, 1, 2], [1, 1, 1]), "0, 1 or NaN.*index 2 has 2"),
        (
            lambda: scale_score([[1, 2], [3, 6]], low=1, high=5),
            "answer 6 of respondent row 1, item column 1 is outside the scale 1–5",
        ),
        (
            lambda: scale_score([[1, 2.5]], low=1, high=5),
            "answer 2.5 .* item column 1 .*whole numbers",
        ),
        (lambda: scale_score([[0, 2]], low=1, high=5), "respondent row 0, item column 0"),
        (lambda: shares([1, 2, 4], [1, 1, 1], [1, 2, 3]), "one of 1, 2, 3 or NaN: index 2 has 4"),
        (lambda: shares([1, 2], [1, 1], []), "categories must be a non-empty"),
        # Other arguments.
        (lambda: scale_score([[1, 2]], low=5, high=1), "low must be below high"),
        (lambda: scale_score([1, 2], low=1, high=5), "respondents × items"),
        (lambda: scale_score([[1, 2]], low=1, high=5, reverse=[True]), "one boolean per item"),
        (lambda: scale_score([[1, 2]], low=1, high=5, reverse=[1, 0]), "one boolean per item"),
        (lambda: scale_score([[1, 2]], low=1, high=5, min_answered=3), "between 1 and 2"),
        (lambda: weighted_mean(["a", "b"], [1, 1]), "y must be numeric"),
        (lambda: weighted_mean([[1, 2]], [1]), "1-dimensional"),
        (lambda: weighted_mean([1, 2], [1, 1], level=95), "level"),
        (lambda: weighted_mean([1, 2], [1, 1], min_n=-1), "min_n"),
        (lambda: by_domain([1, 0], [1, 1], ["a", "b"], kind="median"), "kind"),
        (lambda: rake({"age": AGE, "sex": SEX}, MARGINS, tol=0), "tol must be positive"),
        (
            lambda: rake({"age": AGE, "sex": SEX}, MARGINS, max_iter=0),
            "max_iter must be at least 1",
        ),
        (lambda: weighted_mean([1, 2], [1, 1], strata=[["a"], ["b"]]), "hashable"),
    ],
)
def test_bad_input_names_the_problem(call, message):
    with pytest.raises(ValueError, match=message):
        call()


FEASIBLE = margins(age={"16-34": 300, "35-64": 300, "65+": 400})
GROUP_MARGINS = {"Noord": FEASIBLE, "Zuid": FEASIBLE}
TWO_GROUPS = {"age": AGE * 2, "sex": SEX * 2}


@pytest.mark.parametrize(
    ("groups", "group_margins", "message"),
    [
        (["Noord"] * 4 + ["West"] * 4, GROUP_MARGINS, "group 'West' has respondents but no"),
        (["Noord"] * 8, GROUP_MARGINS, "group 'Zuid' has a population but no respondents"),
        (
            ["Noord"] * 4 + ["Zuid"] * 4,
            {"Noord": FEASIBLE, "Zuid": {**FEASIBLE, "sex": {"F": 500, "M": 490, "X": 10}}},
            "group 'Zuid': 'sex': category 'X' has a population of 10 but no respondents",
        ),
    ],
)
def test_rake_by_group_names_the_group(groups, group_margins, message):
    with pytest.raises(MarginError, match=message):
        rake_by_group(groups, TWO_GROUPS, group_margins)


def test_margin_error_is_a_value_error():
    assert issubclass(MarginError, ValueError)
