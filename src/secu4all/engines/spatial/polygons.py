"""Whether a polygon's ring is simple, in O(n log n) comparisons: the Shamos–Hoey sweep line.

M. I. Shamos and D. Hoey, "Geometric intersection problems", 17th IEEE Symposium on
Foundations of Computer Science, 1976, 208–215; the simple-polygon form as in D. Sunday,
"Practical Geometry Algorithms" (2021), ch. 7. A vertical line sweeps the edges' end points in
lexicographic (x, y) order; the edges it crosses are kept ordered from bottom to top, and two
edges that meet always become neighbours in that order before the sweep passes their first
common point, so only neighbours are ever tested: O(n log n) comparisons instead of the
n²/2 pairs. (The order is a Python list: inserting into it moves pointers in C, a cost that
stays far below the comparisons for the corner counts an area may have.)

Simple means what ``shapely.LinearRing.is_simple`` means: no two edges share a point, except
that consecutive edges share their common corner (and only that: a spike that turns back
along its own edge is a touch). Orientation signs are exact: a floating-point filter after
J. R. Shewchuk, "Adaptive precision floating-point arithmetic and fast robust geometric
predicates", Discrete Comput. Geom. 18 (1997), with exact rational arithmetic when the filter
cannot decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

Point = tuple[float, float]

# Shewchuk's ccwerrboundA is (3 + 16ε)ε ≈ 3.33e-16 for IEEE doubles; a little wider is safe.
_ERRBOUND = 4e-16


def _orient(a: Point, b: Point, c: Point) -> int:
    """+1 if a→b→c turns left, −1 if right, 0 if the three are on one line (exactly)."""
    if c in (a, b):  # edges meeting at a corner: common, and the filter cannot tell
        return 0
    left = (b[0] - a[0]) * (c[1] - a[1])
    right = (b[1] - a[1]) * (c[0] - a[0])
    det = left - right
    bound = _ERRBOUND * (abs(left) + abs(right))
    if det > bound:
        return 1
    if -det > bound:
        return -1
    ax, ay, bx, by, cx, cy = (Fraction(v) for v in (*a, *b, *c))
    exact = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
    return (exact > 0) - (exact < 0)


def _within(a: Point, b: Point, c: Point) -> bool:
    """Whether c, on the line through a and b, lies on the segment a–b."""
    return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])


def _segments_meet(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    """Whether the closed segments p1–p2 and q1–q2 share at least one point."""
    d1, d2 = _orient(q1, q2, p1), _orient(q1, q2, p2)
    d3, d4 = _orient(p1, p2, q1), _orient(p1, p2, q2)
    if d1 * d2 < 0 and d3 * d4 < 0:
        return True
    return (
        (d1 == 0 and _within(q1, q2, p1))
        or (d2 == 0 and _within(q1, q2, p2))
        or (d3 == 0 and _within(p1, p2, q1))
        or (d4 == 0 and _within(p1, p2, q2))
    )


def _sign(v: float) -> int:
    return (v > 0) - (v < 0)


class _Ring:
    """The edges of a closed ring, edge k from corner k to corner k + 1 (mod n)."""

    def __init__(self, corners: Sequence[Point]) -> None:
        self.corners = corners
        self.n = len(corners)
        # Each edge from its lexicographically smaller end ("left") to the other ("right").
        self.left: list[Point] = []
        self.right: list[Point] = []
        for k in range(self.n):
            a, b = corners[k], corners[(k + 1) % self.n]
            self.left.append(min(a, b))
            self.right.append(max(a, b))

    def conflict(self, i: int, j: int) -> bool:
        """Whether edges i and j meet where a simple ring's edges may not."""
        n = self.n
        if (j - i) % n == 1 or (i - j) % n == 1:
            # Consecutive: they may share their common corner only. Two segments with one
            # common end meet elsewhere only when they are collinear and turn back.
            first, second = (i, j) if (j - i) % n == 1 else (j, i)
            a = self.corners[first]
            v = self.corners[second]
            b = self.corners[(second + 1) % n]
            if _orient(a, v, b) != 0:
                return False
            # Collinear: the signs of the differences are exact, so this is too.
            back = _sign(a[0] - v[0]) * _sign(b[0] - v[0]) + _sign(a[1] - v[1]) * _sign(b[1] - v[1])
            return back > 0
        return _segments_meet(self.left[i], self.right[i], self.left[j], self.right[j])

    def above(self, s: int, t: int) -> int:
        """+1 if edge s lies above edge t where the sweep is, −1 below, 0 on one line."""
        if self.left[s] < self.left[t]:
            return -self.above(t, s)
        side = _orient(self.left[t], self.right[t], self.left[s])
        if side == 0:
            side = _orient(self.left[t], self.right[t], self.right[s])
        return side


def ring_conflict(corners: Sequence[Point]) -> tuple[int, int] | None:
    """The first two edges ``(i, j)``, ``i < j``, that cross or touch where they may not, or
    None when the closed ring through ``corners`` is simple.

    ``corners`` are (x, y) pairs in ring order without the closing repeat; edge k runs from
    corner k to corner k + 1 (the last edge back to corner 0). A ``ValueError`` names the
    problem when fewer than 3 corners are given or two consecutive corners are equal.
    """
    n = len(corners)
    if n < 3:
        raise ValueError(f"a ring needs at least 3 corners; {n} given")
    points = [(float(x), float(y)) for x, y in corners]
    for k in range(n):
        if points[k] == points[(k + 1) % n]:
            raise ValueError(f"corners {k + 1} and {(k + 1) % n + 1} are the same point")
    ring = _Ring(points)
    # Insertions (0) before removals (1) at one point, so edges meeting there are compared.
    events = sorted(
        [(ring.left[k], 0, k) for k in range(n)] + [(ring.right[k], 1, k) for k in range(n)]
    )
    status: list[int] = []
    for _point, kind, edge in events:
        if kind == 0:
            lo, hi = 0, len(status)
            while lo < hi:
                mid = (lo + hi) // 2
                if ring.above(edge, status[mid]) > 0:
                    lo = mid + 1
                else:
                    hi = mid
            status.insert(lo, edge)
            for other in status[max(lo - 1, 0) : lo] + status[lo + 1 : lo + 2]:
                if ring.conflict(edge, other):
                    return min(edge, other), max(edge, other)
        else:
            lo, hi = 0, len(status)
            while lo < hi:
                mid = (lo + hi) // 2
                if ring.above(edge, status[mid]) > 0:
                    lo = mid + 1
                else:
                    hi = mid
            while lo < len(status) and status[lo] != edge:  # past edges on one line with it
                lo += 1
            if lo == len(status):
                lo = status.index(edge)
            if 0 < lo < len(status) - 1:
                below, over = status[lo - 1], status[lo + 1]
                if ring.conflict(below, over):
                    return min(below, over), max(below, over)
            del status[lo]
    return None
