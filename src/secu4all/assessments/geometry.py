"""A site's area: corners typed or drawn as "latitude, longitude" lines, stored as a GeoJSON
polygon, measured on the WGS 84 ellipsoid."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from pyproj import Geod

from secu4all.engines.spatial.polygons import ring_conflict

_GEOD = Geod(ellps="WGS84")

# Above about 4 persons per m² a moving crowd loses free movement and the risk of crowd
# collapse rises (Fruin's level of service F; G. K. Still, Introduction to Crowd Science, 2014).
CRITICAL_DENSITY = 4.0

# The default of the setting SITE_AREA_MAX_CORNERS: a site's outline, not a coastline.
MAX_CORNERS = 2000


class AreaError(ValueError):
    """A corner list that is not a simple polygon; the message names the line."""


def parse_corners(text: str, max_corners: int = MAX_CORNERS) -> list[tuple[float, float]]:
    """``(lon, lat)`` pairs from lines of "latitude, longitude" (a decimal point, not comma);
    at most ``max_corners`` of them, so checking the area stays a fraction of a second."""
    corners: list[tuple[float, float]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if len(corners) >= max_corners:
            raise AreaError(
                _(
                    "line %(line)d: an area has at most %(max)d corners; simplify the outline "
                    "(one corner every few metres is plenty)"
                )
                % {"line": number, "max": max_corners}
            )
        parts = [p for p in line.replace(";", ",").replace("\t", ",").split(",") if p.strip()]
        where = {"line": number, "text": line}
        if len(parts) != 2:
            raise AreaError(
                _("line %(line)d: expected “latitude, longitude”, got “%(text)s”") % where
            )
        try:
            lat, lon = (float(p) for p in parts)
        except ValueError:
            raise AreaError(_("line %(line)d: “%(text)s” is not two numbers") % where) from None
        if not (math.isfinite(lat) and math.isfinite(lon)):
            raise AreaError(_("line %(line)d: “%(text)s” is not two finite numbers") % where)
        if not -90 <= lat <= 90:
            raise AreaError(
                _("line %(line)d: latitude %(value)s is outside −90…90") % {**where, "value": lat}
            )
        if not -180 <= lon <= 180:
            raise AreaError(
                _("line %(line)d: longitude %(value)s is outside −180…180")
                % {**where, "value": lon}
            )
        if corners and corners[-1] == (lon, lat):
            continue
        corners.append((lon, lat))
    if len(corners) > 1 and corners[0] == corners[-1]:
        corners.pop()
    if corners and len(corners) < 3:
        raise AreaError(
            _("an area needs at least 3 different corners; %(n)d given") % {"n": len(corners)}
        )
    return corners


def self_intersection(corners: list[tuple[float, float]]) -> str | None:
    """A warning when the outline crosses or touches itself, naming the two edges; else None.

    Not a refusal: an adviser tracing a square with a fountain may save a rough outline and
    correct it later; but its size is then unreliable, so it gives no crowd density.
    """
    if len(corners) < 3:
        return None
    conflict = ring_conflict(corners)
    if conflict is None:
        return None
    i, j = conflict
    n = len(corners)
    return _(
        "the edge from corner %(a)d to %(b)d crosses or touches the edge from corner "
        "%(c)d to %(d)d: list the corners in order around the area"
    ) % {"a": i + 1, "b": (i + 1) % n + 1, "c": j + 1, "d": (j + 1) % n + 1}


def ring_corners(area: dict) -> list[tuple[float, float]]:
    """The stored polygon's corners as ``(lon, lat)``, without the closing repeat."""
    return [(p[0], p[1]) for p in area["coordinates"][0][:-1]]


# The usual size of each kind of site in m² (smallest, largest), from a village chapel to a
# city's biggest park; checked with MARGIN either way, so only an outline that cannot be the
# site (a lat/lon swap, a corner on another continent) is refused.
TYPICAL_AREA_M2: dict[str, tuple[float, float]] = {
    "square": (200, 150_000),
    "shopping-street": (500, 300_000),
    "stadium": (8_000, 200_000),
    "event": (200, 2_000_000),
    "transport-hub": (500, 1_000_000),
    "market": (200, 150_000),
    "place-of-worship": (50, 60_000),
    "school": (300, 150_000),
    "park": (1_000, 5_000_000),
    "nightlife": (1_000, 500_000),
    "holiday-park": (5_000, 3_000_000),
    "government": (200, 300_000),
}
MARGIN = 4.0
# How far beyond its neighbourhoods' extent a site of the organisation may lie.
REGION_MARGIN_M = 5_000.0


