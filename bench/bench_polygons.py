"""Simple-polygon check of a 6,000-corner site outline: the Shamos–Hoey sweep vs the old
all-pairs check (the issue's 15 s) and GEOS (shapely ``is_simple``, compiled C++)."""

import math
import random

from _common import best_time, report

from secu4all.engines.spatial.polygons import ring_conflict


def outline(n: int) -> list[tuple[float, float]]:
    """A star-shaped (simple) outline of ``n`` corners: the worst case, every edge checked."""
    rng = random.Random(11)
    angles = sorted(rng.uniform(0, 2 * math.pi) for _ in range(n))
    return [
        (4.47 + 0.0014 * r * math.cos(a), 51.92 + 0.0009 * r * math.sin(a))
        for a, r in ((a, rng.uniform(0.5, 1.0)) for a in angles)
    ]


def all_pairs(corners: list[tuple[float, float]]) -> bool:
    """The check the sweep replaced: every pair of edges, O(n²)."""

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    n = len(corners)
    edges = [(corners[i], corners[(i + 1) % n]) for i in range(n)]
    for i in range(n):
        p1, p2 = edges[i]
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue
            q1, q2 = edges[j]
            if (
                cross(q1, q2, p1) * cross(q1, q2, p2) < 0
                and cross(p1, p2, q1) * cross(p1, p2, q2) < 0
            ):
                return False
    return True


def main() -> None:
    from shapely.geometry import LinearRing

    corners = outline(6000)
    assert ring_conflict(corners) is None
    assert LinearRing(corners).is_simple
    ours = best_time(lambda: ring_conflict(corners))
    pairs = best_time(lambda: all_pairs(corners), repeats=1)
    geos = best_time(lambda: LinearRing(corners).is_simple)
    report("simple polygon, 6,000 corners", ours, pairs, "all pairs", "< 1 s", ours < 1.0)
    print(f"(GEOS is_simple, compiled C++, for scale: {geos:.3f} s)", flush=True)


if __name__ == "__main__":
    main()
