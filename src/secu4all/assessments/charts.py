"""The cost–risk frontier as SVG coordinates, drawn by the template."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 640, 260, 40


@dataclass(frozen=True)
class FrontierChart:
    points: str
    chosen: tuple[float, float] | None
    budget_x: float | None
    max_cost: float
    max_risk: float
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD


def frontier_chart(result: dict) -> FrontierChart | None:
    points = result.get("frontier", {}).get("points", [])
    if not points:
        return None
    max_cost = max(max(p["cost"] for p in points), result.get("budget") or 0, 1.0)
    max_risk = max(max(p["residual_risk"] for p in points), 1.0)

    def xy(cost: float, value: float) -> tuple[float, float]:
        return (
            PAD + cost / max_cost * (WIDTH - 2 * PAD),
            HEIGHT - PAD - value / max_risk * (HEIGHT - 2 * PAD),
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
    )
