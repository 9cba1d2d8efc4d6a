"""Reading an organisation's neighbourhoods: the only way other apps see areas."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from secu4all.neighbourhoods.models import Area
from secu4all.organisations.models import Organisation
from secu4all.organisations.selectors import base_map_of


def area_list(*, organisation: Organisation) -> QuerySet[Area]:
    """The organisation's neighbourhoods, by code."""
    return Area.objects.with_scope(organisation=organisation).order_by("code")


def boundaries_exist(*, organisation: Organisation) -> bool:
    """Whether at least one of the organisation's neighbourhoods has its boundary."""
    return Area.objects.with_scope(organisation=organisation).exclude(boundary=None).exists()


def area_get(*, organisation: Organisation, code: str) -> Area | None:
    """The neighbourhood with ``code``, or None when the organisation has none by that code."""
    return area_list(organisation=organisation).filter(code=code).first()


def area_names(*, organisation: Organisation) -> dict[str, str]:
    """Each neighbourhood's name by its code."""
    return dict(area_list(organisation=organisation).values_list("code", "name"))


def area_populations(*, organisation: Organisation) -> dict[str, int | None]:
    """Each neighbourhood's inhabitants by its code (None where not known)."""
    return dict(area_list(organisation=organisation).values_list("code", "population"))


def area_boundaries(*, organisation: Organisation) -> dict[str, dict]:
    """The GeoJSON boundary of each neighbourhood that has one, by its code."""
    return dict(
        area_list(organisation=organisation)
        .filter(boundary__isnull=False)
        .values_list("code", "boundary")
    )


def _positions(geometry: dict) -> list[tuple[float, float]]:
    """Every (lon, lat) of a Polygon or MultiPolygon boundary."""
    rings = geometry.get("coordinates") or []
    if geometry.get("type") == "MultiPolygon":
        rings = [ring for polygon in rings for ring in polygon]
    return [(float(p[0]), float(p[1])) for ring in rings for p in ring]


def region_bounds(*, boundaries: dict[str, dict]) -> list[list[float]] | None:
    """[[south, west], [north, east]] around all the boundaries, or None without any."""
    points = [p for geometry in boundaries.values() for p in _positions(geometry)]
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def map_frame(
    *,
    organisation: Organisation,
    legend: list[dict] | None = None,
    legend_title: str = "",
    options: dict | None = None,
    focus: bool = False,
) -> dict:
    """What every map of the organisation shares, for ``_map.html`` and ``map.js``: its base map
    (its own PMTiles archive, else the configured tile URL, else none), its neighbourhoods with
    their names, its region for the first view, and Leaflet's control texts in the reader's
    language. ``legend`` lists the page's own classes as {key, label, colour, shape}; the map
    draws with those colours, so legend and map cannot disagree. ``focus`` starts the map at
    the page's own data (a site, a walk) instead of the whole region.
    """
    boundaries = area_boundaries(organisation=organisation)
    names = area_names(organisation=organisation)
    base_map = base_map_of(organisation=organisation)
    base = None
    if base_map is not None:
        base = {
            "url": reverse("organisations:base_map", args=[organisation.slug]),
            "attribution": base_map.attribution,
            "bounds": base_map.bounds,
            "max_zoom": base_map.max_zoom,
        }
    items = list(legend or [])
    if boundaries:
        items.append(
            {
                "key": "boundary",
                "label": _("Neighbourhood boundary, with its name"),
                "colour": "#3b4650",
                "shape": "line",
            }
        )
    return {
        "base": base,
        "tiles": "" if base else settings.TILE_URL,
        "areas": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": geometry,
                    "properties": {"code": code, "name": names.get(code) or code},
                }
                for code, geometry in sorted(boundaries.items())
            ],
        },
        "region": region_bounds(boundaries=boundaries) or (base["bounds"] if base else None),
        "focus": focus,
        "legend": items,
        "legend_title": legend_title,
        "options": options or {},
        "controls": {
            "zoom_in": _("Zoom in"),
            "zoom_out": _("Zoom out"),
            "leaflet": _("A JavaScript library for interactive maps"),
        },
    }
