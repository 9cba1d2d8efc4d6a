"""Hotspot layers as GeoJSON, PNG and a self-contained HTML map."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np
from PIL import Image
from pyproj import Transformer

from secu4all.incidents.selectors import HotspotLayer

# Polygons in one layer: about 40 MB of objects and 6 MB of GeoJSON.
MAX_DRAWN_CELLS = 20_000
VENDOR = Path(__file__).resolve().parent.parent / "site" / "static" / "vendor" / "leaflet"

# Hot reds and cold blues, darker for higher confidence (ColorBrewer RdBu).
GI_COLOURS = {
    3: (178, 24, 43),
    2: (239, 138, 98),
    1: (253, 219, 199),
    -1: (209, 229, 240),
    -2: (103, 169, 207),
    -3: (33, 102, 172),
}
# Local Moran quadrants: high-high, low-high, low-low, high-low.
LISA_COLOURS = {1: (215, 25, 28), 2: (171, 217, 233), 3: (44, 123, 182), 4: (253, 174, 97)}
CLASS_LABELS = {
    "gistar": {
        3: "hot spot 99%",
        2: "hot spot 95%",
        1: "hot spot 90%",
        -1: "cold spot 90%",
        -2: "cold spot 95%",
        -3: "cold spot 99%",
    },
    "local-moran": {1: "high-high", 2: "low-high", 3: "low-low", 4: "high-low"},
    "kde": {1: "hot"},
}


def _to_lonlat(epsg: int, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    transformer = Transformer.from_crs(epsg, 4326, always_xy=True)
    lon, lat = transformer.transform(x, y)
    return np.asarray(lon), np.asarray(lat)


def shown_cells(layer: HotspotLayer) -> np.ndarray:
    """Cells worth drawing: significant classes, or the hot part of a density surface
    (``selectors.kde_hot_classes``): the page counts exactly these."""
    return layer.classes != 0


def drawn_cells(layer: HotspotLayer) -> tuple[np.ndarray, np.ndarray, int]:
    """Rows and columns of the cells to draw, strongest first beyond ``MAX_DRAWN_CELLS``,
    and how many cells were worth drawing: a layer's size in memory and in the page stays
    bounded whatever the grid."""
    rows, cols = np.nonzero(shown_cells(layer))
    marked = int(rows.size)
    if marked > MAX_DRAWN_CELLS:
        strongest = np.argsort(-np.abs(layer.values[rows, cols]), kind="stable")
        keep = np.sort(strongest[:MAX_DRAWN_CELLS])
        rows, cols = rows[keep], cols[keep]
    return rows, cols, marked


def to_geojson(layer: HotspotLayer) -> dict:
    """The drawn cells as polygons in WGS 84 longitude/latitude (RFC 7946)."""
    rows, cols, marked = drawn_cells(layer)
    size, grid = layer.grid.cell_size, layer.grid
    x0 = grid.x0 + cols * size
    y0 = grid.y0 + rows * size
    corners_x = np.stack([x0, x0 + size, x0 + size, x0, x0], axis=1)
    corners_y = np.stack([y0, y0, y0 + size, y0 + size, y0], axis=1)
    lon, lat = _to_lonlat(layer.epsg, corners_x.ravel(), corners_y.ravel())
    lon, lat = lon.reshape(corners_x.shape), lat.reshape(corners_y.shape)
    labels = CLASS_LABELS.get(layer.method, {})
    features = []
    for k, (r, c) in enumerate(zip(rows, cols, strict=True)):
        cls = int(layer.classes[r, c])
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [round(float(a), 7), round(float(b), 7)]
                            for a, b in zip(lon[k], lat[k], strict=True)
                        ]
                    ],
                },
                "properties": {
                    "row": int(r),
                    "col": int(c),
                    "count": int(layer.counts[r, c]),
                    "value": round(float(layer.values[r, c]), 4),
                    "class": cls,
                    "label": labels.get(cls, ""),
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "properties": {
            "method": layer.method,
            "cell_size_m": layer.grid.cell_size,
            "epsg": layer.epsg,
            "incidents": layer.n_points,
            "cells_marked": marked,
            "cells_drawn": int(rows.size),
        },
        "features": features,
    }


def to_png(layer: HotspotLayer, *, scale: int = 1) -> bytes:
    """The layer as an RGBA image, north up, one pixel (times ``scale``) per cell."""
    ny, nx = layer.grid.shape
    rgba = np.zeros((ny, nx, 4), dtype=np.uint8)
    if layer.method == "kde":
        v = np.clip(layer.values, 0, 1)
        # White-yellow-red ramp, transparent where there is (almost) nothing.
        rgba[..., 0] = 255
        rgba[..., 1] = (255 * (1 - v)).astype(np.uint8)
        rgba[..., 2] = (255 * np.clip(1 - 2 * v, 0, 1)).astype(np.uint8)
        rgba[..., 3] = np.where(layer.classes > 0, (80 + 175 * v).astype(np.uint8), 0)
    else:
        palette = GI_COLOURS if layer.method == "gistar" else LISA_COLOURS
        for cls, colour in palette.items():
            rgba[layer.classes == cls] = (*colour, 220)
    image = Image.fromarray(rgba[::-1], mode="RGBA")  # row 0 is south
    if scale > 1:
        image = image.resize((nx * scale, ny * scale), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def counts_png_data_uri(layer: HotspotLayer) -> str:
    """Incident counts as a grey image (log scale), the backdrop that shows the city's shape."""
    counts = layer.counts.astype(float)
    level = np.log1p(counts) / max(np.log1p(counts.max()), 1e-9)
    rgba = np.zeros((*counts.shape, 4), dtype=np.uint8)
    rgba[..., :3] = (90 - 60 * level)[..., None].astype(np.uint8)
    rgba[..., 3] = np.where(counts > 0, (60 + 150 * level).astype(np.uint8), 0)
    buffer = io.BytesIO()
    Image.fromarray(rgba[::-1], mode="RGBA").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def bounds_lonlat(layer: HotspotLayer) -> list[list[float]]:
    """South-west and north-east corners of the grid in latitude/longitude, for Leaflet."""
    xmin, xmax, ymin, ymax = layer.grid.extent
    lon, lat = _to_lonlat(
        layer.epsg, np.array([xmin, xmax, xmin, xmax]), np.array([ymin, ymin, ymax, ymax])
    )
    return [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]


