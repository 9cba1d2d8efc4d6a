"""Plain risk levels: a site's headline level on the matrix, its main drivers and its trend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .matrix import MatrixCell

# FEMA 452: asset value, threat and vulnerability are each 1–10, so a scenario scores 1–1000.
SCENARIO_SCALE = 1000.0

Trend = Literal["up", "down", "same"]


@dataclass(frozen=True)
class ScenarioLevel:
    """One scenario's score on its 1–1000 scale and its cell in the matrix."""

    scenario_id: str
    score: float
    cell: MatrixCell
    scale: float = SCENARIO_SCALE


@dataclass(frozen=True)
class TopDriver:
    """A scenario among those contributing most to the site's total risk."""

    scenario: ScenarioLevel
    share: float  # of the site's total risk, 0–1


@dataclass(frozen=True)
class SiteLevel:
    """The site's headline: the most serious level any of its scenarios reaches.

    A site is as exposed as its worst scenario: a square with one "very high" vehicle
    scenario is not made safer by ten "low" crime scenarios, so the headline is the
    maximum level, not an average, and the total score is given beside it on its scale.
    """

    cell: MatrixCell
    at_level: int  # how many scenarios reach the headline level
    scenarios: int
    total: float
    scale: float  # the total's maximum: every scenario at 1000
    top: tuple[TopDriver, ...]


def site_level(levels: Sequence[ScenarioLevel], top: int = 3) -> SiteLevel | None:
    """The headline level, the total on its scale and the ``top`` scenarios by score.

    None when there is no scenario: a site without a scored scenario has no level.
    """
    if not levels:
        return None
    worst = max(level.cell.level for level in levels)
    headline = max(
        (level for level in levels if level.cell.level == worst), key=lambda lv: lv.score
    ).cell
    total = sum(level.score for level in levels)
    ranked = sorted(levels, key=lambda lv: (-lv.score, lv.scenario_id))[:top]
    return SiteLevel(
        cell=headline,
        at_level=sum(level.cell.level == worst for level in levels),
        scenarios=len(levels),
        total=total,
        scale=SCENARIO_SCALE * len(levels),
        top=tuple(TopDriver(level, level.score / total if total else 0.0) for level in ranked),
    )


def level_trend(previous: int | None, current: int | None) -> Trend | None:
    """Whether the headline level rose, fell or held since the previous version."""
    if previous is None or current is None:
        return None
    if current > previous:
        return "up"
    if current < previous:
        return "down"
    return "same"
