"""Point in polygon: which of a set of areas holds each point.

An area is a list of parts (one for a Polygon, several for a MultiPolygon); a part is a
list of rings, the first its outline and the others its holes; a ring is a sequence of
``(x, y)`` corners, closed or not. Coordinates are planar: longitude and latitude are
used as they are, as GIS packages do for areas the size of a town.

Rule: even-odd (crossing number). A horizontal ray from the point to the right crosses
the rings of an area an odd number of times when the point is inside it. Every ring of
every part is counted together, so a hole (a ring inside the outline) and a second part
(a ring elsewhere) need no special case: a point in a hole crosses twice, a point in any
part once.

Boundary convention (half-open, as W. R. Franklin's ``pnpoly``): an edge counts when one
end lies strictly above the point's y and the other at or below it, and the crossing is
strictly right of the point. A point exactly on a shared edge therefore belongs to one
of the two neighbours, never to both and never to neither; whether an isolated point on
an outer boundary is inside depends on the side. Callers wanting a strict answer on the
boundary must not rely on either.

Where areas overlap (they should not: neighbourhoods tile a town), a point goes to the
first area in the list that holds it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Ring = Sequence[Sequence[float]]
Part = Sequence[Ring]
Area = Sequence[Part]


def _edges(area: Area) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The start and end coordinates of every edge of every ring of ``area``."""
    starts, ends = [], []
    for part in area:
        for ring in part:
            corners = np.asarray(ring, dtype=float)
            if corners.ndim != 2 or corners.shape[0] < 3 or corners.shape[1] < 2:
                raise ValueError("a ring needs at least three (x, y) corners")
            corners = corners[:, :2]
            if not np.array_equal(corners[0], corners[-1]):
                corners = np.vstack([corners, corners[:1]])
            starts.append(corners[:-1])
            ends.append(corners[1:])
    if not starts:
        raise ValueError("an area needs at least one ring")
    start, end = np.vstack(starts), np.vstack(ends)
    return start[:, 0], start[:, 1], end[:, 0], end[:, 1]


def _inside(
    px: np.ndarray, py: np.ndarray, edges: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
) -> np.ndarray:
    """Even-odd test of the points against one area's edges.

    The points are sorted by y once; each edge then looks only at the points in its own
    band of y (found by binary search) and flips their parity where it crosses the ray.
    The work grows with the points near each edge, not with points times edges.
    """
    x1, y1, x2, y2 = edges
    # Horizontal edges never straddle a y, so they never count; dropping them also keeps
    # the division below away from zero.
    keep = y1 != y2
    x1, y1, x2, y2 = x1[keep], y1[keep], x2[keep], y2[keep]
    slope = (x2 - x1) / (y2 - y1)
    order = np.argsort(py, kind="stable")
    sx, sy = px[order], py[order]
    # An edge counts for a point when exactly one end lies strictly above it: the band
    # min(y1, y2) <= y < max(y1, y2).
    starts = np.searchsorted(sy, np.minimum(y1, y2), side="left")
    ends = np.searchsorted(sy, np.maximum(y1, y2), side="left")
    parity = np.zeros(sx.shape[0], dtype=bool)
    for edge in np.flatnonzero(ends > starts):
        band = slice(starts[edge], ends[edge])
        parity[band] ^= sx[band] < x1[edge] + (sy[band] - y1[edge]) * slope[edge]
    inside = np.empty_like(parity)
    inside[order] = parity
    return inside


def locate(x: Sequence[float], y: Sequence[float], areas: Sequence[Area]) -> np.ndarray:
    """Index into ``areas`` of the area holding each point, -1 where none does.

    ``x`` and ``y`` are equally long arrays of coordinates in the areas' system. Each area
    is tested only against the points inside its bounding box and not yet placed, so the
    cost grows with the points near an area, not with every point times every area.
    Non-finite coordinates are placed nowhere.
    """
    px = np.asarray(x, dtype=float).ravel()
    py = np.asarray(y, dtype=float).ravel()
    if px.shape != py.shape:
        raise ValueError("x and y must have the same length")
    result = np.full(px.shape[0], -1, dtype=np.intp)
    finite = np.isfinite(px) & np.isfinite(py)
    for index, area in enumerate(areas):
        edges = _edges(area)
        xs = np.concatenate([edges[0], edges[2]])
        ys = np.concatenate([edges[1], edges[3]])
        candidates = np.flatnonzero(
            finite
            & (result == -1)
            & (px >= xs.min())
            & (px <= xs.max())
            & (py >= ys.min())
            & (py <= ys.max())
        )
        if candidates.size:
            hit = _inside(px[candidates], py[candidates], edges)
            result[candidates[hit]] = index
    return result


def geojson_area(geometry: dict) -> list[list[list[list[float]]]]:
    """The parts of a GeoJSON Polygon or MultiPolygon in the shape ``locate`` takes."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"a {kind} is not a Polygon or MultiPolygon")
