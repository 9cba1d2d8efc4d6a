"""Build the demo town's base map: a small PMTiles archive of Havenstad, made up to match its data.

Havenstad is fictional, so its streets, water, parks and names are drawn here, in metres
around the centre the incident generator uses (``incidents.demo_generator``): the sea to the
west behind the dunes of Duinzicht, a harbour in Havenkwartier joined to the sea and to a canal
that runs north-east to Vaartoever, the city park in Parkwijk, the woods of Zuiderhout, the
Grote Plein and the Winkelstraat where the planted hotspots are, and the railway through
Centraal Station. Layers and properties follow the Protomaps basemap schema (``earth``,
``water``, ``landuse``, ``roads``, ``places``), so protomaps-leaflet's own styles draw it just
as they draw a real region cut from a Protomaps build.

Run once, commit the result (it is deterministic):
    .venv/bin/python scripts/demo_base_map.py src/secu4all/organisations/demo_data/havenstad.pmtiles
Needs the [dev] extras (mapbox-vector-tile, shapely).
"""

from __future__ import annotations

import gzip
import math
import sys
from pathlib import Path

import mapbox_vector_tile
import shapely
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box
from shapely.ops import unary_union

from secu4all.incidents.demo_generator import CENTRE_LAT, CENTRE_LON, EPSG, NEIGHBOURHOODS

EXTENT = 4200.0  # metres each side of the centre: the 6 × 6 km town and a margin
MIN_ZOOM, MAX_ZOOM = 10, 15
STREET_NAMES = (
    "Lindelaan", "Eikenstraat", "Beukenlaan", "Kastanjestraat", "Wilgenweg", "Populierenlaan",
    "Esdoornstraat", "Berkenweg", "Iepenlaan", "Platanenstraat", "Dennenweg", "Elzenstraat",
    "Meidoornlaan", "Vlierstraat", "Hazelaarweg", "Lijsterbesstraat", "Acacialaan",
    "Cederstraat", "Taxusweg", "Hulststraat", "Sparrenlaan", "Notenstraat",
    "Kersenlaan", "Appelstraat",
)  # fmt: skip

_to_utm = Transformer.from_crs(4326, EPSG, always_xy=True)
_centre = _to_utm.transform(CENTRE_LON, CENTRE_LAT)
_to_mercator = Transformer.from_crs(EPSG, 3857, always_xy=True)
_to_lonlat = Transformer.from_crs(EPSG, 4326, always_xy=True)


def _to_web_mercator(geometry):
    """A geometry in metres around the centre, in Web Mercator metres."""
    return shapely.transform(
        geometry,
        lambda x, y: _to_mercator.transform(x + _centre[0], y + _centre[1]),
        interleaved=False,
    )


def town() -> dict[str, list[tuple[object, dict]]]:
    """Every feature of the town by layer, as (shapely geometry in local metres, properties)."""
    whole = box(-EXTENT, -EXTENT, EXTENT, EXTENT)
    coast = Polygon(
        [
            (-EXTENT, -EXTENT), (-3250, -EXTENT), (-3350, -2000), (-3200, -500),
            (-3380, 1200), (-3260, 2800), (-3320, EXTENT), (-EXTENT, EXTENT),
        ]
    )  # fmt: skip
    harbour = box(-700, -2600, 500, -1750)
    channel = LineString([(-3300, -2200), (-700, -2200)]).buffer(90, cap_style="flat")
    canal_line = LineString([(500, -2000), (1300, -1200), (1400, 0), (1900, 1300), (3000, 2700)])
    canal = canal_line.buffer(35, cap_style="flat")
    water = unary_union([coast, harbour, channel, canal])
    park = Polygon([(-2600, -600), (-1400, -650), (-1350, 500), (-2550, 550)])
    woods = Polygon([(-2850, 1500), (-1300, 1450), (-1250, 2850), (-2800, 2900)])
    square = box(-450, 215, -350, 285)
    open_space = unary_union([water, park, woods, square])

    roads: list[tuple[object, dict]] = []
    major = [
        (LineString([(-2500, -2500), (2500, -2500), (2500, 2500), (-2500, 2500), (-2500, -2500)]),
         "Ringweg"),
        (LineString([(0, -EXTENT), (0, EXTENT)]), "Havenweg"),
        (LineString([(-3200, 0), (EXTENT, 0)]), "Dorpsstraat"),
        (LineString([(0, 0), (1200, 850)]), "Stationsweg"),
    ]  # fmt: skip
    for line, name in major:
        roads.append((line.difference(water), {"kind": "major_road", "name": name}))
    roads.append(
        (LineString([(0, -150), (800, -150)]), {"kind": "minor_road", "name": "Winkelstraat"})
    )
    names = iter(STREET_NAMES * 4)
    step = 250
    for i in range(-11, 12):
        if i == 0:
            continue
        for line in (
            LineString([(i * step, -3000), (i * step, 3000)]),
            LineString([(-3000, i * step), (3000, i * step)]),
        ):
            rest = line.difference(open_space)
            if not rest.is_empty:
                roads.append((rest, {"kind": "minor_road", "name": next(names)}))
    rail = LineString([(-EXTENT, -2300), (1200, 900), (EXTENT, 2900)])
    roads.append((rail, {"kind": "rail", "name": "Spoorlijn"}))

    earth = whole.difference(coast)
    places = [(Point(0, 0), {"kind": "locality", "name": "Havenstad", "population_rank": 9})]
    side = 2000
    for index, (_code, name, _population) in enumerate(NEIGHBOURHOODS):
        row, col = divmod(index, 3)
        centre = Point(-3000 + (col + 0.5) * side, -3000 + (row + 0.5) * side)
        places.append((centre, {"kind": "neighbourhood", "name": name}))
    return {
        "earth": [(earth, {"kind": "earth"})],
        "landuse": [
            (park, {"kind": "park", "name": "Stadspark"}),
            (woods, {"kind": "forest", "name": "Zuiderhout"}),
            (square, {"kind": "pedestrian", "name": "Grote Plein"}),
            (box(900, 700, 1500, 1100), {"kind": "railway", "name": "Centraal Station"}),
        ],
        "water": [
            (coast, {"kind": "ocean", "name": "Noordzee"}),
            (harbour.union(channel), {"kind": "water", "name": "Haven"}),
            (canal, {"kind": "water", "name": "Havenvaart"}),
        ],
        "roads": roads,
        "places": places,
    }