def size_bounds(kind: str) -> tuple[float, float]:
    """The plausible area of a kind of site in m², margin included."""
    low, high = TYPICAL_AREA_M2.get(kind, (50, 5_000_000))
    return low / MARGIN, high * MARGIN


def _size_text(square_metres: float) -> str:
    if square_metres >= 1_000_000:
        return _("%(value)s km²") % {
            "value": number_format(square_metres / 1_000_000, 1, force_grouping=True)
        }
    return _("%(value)s m²") % {"value": number_format(square_metres, 0, force_grouping=True)}


@dataclass(frozen=True)
class Region:
    """The organisation's region: its neighbourhoods' extent with a margin, in degrees."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def holds(self, lon: float, lat: float) -> bool:
        return self.min_lon <= lon <= self.max_lon and self.min_lat <= lat <= self.max_lat


def _positions(geometry: object) -> Iterable[tuple[float, float]]:
    """Every ``[lon, lat]`` of a GeoJSON geometry, however deeply nested."""
    if isinstance(geometry, dict):
        geometry = geometry.get("coordinates", [])
    if isinstance(geometry, list | tuple):
        if len(geometry) >= 2 and all(isinstance(v, int | float) for v in geometry[:2]):
            yield float(geometry[0]), float(geometry[1])
        else:
            for part in geometry:
                yield from _positions(part)


def region_of(boundaries: Iterable[dict], margin_m: float = REGION_MARGIN_M) -> Region | None:
    """The extent of the boundaries plus ``margin_m`` on each side; None without any."""
    points = [p for boundary in boundaries for p in _positions(boundary)]
    if not points:
        return None
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    # Metres to degrees: 111.32 km per degree of latitude, less for longitude by cos(lat).
    dlat = margin_m / 111_320.0
    mid = math.radians((min(lats) + max(lats)) / 2)
    dlon = margin_m / (111_320.0 * max(math.cos(mid), 0.01))
    return Region(min(lons) - dlon, min(lats) - dlat, max(lons) + dlon, max(lats) + dlat)


def area_problem(area: dict, *, kind: str, kind_label: str, region: Region | None) -> str | None:
    """Why a drawn area cannot be this site: outside the region, or an impossible size.

    The size of an outline that crosses itself is not its area (a figure of eight's halves
    cancel), so only its corners are checked; :func:`self_intersection` warns about it.
    """
    corners = ring_corners(area)
    if region is not None:
        for number, (lon, lat) in enumerate(corners, start=1):
            if not region.holds(lon, lat):
                return _(
                    "corner %(n)d (%(lat)s, %(lon)s) lies outside the organisation's region "
                    "(its neighbourhoods and %(km)s km around them): check the corners"
                ) % {
                    "n": number,
                    "lat": f"{lat:.6f}",
                    "lon": f"{lon:.6f}",
                    "km": number_format(REGION_MARGIN_M / 1000, 0),
                }
    if self_intersection(corners):
        return None
    size = measure(area).square_metres
    low, high = size_bounds(kind)
    if not low <= size <= high:
        return _(
            "the area is %(size)s, but a site of type “%(kind)s” is between %(low)s and "
            "%(high)s: check the corners (are latitude and longitude swapped?)"
        ) % {
            "size": _size_text(size),
            "kind": kind_label,
            "low": _size_text(low),
            "high": _size_text(high),
        }
    return None


def to_geojson(corners: list[tuple[float, float]]) -> dict | None:
    if not corners:
        return None
    ring = [[round(lon, 7), round(lat, 7)] for lon, lat in corners]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def corners_text(area: dict | None) -> str:
    """The stored polygon as the "latitude, longitude" lines the form shows."""
    if not area or area.get("type") != "Polygon":
        return ""
    ring = area["coordinates"][0][:-1]
    return "\n".join(f"{lat:.6f}, {lon:.6f}" for lon, lat in ring)


@dataclass(frozen=True)
class AreaFigures:
    square_metres: float
    perimeter_m: float
    centre_lon: float
    centre_lat: float


def measure(area: dict) -> AreaFigures:
    """Geodesic area and perimeter (Karney 2013, via PROJ's geod) and the corners' mean."""
    ring = area["coordinates"][0][:-1]
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    signed, perimeter = _GEOD.polygon_area_perimeter(lons, lats)
    return AreaFigures(abs(signed), perimeter, sum(lons) / len(lons), sum(lats) / len(lats))
