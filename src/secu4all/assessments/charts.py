"""The cost–risk frontier as SVG coordinates, drawn by the template."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from secu4all.engines.risk import SCENARIO_SCALE

# Room on the left for the risk ticks, above for the axis title, below for the cost axis.
WIDTH, HEIGHT, PAD, TOP, BOTTOM_MARGIN, RIGHT_MARGIN = 640, 290, 56, 30, 44, 24

# What a cost means on each cost basis, for the axis title and the table headings.
COST_UNITS = {
    "annualised": _("euro per year"),
    "investment": _("euro, one-off investment"),
    "tco": _("euro over 10 years"),
}


def cost_unit(cost_basis: str) -> str:
    return str(COST_UNITS.get(cost_basis, COST_UNITS["annualised"]))


@dataclass(frozen=True)
class FrontierChart:
    points: str
    chosen: tuple[float, float] | None
    budget_x: float | None
    max_cost: float
    max_risk: float
    risk_scale: float  # the most a residual could be: every scenario at 1000
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM_MARGIN
    right: int = WIDTH - RIGHT_MARGIN

    @property
    def middle(self) -> int:
        return (self.pad + self.right) // 2


def frontier_chart(result: dict) -> FrontierChart | None:
    points = result.get("frontier", {}).get("points", [])
    if not points:
        return None
    max_cost = max(max(p["cost"] for p in points), result.get("budget") or 0, 1.0)
    max_risk = max(max(p["residual_risk"] for p in points), 1.0)
    bottom, right = HEIGHT - BOTTOM_MARGIN, WIDTH - RIGHT_MARGIN

    def xy(cost: float, value: float) -> tuple[float, float]:
        return (
            PAD + cost / max_cost * (right - PAD),
            bottom - value / max_risk * (bottom - TOP),
        )

    # A staircase: between two Pareto sets the cheaper one's risk holds.
    coords = []
    for before, after in zip(points, [*points[1:], None], strict=True):
        coords.append(xy(before["cost"], before["residual_risk"]))
        if after is not None:
            coords.append(xy(after["cost"], before["residual_risk"]))
    selection = result.get("selection")
    chosen = xy(selection["cost"], selection["residual_risk"]) if selection else None
    budget = result.get("budget")
    return FrontierChart(
        points=" ".join(f"{x:.1f},{y:.1f}" for x, y in coords),
        chosen=chosen,
        budget_x=xy(budget, 0)[0] if budget else None,
        max_cost=max_cost,
        max_risk=max_risk,
        risk_scale=SCENARIO_SCALE * len(result.get("scenarios", [])),
    )
