"""Post-stratification and raking against hand computations, a 2×2 closed form and samplics."""

import numpy as np
import pytest
from scipy import optimize

from secu4all.engines.survey import kish_effective_n, post_stratify, rake, rake_by_group


def test_kish_effective_n_by_hand():
    weights = np.array([1.0, 1.0, 2.0, 4.0])
    assert kish_effective_n(weights) == pytest.approx(8**2 / (1 + 1 + 4 + 16))
    # n / n_eff = 1 + CV² of the weights (population variance).
    assert 4 / kish_effective_n(weights) == pytest.approx(1 + weights.var() / weights.mean() ** 2)
    assert kish_effective_n(np.full(12, 7.0)) == pytest.approx(12)


def test_post_stratify_by_hand():
    cells = [("Noord", "F"), ("Noord", "F"), ("Noord", "M"), ("Zuid", "F"), ("Zuid", "F")]
    base = [1.0, 3.0, 2.0, 1.0, 1.0]
    population = {("Noord", "F"): 400, ("Noord", "M"): 350, ("Zuid", "F"): 250}
    weights = post_stratify(cells, population, base)
    # Noord/F: base 1 and 3 share 400 as 1:3; Noord/M: one respondent carries 350.
    assert weights == pytest.approx([100.0, 300.0, 350.0, 125.0, 125.0])


def test_post_stratify_without_base_weights_and_a_zero_cell():
    weights = post_stratify(["a", "b", "b"], {"a": 10, "b": 30, "c": 0})
    assert weights == pytest.approx([10.0, 15.0, 15.0])


def test_post_stratify_matches_samplics(nhanes, samplics):
    strata = nhanes["stratid"].astype(int)
    population = {int(s): float(nhanes["finalwgt"][strata == s].sum()) for s in set(strata)}
    base = np.linspace(1, 2, strata.size)
    mine = post_stratify(strata.tolist(), population, base)
    reference = samplics.SampleWeight().poststratify(base, control=population, domain=strata)
    assert mine == pytest.approx(reference, rel=1e-12)


def test_rake_two_by_two_keeps_the_odds_ratio():
    """IPF of a 2×2 table converges to the table with the margins and the sample's odds ratio."""
    age = ["young"] * 30 + ["young"] * 10 + ["old"] * 20 + ["old"] * 40
    sex = ["F"] * 30 + ["M"] * 10 + ["F"] * 20 + ["M"] * 40
    margins = {"age": {"young": 450.0, "old": 550.0}, "sex": {"F": 520.0, "M": 480.0}}
    weights = rake({"age": age, "sex": sex}, margins, tol=1e-12)

    odds_ratio = (30 * 40) / (10 * 20)
    young, female = 450.0, 520.0

    def gap(x):  # x is the young-female cell total; the others follow from the margins.
        return x * (550.0 - female + x) - odds_ratio * (young - x) * (female - x)

    x = optimize.brentq(gap, max(0.0, female - 550.0), min(young, female), xtol=1e-12)
    expected = {("young", "F"): x, ("young", "M"): young - x, ("old", "F"): female - x}
    expected[("old", "M")] = 550.0 - (female - x)
    cells = list(zip(age, sex, strict=True))
    for cell, total in expected.items():
        in_cell = np.array([c == cell for c in cells])
        assert weights[in_cell].sum() == pytest.approx(total, rel=1e-9)
        assert np.ptp(weights[in_cell]) == pytest.approx(0, abs=1e-9)  # equal within a cell


def test_rake_respects_base_weights_within_cells():
    age = ["young", "young", "old", "old"]
    sex = ["F", "F", "F", "M"]
    margins = {"age": {"young": 60, "old": 40}, "sex": {"F": 70, "M": 30}}
    weights = rake({"age": age, "sex": sex}, margins, [1.0, 2.0, 1.0, 1.0])
    assert weights[1] == pytest.approx(2 * weights[0])
    assert weights[:2].sum() == pytest.approx(60)
    assert weights[3] == pytest.approx(30)


def test_rake_nhanes_to_region_and_race_matches_samplics(nhanes, samplics):
    region = nhanes["region"].astype(int)
    race = nhanes["race"].astype(int)
    weights = nhanes["finalwgt"]
    margins = {
        "region": {int(r): float(weights[region == r].sum()) for r in set(region)},
        "race": {int(r): float(weights[race == r].sum()) for r in set(race)},
    }
    mine = rake({"region": region.tolist(), "race": race.tolist()}, margins, tol=1e-12)
    reference = samplics.SampleWeight().rake(
        np.ones(region.size),
        margins={"region": region, "race": race},
        control=margins,
        tol=1e-13,
        ctrl_tol=1e-13,
        max_iter=1000,
    )
    assert mine == pytest.approx(reference, rel=1e-8)
    for name, codes in (("region", region), ("race", race)):
        for category, total in margins[name].items():
            assert mine[codes == category].sum() == pytest.approx(total, rel=1e-10)


def test_rake_scales_margins_that_differ_by_rounding():
    margins = {"age": {"young": 500, "old": 501}, "sex": {"F": 499, "M": 500}}  # 1001 vs 999
    age, sex = ["young", "young", "old", "old"], ["F", "M", "F", "M"]
    weights = rake({"age": age, "sex": sex}, margins)
    assert weights.sum() == pytest.approx(1000)
    assert weights[:2].sum() == pytest.approx(500 * 1000 / 1001, rel=1e-7)
    assert weights[[0, 2]].sum() == pytest.approx(499 * 1000 / 999, rel=1e-7)


def test_rake_single_variable_is_post_stratification():
    sex = ["F", "M", "M", "F", "M"]
    base = np.array([1.0, 2.0, 1.0, 3.0, 1.0])
    population = {"F": 60.0, "M": 40.0}
    assert rake({"sex": sex}, {"sex": population}, base) == pytest.approx(
        post_stratify(sex, population, base)
    )


def test_rake_by_group_fits_each_neighbourhood_to_its_own_margins():
    rng = np.random.default_rng(11)
    groups = rng.choice(["Noord", "Zuid"], size=200).tolist()
    age = rng.choice(["16-34", "35-64", "65+"], size=200).tolist()
    sex = rng.choice(["F", "M"], size=200).tolist()
    margins = {
        "Noord": {"age": {"16-34": 900, "35-64": 1500, "65+": 600}, "sex": {"F": 1550, "M": 1450}},
        "Zuid": {"age": {"16-34": 400, "35-64": 800, "65+": 800}, "sex": {"F": 1000, "M": 1000}},
    }
    weights = rake_by_group(groups, {"age": age, "sex": sex}, margins, tol=1e-12)
    for group, group_margins in margins.items():
        for name, values in (("age", age), ("sex", sex)):
            for category, total in group_margins[name].items():
                rows = [g == group and v == category for g, v in zip(groups, values, strict=True)]
                assert weights[np.array(rows)].sum() == pytest.approx(total, rel=1e-9)
    # The same as one raking on (neighbourhood, age) and (neighbourhood, sex).
    joint = rake(
        {"age": list(zip(groups, age, strict=True)), "sex": list(zip(groups, sex, strict=True))},
        {
            name: {(g, c): t for g, m in margins.items() for c, t in m[name].items()}
            for name in ("age", "sex")
        },
        tol=1e-12,
    )
    assert weights == pytest.approx(joint, rel=1e-8)
