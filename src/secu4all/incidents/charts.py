"""Small server-side charts: an SVG line for the monthly trend and classes for the heat table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WIDTH, HEIGHT, PAD = 640, 200, 30


@dataclass(frozen=True)
class LineChart:
    points: str  # SVG polyline points
    y_max: int
    first: str
    last: str
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD


def monthly_line(months: np.ndarray, counts: np.ndarray) -> LineChart:
    n = len(counts)
    top = max(int(counts.max()), 1)
    xs = PAD + (np.arange(n) * (WIDTH - 2 * PAD) / max(n - 1, 1))
    ys = HEIGHT - PAD - counts / top * (HEIGHT - 2 * PAD)
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    return LineChart(points, top, str(months[0]), str(months[-1]))


def heat_classes(table: np.ndarray, levels: int = 10) -> list[list[tuple[int, int]]]:
    """Each cell as (count, level 0–9), level by share of the table's maximum."""
    top = max(int(table.max()), 1)
    level = np.minimum((table * levels) // (top + 1), levels - 1)
    return [
        [(int(c), int(v)) for c, v in zip(row, lrow, strict=True)]
        for row, lrow in zip(table, level, strict=True)
    ]
