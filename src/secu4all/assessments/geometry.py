"""A site's area: corners typed or drawn as "latitude, longitude" lines, stored as a GeoJSON
polygon, measured on the WGS 84 ellipsoid."""

from __future__ import annotations

from dataclasses import dataclass

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
        if len(parts) != 2:
            raise AreaError(f"line {number}: expected “latitude, longitude”, got “{line}”")
        try:
            lat, lon = (float(p) for p in parts)
        except ValueError:
            raise AreaError(f"line {number}: “{line}” is not two numbers") from None
        if not -90 <= lat <= 90:
            raise AreaError(f"line {number}: latitude {lat} is outside −90…90")
        if not -180 <= lon <= 180:
            raise AreaError(f"line {number}: longitude {lon} is outside −180…180")
        if corners and corners[-1] == (lon, lat):
            continue
        corners.append((lon, lat))
    if len(corners) > 1 and corners[0] == corners[-1]:
        corners.pop()
    if corners and len(corners) < 3:
        raise AreaError(f"an area needs at least 3 different corners; {len(corners)} given")
    _check_simple(corners)
    return corners


def _check_simple(corners: list[tuple[float, float]]) -> None:
    if not corners:
        return
    conflict = ring_conflict(corners)
    if conflict is not None:
        i, j = conflict
        n = len(corners)
        raise AreaError(
            _(
                "the edge from corner %(a)d to %(b)d crosses or touches the edge from corner "
                "%(c)d to %(d)d: list the corners in order around the area"
            )
            % {"a": i + 1, "b": (i + 1) % n + 1, "c": j + 1, "d": (j + 1) % n + 1}
        )


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
