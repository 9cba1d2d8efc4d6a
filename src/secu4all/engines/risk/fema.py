"""FEMA 452 risk scores and the threat likelihood with its plain-English explanation."""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import _validate

# UK threat levels (MI5/JTAC) in order; the Dutch NCTV scale also has five levels.
NATIONAL_LEVELS: dict[str, int] = {
    "low": 1,
    "moderate": 2,
    "substantial": 3,
    "severe": 4,
    "critical": 5,
}
# Points added to the base likelihood per national level: "substantial" (3) is neutral.
LEVEL_ADJUSTMENT: dict[int, float] = {1: -2.0, 2: -1.0, 3: 0.0, 4: 1.0, 5: 2.0}
# Incidents can move the likelihood at most this many points either way.
INCIDENT_CAP = 2.0


def fema_risk(asset_value: float, threat: float, vulnerability: float) -> float:
    """Risk on the FEMA 452 scale: ``R = A × T × V``, each factor in [1, 10], R in [1, 1000].

    Reference: FEMA 452, *Risk Assessment: A How-To Guide to Mitigate Potential
    Terrorist Attacks Against Buildings* (2005), ch. 4, "Risk = Asset Value × Threat
    Rating × Vulnerability Rating".
    """
    a = _validate.score(asset_value, "asset_value")
    t = _validate.score(threat, "threat")
    v = _validate.score(vulnerability, "vulnerability")
    return a * t * v


@dataclass(frozen=True)
class ThreatLikelihood:
    """A threat rating on the 1–10 scale and why it has that value.

    Attributes
    ----------
    value : ``clip(base + national + incidents, 1, 10)``.
    base : the assessor's rating before adjustments.
    national : points from the national threat level.
    incidents : points from recorded incidents near the site.
    explanation : one plain-English line per step, for the screen and the report.
    """

    value: float
    base: float
    national: float
    incidents: float
    explanation: tuple[str, ...]


def _national_level(level: int | str) -> int:
    if isinstance(level, str):
        key = level.strip().lower()
        if key not in NATIONAL_LEVELS:
            raise ValueError(
                f"national_level: {level!r} is not one of {list(NATIONAL_LEVELS)} or 1..5"
            )
        return NATIONAL_LEVELS[key]
    number = _validate.count(level, "national_level")
    if not 1 <= number <= 5:
        raise ValueError(f"national_level: {level!r} is outside 1..5")
    return number


def threat_likelihood(
    base: float,
    *,
    national_level: int | str | None = None,
    incidents_nearby: int | None = None,
    expected_incidents: float | None = None,
    radius_m: float | None = None,
    period_months: float | None = None,
) -> ThreatLikelihood:
    """Threat rating adjusted for the national threat level and nearby incidents.

    ::

        national  = {1: -2, 2: -1, 3: 0, 4: +1, 5: +2}[level]
        incidents = clip(log2((n + 1/2) / (E + 1/2)), -2, +2)    with an expectation E
                  = min(2, log10(1 + n))                          without one
        value     = clip(base + national + incidents, 1, 10)

    The level scale is the UK's (low, moderate, substantial, severe, critical; MI5/JTAC)
    or any five-step national scale such as the Dutch NCTV's. ``n`` is the count of
    relevant recorded incidents within ``radius_m`` over ``period_months``; ``E`` what a
    comparable site would see. Every doubling against the expectation adds a point (the
    ½ keeps zero counts finite); without an expectation, incidents can only raise the
    rating, by one point per tenfold. These are documented heuristics for an
    explainable adjustment, not a calibrated model: the explanation lines show them.
    """
    start = _validate.score(base, "base")
    lines = [f"Base threat rating set by the assessor: {start:g} on a 1–10 scale."]
    national = 0.0
    if national_level is not None:
        level = _national_level(national_level)
        national = LEVEL_ADJUSTMENT[level]
        name = next(key for key, value in NATIONAL_LEVELS.items() if value == level)
        lines.append(
            f"National threat level {level} of 5 (UK scale: {name}): {national:+g} points "
            "(level 3, substantial, is neutral)."
        )
    incidents = 0.0
    if incidents_nearby is not None:
        count = _validate.count(incidents_nearby, "incidents_nearby")
        where = ""
        if radius_m is not None:
            where += f" within {_validate.positive(radius_m, 'radius_m'):g} m"
        if period_months is not None:
            where += f" in the last {_validate.positive(period_months, 'period_months'):g} months"
        if expected_incidents is not None:
            expected = _validate.non_negative(expected_incidents, "expected_incidents")
            ratio = (count + 0.5) / (expected + 0.5)
            incidents = max(-INCIDENT_CAP, min(INCIDENT_CAP, math.log2(ratio)))
            lines.append(
                f"{count} recorded incidents{where} against {expected:g} expected for a "
                f"comparable site (ratio {ratio:.2f}): {incidents:+.1f} points "
                f"(one point per doubling, at most ±{INCIDENT_CAP:g})."
            )
        else:
            incidents = min(INCIDENT_CAP, math.log10(1 + count))
            lines.append(
                f"{count} recorded incidents{where}: {incidents:+.1f} points "
                f"(one point per tenfold, at most +{INCIDENT_CAP:g})."
            )
    raw = start + national + incidents
    value = min(10.0, max(1.0, raw))
    if value != raw:
        lines.append(f"The sum {raw:.1f} is kept within the scale: {value:.1f}.")
    else:
        lines.append(f"Threat rating used: {value:.1f}.")
    return ThreatLikelihood(value, start, national, incidents, tuple(lines))
