"""Scale scores and SDG 16.1.4, worked by hand."""

import math

import numpy as np
import pytest

from secu4all.engines.survey import scale_score, sdg_16_1_4, weighted_proportion


def test_scale_score_reverse_codes_averages_and_rescales():
    # Social cohesion style: five agree–disagree items 1–5, items 2 and 4 reverse-coded.
    answers = np.array(
        [
            [5, 1, 5, 1, 5],  # most cohesive possible
            [1, 5, 1, 5, 1],  # least
            [4, 2, np.nan, 3, np.nan],  # three answered: 4, 4, 3 -> mean 11/3
            [3, np.nan, np.nan, np.nan, 2],  # two answered, below the default of three
        ]
    )
    reverse = [False, True, False, True, False]
    scores = scale_score(answers, low=1, high=5, reverse=reverse)
    assert scores[0] == pytest.approx(10)
    assert scores[1] == pytest.approx(0)
    assert scores[2] == pytest.approx(10 * (11 / 3 - 1) / 4)
    assert math.isnan(scores[3])
    assert scale_score(answers, low=1, high=5, reverse=reverse, min_answered=2)[3] == (
        pytest.approx(10 * (2.5 - 1) / 4)
    )


def test_scale_score_default_min_answered_is_half_rounded_up():
    answers = np.array([[1, 2, np.nan, np.nan], [1, np.nan, np.nan, np.nan]])
    scores = scale_score(answers, low=1, high=3)
    assert scores[0] == pytest.approx(10 * 0.5 / 2)
    assert math.isnan(scores[1])


def test_report_mark_one_to_ten_as_a_single_item():
    scores = scale_score([[1], [10], [7]], low=1, high=10)
    assert scores == pytest.approx([0, 10, 60 / 9])


def test_sdg_16_1_4_is_the_weighted_share_very_safe_or_safe():
    codes = np.array([1, 2, 3, 4, 2, np.nan, 1, 3])
    weights = np.array([1.0, 2.0, 1.0, 1.0, 3.0, 5.0, 1.0, 2.0])
    estimate = sdg_16_1_4(codes, weights, min_n=1)
    assert estimate.value == pytest.approx((1 + 2 + 3 + 1) / (1 + 2 + 1 + 1 + 3 + 1 + 2))
    assert estimate.n == 7
    y = np.array([1, 1, 0, 0, 1, np.nan, 1, 0])
    assert estimate == weighted_proportion(y, weights, min_n=1)


def test_sdg_16_1_4_other_safe_codes_and_suppression():
    codes = [1, 2, 2, 3, 4]
    assert sdg_16_1_4(codes, np.ones(5), safe_codes=(1,)).value == pytest.approx(0.2)
    assert sdg_16_1_4(codes, np.ones(5)).suppressed
