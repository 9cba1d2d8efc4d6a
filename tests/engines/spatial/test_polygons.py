"""Finding 12.11: the simple-polygon check (Shamos–Hoey sweep) agrees with shapely's
``is_simple`` / ``is_valid`` on random rings, degenerate ones included."""

from __future__ import annotations

import math
import random

import pytest
from shapely.geometry import LinearRing, Polygon

from secu4all.engines.spatial.polygons import ring_conflict


def simple(corners) -> bool:
    return ring_conflict(corners) is None


def random_grid_ring(rng: random.Random) -> list[tuple[float, float]] | None:
    """Few corners on a small grid: many collinear, touching and repeated corners."""
    size = rng.choice([2, 3, 4, 6, 1000])
    corners: list[tuple[float, float]] = []
    for _ in range(rng.randint(3, 9)):
        point = (float(rng.randint(0, size)), float(rng.randint(0, size)))
        if not corners or corners[-1] != point:
            corners.append(point)
    if len(corners) > 1 and corners[0] == corners[-1]:
        corners.pop()
    return corners if len(set(corners)) >= 3 else None


def random_star_ring(rng: random.Random) -> list[tuple[float, float]] | None:
    """A star-shaped (so simple) ring, sometimes with two corners swapped or snapped."""
    angles = sorted(rng.uniform(0, 2 * math.pi) for _ in range(rng.randint(3, 80)))
    snap = rng.choice([None, 3, 8])
    corners: list[tuple[float, float]] = []
    for angle in angles:
        radius = rng.uniform(0.2, 1.0)
        point = (4.9 + radius * math.cos(angle), 52.3 + radius * math.sin(angle))
        if snap:
            point = (round(point[0] * snap) / snap, round(point[1] * snap) / snap)
        if not corners or corners[-1] != point:
            corners.append(point)
    if len(corners) > 4 and rng.random() < 0.5:
        i, j = rng.sample(range(len(corners)), 2)
        corners[i], corners[j] = corners[j], corners[i]
    if len(corners) > 1 and corners[0] == corners[-1]:
        corners.pop()
    n = len(corners)
    if n < 3 or any(corners[k] == corners[(k + 1) % n] for k in range(n)):
        return None
    return corners


@pytest.mark.parametrize("seed", range(4))
def test_agrees_with_shapely_on_degenerate_grid_rings(seed: int) -> None:
    """Finding 12.11: 5,000 rings per seed of 3–9 corners on small grids."""
    rng = random.Random(seed)
    checked = 0
    for _ in range(5000):
        corners = random_grid_ring(rng)
        if corners is None:
            continue
        checked += 1
        assert simple(corners) == LinearRing(corners).is_simple, corners
    assert checked > 4000


def test_agrees_with_shapely_on_star_rings_and_their_polygons() -> None:
    """Finding 12.11: simple and swapped star rings, against is_simple and is_valid."""
    rng = random.Random(12)
    seen = {True: 0, False: 0}
    for _ in range(1500):
        corners = random_star_ring(rng)
        if corners is None:
            continue
        expected = LinearRing(corners).is_simple
        assert simple(corners) == expected, corners
        assert simple(corners) == Polygon(corners).is_valid, corners
        seen[expected] += 1
    assert min(seen.values()) > 300  # both answers well represented


@pytest.mark.parametrize(
    ("corners", "expected"),
    [
        ([(0, 0), (4, 0), (4, 4), (0, 4)], None),
        ([(0, 0), (4, 4), (4, 0), (0, 4)], (0, 2)),  # bow tie
        ([(0, 0), (2, 0), (4, 0), (4, 4)], None),  # a corner on a straight edge is fine
        ([(0, 0), (4, 0), (2, 0), (2, 4)], (0, 1)),  # a spike turning back on its edge
        ([(0, 0), (2, 2), (4, 0), (4, 4), (2, 2), (0, 4)], (0, 4)),  # touching at a corner
        ([(0, 0), (4, 0), (4, 4), (2, 0), (0, 4)], (0, 3)),  # a corner on another edge
        ([(0, 0), (1, 0), (2, 0)], (0, 2)),  # all on one line
    ],
)
def test_known_rings(corners, expected) -> None:
    assert ring_conflict(corners) == expected
    assert (expected is None) == LinearRing(corners).is_simple


def test_bad_rings_are_named() -> None:
    with pytest.raises(ValueError, match="at least 3 corners; 2 given"):
        ring_conflict([(0, 0), (1, 1)])
    with pytest.raises(ValueError, match="corners 2 and 3 are the same point"):
        ring_conflict([(0, 0), (1, 0), (1, 0), (0, 1)])


def test_six_thousand_corners_are_checked_in_one_pass() -> None:
    """Finding 12.11: a large simple outline is accepted (the speed is in bench/)."""
    rng = random.Random(3)
    angles = sorted(rng.uniform(0, 2 * math.pi) for _ in range(6000))
    corners = [
        (math.cos(a) * rng.uniform(0.5, 1), math.sin(a) * rng.uniform(0.5, 1)) for a in angles
    ]
    assert simple(corners) == LinearRing(corners).is_simple
