"""Change of an estimate between two survey waves, with its interval and significance."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from . import _validate
from .estimates import Estimate


@dataclass(frozen=True)
class Change:
    """``after − before`` with its standard error, interval and two-sided z-test."""

    value: float
    se: float
    ci_low: float
    ci_high: float
    z: float
    p_value: float
    significant: bool  # p_value < 1 − level
    suppressed: bool = False  # either wave's estimate is suppressed (too few respondents)


def change(before: Estimate, after: Estimate, *, level: float = 0.95) -> Change:
    r"""Difference between two waves drawn as independent samples.

    ``Δ = θ̂_after − θ̂_before`` with ``se(Δ) = √(se_before² + se_after²)``: the
    covariance term vanishes because the waves are separate samples (Kish 1965, *Survey
    Sampling*, §12.4; Lumley 2010, §3.5 for the general contrast). The interval is
    ``Δ ± z_{1−α/2} · se(Δ)`` and the test ``z = Δ / se(Δ)`` against the standard normal,
    two-sided. When either estimate is missing (``nan``) everything is ``nan`` and not
    significant. With ``se(Δ) = 0`` (both waves answered unanimously) ``z`` is 0 for no
    change and ±∞ otherwise.
    """
    level = _validate.level(level)
    suppressed = before.suppressed or after.suppressed
    value = after.value - before.value
    se = math.hypot(after.se, before.se)
    if not (math.isfinite(value) and math.isfinite(se)):
        nan = math.nan
        return Change(nan, nan, nan, nan, nan, nan, False, suppressed)
    alpha = 1.0 - level
    half = float(stats.norm.ppf(1 - alpha / 2)) * se
    z = value / se if se > 0 else _unanimous_z(value)
    p_value = float(2 * stats.norm.sf(abs(z)))
    return Change(value, se, value - half, value + half, z, p_value, p_value < alpha, suppressed)


def _unanimous_z(value: float) -> float:
    """z when neither wave has sampling variance: 0 for no change, ±∞ for any change."""
    return 0.0 if value == 0 else math.copysign(math.inf, value)