def to_html(layer: HotspotLayer, *, title: str) -> str:
    """One HTML file with Leaflet inlined: opens offline, in any browser, without a server."""
    leaflet_js = (VENDOR / "leaflet.js").read_text(encoding="utf-8")
    leaflet_css = (VENDOR / "leaflet.css").read_text(encoding="utf-8")
    data = json.dumps(to_geojson(layer)).replace("</", "<\\/")
    bounds = json.dumps(bounds_lonlat(layer))
    # Each method's own classes: local Moran's high-high is not Gi*'s pale "90 %" class.
    colours = GI_COLOURS if layer.method == "gistar" else LISA_COLOURS
    palette = json.dumps({str(k): "#{:02x}{:02x}{:02x}".format(*v) for k, v in colours.items()})
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{safe_title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{leaflet_css}
html, body, #map {{ height: 100%; margin: 0; }}
.legend {{ background: #fff; padding: 6px 8px; font: 13px sans-serif; }}</style>
<script>{leaflet_js}</script></head>
<body><div id="map" role="region" aria-label="{safe_title}"></div>
<script>
const data = {data};
const map = L.map("map");
map.fitBounds({bounds});
const palette = {palette};
const ramp = v =>
  `rgb(255, ${{Math.round(255 * (1 - v))}}, ${{Math.round(255 * Math.max(0, 1 - 2 * v))}})`;
const colour = p => data.properties.method === "kde"
  ? ramp(p.value) : palette[String(p.class)] || "#e34a33";
L.geoJSON(data, {{style: f => ({{weight: 0, fillOpacity: 0.75,
  fillColor: colour(f.properties)}}),
  onEachFeature: (f, l) => l.bindTooltip(`${{f.properties.label
    || "density " + f.properties.value}} · ${{f.properties.count}} incidents`)
}}).addTo(map);
</script></body></html>
"""
