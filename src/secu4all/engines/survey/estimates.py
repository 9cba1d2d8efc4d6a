"""Weighted means and proportions with Taylor-linearised standard errors and 95 % intervals.

The design is a stratified (or unstratified) sample of respondents drawn with
replacement, each respondent its own primary sampling unit, with weights treated as
fixed. Respondents who did not answer (``NaN``) and respondents outside a domain (a
neighbourhood) are handled as a domain: their linearised values are set to zero and they
stay in the variance formula, which is what a subset of a survey design must do
(Lumley 2010, *Complex Surveys*, §2.4; Cochran 1977, §2.13).

Weights from post-stratification or raking are treated as fixed sampling weights. That
ignores the variance the calibration removes, so for answers related to age and sex the
standard errors are somewhat conservative (Lumley 2010, §7.1); it is what most published
municipal safety monitors do.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from secu4all.engines import _checks

from . import _validate

Kind = Literal["proportion", "mean"]

#: Respondents below which a published estimate is suppressed (issue 7: default 30).
DEFAULT_MIN_N = 30


@dataclass(frozen=True)
class Estimate:
    """A weighted estimate with its standard error, confidence interval and sample sizes."""

    value: float  # weighted proportion (0–1) or weighted mean; nan when n == 0
    se: float  # Taylor-linearised standard error with the weights (with replacement, strata)
    ci_low: float
    ci_high: float  # proportions keep within [0, 1]
    n: int  # respondents who answered
    n_effective: float  # Kish effective sample size of those respondents
    suppressed: bool  # n < min_n: too few respondents to publish


def weighted_mean(
    y: ArrayLike,
    weights: ArrayLike,
    *,
    strata: Sequence[Hashable] | None = None,
    min_n: int = DEFAULT_MIN_N,
    level: float = 0.95,
) -> Estimate:
    r"""Weighted mean ``ȳ = Σ w_i y_i / Σ w_i`` over the respondents who answered.

    ``NaN`` in ``y`` means unanswered; those respondents are a domain left out (see the
    module docstring). The standard error is from Taylor linearisation of the ratio
    (Woodruff 1971, JASA 66:411–414; Lumley 2010, §2.2 and §3.3): with
    ``z_i = w_i (y_i − ȳ) / Σ w_j`` for answering respondents and ``z_i = 0`` otherwise,

    ``v(ȳ) = Σ_h n_h / (n_h − 1) · Σ_{i ∈ h} (z_i − z̄_h)²``

    summed over strata ``h`` (one stratum when ``strata`` is None) with ``n_h`` the
    respondents in stratum ``h``. A stratum with a single respondent is centred on the
    overall mean of ``z`` (R survey's ``survey.lonely.psu = "adjust"``). The interval is
    ``ȳ ± t_{df} · se`` with the design degrees of freedom ``df = n − H`` (respondents
    minus strata), as in Stata's ``svy: mean`` and samplics. This matches samplics'
    ``TaylorEstimator`` with the same design.
    """
    values = _validate.as_float_vector(y, "y", allow_nan=True)
    design = _Design.build(weights, strata, values.size)
    return design.estimate(values, np.ones(values.size, dtype=bool), "mean", min_n, level)


def weighted_proportion(
    y: ArrayLike,
    weights: ArrayLike,
    *,
    strata: Sequence[Hashable] | None = None,
    min_n: int = DEFAULT_MIN_N,
    level: float = 0.95,
) -> Estimate:
    r"""Weighted proportion of 1s in a 0/1 variable (``NaN`` = unanswered).

    Point estimate and standard error as :func:`weighted_mean`. The interval is Korn &
    Graubard's (1998, *Survey Methodology* 24:193–201), the one NCHS prescribes for
    survey proportions (Parker et al. 2017, Vital Health Stat 2(175)): a Clopper–Pearson
    interval on the effective sample size

    ``n* = min(n, p̂(1 − p̂) / v(p̂) · (t_{n−1} / t_{df})²)``

    (``n* = n`` when ``p̂`` is 0 or 1), with ``x* = p̂ n*``: ``[B(α/2; x*, n* − x* + 1),
    B(1 − α/2; x* + 1, n* − x*)]`` for the beta quantile ``B``. Unlike a Wald interval it
    stays inside [0, 1] and is not degenerate when every respondent answered alike.
    """
    values = _validate.as_float_vector(y, "y", allow_nan=True)
    _check_binary(values)
    design = _Design.build(weights, strata, values.size)
    return design.estimate(values, np.ones(values.size, dtype=bool), "proportion", min_n, level)


def by_domain(
    y: ArrayLike,
    weights: ArrayLike,
    domains: Sequence[Hashable | None],
    *,
    kind: Kind = "proportion",
    strata: Sequence[Hashable] | None = None,
    min_n: int = DEFAULT_MIN_N,
    level: float = 0.95,
) -> dict[Hashable, Estimate]:
    """Estimate per domain (for instance per neighbourhood), keyed by the domain label.

    Each domain's standard error uses the whole sample with the other respondents' linearised
    values set to zero (the zero-out method), not a subset of the data: with strata, a
    subset would understate the variance (Lumley 2010, §2.4). Respondents whose domain is
    ``None`` belong to no domain. Keys are sorted when the labels can be ordered.
    """
    values = _validate.as_float_vector(y, "y", allow_nan=True)
    if kind == "proportion":
        _check_binary(values)
    elif kind != "mean":
        raise ValueError(f"kind must be 'proportion' or 'mean', got {kind!r}")
    design = _Design.build(weights, strata, values.size)
    _checks.same_length(y=values, domains=domains)
    codes, labels = _validate.group_codes(domains, "domains")
    order = [k for k, label in enumerate(labels) if label is not None]
    # Labels of mixed types cannot be ordered and keep their order of first appearance.
    with contextlib.suppress(TypeError):
        order = sorted(order, key=labels.__getitem__)  # type: ignore[arg-type]
    return {labels[k]: design.estimate(values, codes == k, kind, min_n, level) for k in order}


def shares(
    codes: ArrayLike,
    weights: ArrayLike,
    categories: Sequence[float],
    *,
    strata: Sequence[Hashable] | None = None,
    min_n: int = DEFAULT_MIN_N,
    level: float = 0.95,
) -> dict[float, Estimate]:
    """Weighted share of each answer category of one item (``NaN`` = unanswered).

    For an item such as "litter: much / some / no nuisance" coded 1, 2, 3, each share is
    a :func:`weighted_proportion` of the indicator ``code == category`` among those who
    answered; the shares sum to 1. A code not in ``categories`` raises a ValueError
    naming the index and the value.
    """
    values = _validate.as_float_vector(codes, "codes", allow_nan=True)
    allowed = np.asarray(categories, dtype=np.float64)
    if allowed.ndim != 1 or allowed.size == 0:
        raise ValueError(f"categories must be a non-empty list of codes, got {categories!r}")
    bad = ~np.isnan(values) & ~np.isin(values, allowed)
    if bad.any():
        at = int(np.flatnonzero(bad)[0])
        shown = ", ".join(f"{code:g}" for code in allowed)
        raise ValueError(f"codes must be one of {shown} or NaN: index {at} has {values[at]:g}")
    design = _Design.build(weights, strata, values.size)
    everyone = np.ones(values.size, dtype=bool)
    return {
        category: design.estimate(
            np.where(np.isnan(values), np.nan, values == category),
            everyone,
            "proportion",
            min_n,
            level,
        )
        for category in categories
    }


class _Design:
    """Weights and stratum codes of the whole sample, shared by every domain estimated."""

    def __init__(self, weights: np.ndarray, strata: np.ndarray, n_strata: int) -> None:
        self.weights, self.strata, self.n_strata = weights, strata, n_strata
        self.stratum_sizes = np.bincount(strata, minlength=n_strata)
        self.df = max(weights.size - n_strata, 1)

    @classmethod
    def build(cls, weights: ArrayLike, strata: Sequence[Hashable] | None, n: int) -> _Design:
        w = _validate.weights_vector(weights)
        if w.size != n:
            raise ValueError(f"lengths do not match: y has {n}, weights has {w.size}")
        if strata is None:
            return cls(w, np.zeros(n, dtype=np.intp), 1)
        _checks.same_length(y=w, strata=strata)
        codes, labels = _validate.group_codes(strata, "strata")
        return cls(w, codes, len(labels))

    def estimate(
        self, y: np.ndarray, in_domain: np.ndarray, kind: Kind, min_n: int, level: float
    ) -> Estimate:
        min_n = _validate.minimum_count(min_n, "min_n")
        level = _validate.level(level)
        answered = in_domain & ~np.isnan(y)
        n = int(np.count_nonzero(answered))
        w = np.where(answered, self.weights, 0.0)
        total = float(w.sum())
        if n == 0 or total == 0:
            effective = 0.0 if n == 0 else math.nan
            return Estimate(math.nan, math.nan, math.nan, math.nan, n, effective, n < min_n)
        y0 = np.where(answered, y, 0.0)
        value = float(np.dot(w, y0) / total)
        z = w * (y0 - value) / total
        # One answer says nothing about its own spread, whatever the design's size.
        se = math.sqrt(self.variance(z)) if n > 1 else math.nan
        if kind == "proportion":
            low, high = korn_graubard_interval(value, se, n, self.df, level)
        else:
            half = float(stats.t.ppf(0.5 + level / 2, self.df)) * se
            low, high = value - half, value + half
        effective = total**2 / float(np.square(w).sum())
        return Estimate(value, se, low, high, n, effective, n < min_n)

    def variance(self, z: np.ndarray) -> float:
        """``Σ_h n_h/(n_h − 1) Σ_i (z_hi − z̄_h)²``; singleton strata centred on the overall mean."""
        if z.size < 2:
            return math.nan
        sums = np.bincount(self.strata, weights=z, minlength=self.n_strata)
        sizes = self.stratum_sizes
        means = sums / sizes
        singleton = sizes == 1
        means[singleton] = z.mean()
        squares = np.bincount(
            self.strata, weights=np.square(z - means[self.strata]), minlength=self.n_strata
        )
        factors = np.where(singleton, 1.0, sizes / np.maximum(sizes - 1, 1))
        return float(np.dot(factors, squares))


def korn_graubard_interval(
    p: float, se: float, n: int, df: int, level: float = 0.95
) -> tuple[float, float]:
    """Korn–Graubard (1998) interval of a survey proportion; see :func:`weighted_proportion`."""
    level = _validate.level(level)
    if n < 1 or not math.isfinite(p):
        return math.nan, math.nan
    alpha = 1.0 - level
    if 0.0 < p < 1.0 and math.isfinite(se) and se > 0:
        effective = p * (1.0 - p) / se**2
        if n > 1:
            ratio = stats.t.ppf(1 - alpha / 2, n - 1) / stats.t.ppf(1 - alpha / 2, df)
            effective *= float(ratio) ** 2
        effective = min(effective, float(n))
    else:
        effective = float(n)
    successes = p * effective
    low = (
        0.0
        if successes <= 0
        else float(stats.beta.ppf(alpha / 2, successes, effective - successes + 1))
    )
    high = (
        1.0
        if successes >= effective
        else float(stats.beta.ppf(1 - alpha / 2, successes + 1, effective - successes))
    )
    return low, high


def _check_binary(values: np.ndarray) -> None:
    bad = ~np.isnan(values) & (values != 0) & (values != 1)
    if bad.any():
        at = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"y must be 0, 1 or NaN (unanswered) for a proportion: index {at} has {values[at]:g}"
        )