def _tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """A tile's (minx, miny, maxx, maxy) in Web Mercator metres."""
    world = 2 * math.pi * 6378137.0
    size = world / 2**z
    minx = -world / 2 + x * size
    maxy = world / 2 - y * size
    return minx, maxy - size, minx + size, maxy


def _tile_range(z: int, west: float, south: float, east: float, north: float) -> range:
    def tile(lon: float, lat: float) -> tuple[int, int]:
        n = 2**z
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        return x, y

    (x0, y0), (x1, y1) = tile(west, north), tile(east, south)
    return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def build(out: Path) -> dict:
    """Write the archive to ``out``; return its header."""
    layers = town()
    mercator = {
        name: [(_to_web_mercator(geometry), props) for geometry, props in items]
        for name, items in layers.items()
    }
    west, south = _to_lonlat.transform(_centre[0] - EXTENT, _centre[1] - EXTENT)
    east, north = _to_lonlat.transform(_centre[0] + EXTENT, _centre[1] + EXTENT)
    tiles = []
    for z in range(MIN_ZOOM, MAX_ZOOM + 1):
        for x, y in _tile_range(z, west, south, east, north):
            bounds = _tile_bounds(z, x, y)
            margin = (bounds[2] - bounds[0]) * 16 / 4096  # a little past the edge: no seams
            minx, miny, maxx, maxy = bounds
            clip = box(minx - margin, miny - margin, maxx + margin, maxy + margin)
            encoded = []
            for name, items in mercator.items():
                features = []
                for geometry, props in items:
                    if name == "places" and z < 13 and props["kind"] == "neighbourhood":
                        continue
                    if name == "roads" and z < 13 and props["kind"] == "minor_road":
                        continue
                    part = geometry.intersection(clip)
                    if part.is_empty:
                        continue
                    features.append({"geometry": part, "properties": props})
                if features:
                    encoded.append({"name": name, "features": features})
            if not encoded:
                continue
            data = mapbox_vector_tile.encode(encoded, default_options={"quantize_bounds": bounds})
            tiles.append((zxy_to_tileid(z, x, y), gzip.compress(data, mtime=0)))
    tiles.sort()
    out.parent.mkdir(parents=True, exist_ok=True)
    header = {
        "tile_type": TileType.MVT,
        "tile_compression": Compression.GZIP,
        "min_lon_e7": int(west * 1e7),
        "min_lat_e7": int(south * 1e7),
        "max_lon_e7": int(east * 1e7),
        "max_lat_e7": int(north * 1e7),
        "center_zoom": 13,
        "center_lon_e7": int(CENTRE_LON * 1e7),
        "center_lat_e7": int(CENTRE_LAT * 1e7),
    }
    metadata = {
        "name": "Havenstad (fictional demo town)",
        "attribution": "Secu4All demo town",
        "vector_layers": [{"id": name, "fields": {}} for name in layers],
    }
    with out.open("wb") as handle:
        writer = Writer(handle)
        for tile_id, data in tiles:
            writer.write_tile(tile_id, data)
        writer.finalize(header, metadata)
    return {"tiles": len(tiles), "bytes": out.stat().st_size}


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "havenstad.pmtiles")
    print(build(target))
