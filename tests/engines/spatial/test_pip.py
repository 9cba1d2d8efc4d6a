"""Point in polygon against shapely, on the neighbourhood files of the tests and Columbus."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely import contains_xy
from shapely.geometry import shape

from secu4all.engines.spatial.pip import geojson_area, locate

AREAS = Path(__file__).resolve().parents[2] / "data" / "areas" / "buurten.geojson"


def buurten() -> list[dict]:
    features = json.loads(AREAS.read_text())["features"]
    seen, geometries = set(), []
    for feature in features:
        code = feature["properties"].get("buurtcode")
        geometry = feature["geometry"]
        # Only the valid WGS 84 neighbourhoods of the file, each once.
        if (
            code
            and code not in seen
            and geometry["type"] in {"Polygon", "MultiPolygon"}
            and abs(geometry["coordinates"][0][0][0] if geometry["type"] == "Polygon" else 0) < 180
        ):
            seen.add(code)
            geometries.append(geometry)
    return geometries


def shapely_locate(x: np.ndarray, y: np.ndarray, geometries: list[dict]) -> np.ndarray:
    result = np.full(x.shape[0], -1)
    for index, geometry in enumerate(geometries):
        inside = contains_xy(shape(geometry), x, y) & (result == -1)
        result[inside] = index
    return result


def points_around(geometries: list[dict], n: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    bounds = np.array([shape(g).bounds for g in geometries])
    rng = np.random.default_rng(seed)
    x0, y0 = bounds[:, 0].min(), bounds[:, 1].min()
    x1, y1 = bounds[:, 2].max(), bounds[:, 3].max()
    pad_x, pad_y = (x1 - x0) * 0.1, (y1 - y0) * 0.1
    return (
        rng.uniform(x0 - pad_x, x1 + pad_x, n),
        rng.uniform(y0 - pad_y, y1 + pad_y, n),
    )


def libpysal_boundaries(folder: str, name: str) -> list[dict]:
    """Polygons of a shapefile bundled with libpysal (a dev dependency; nothing downloaded)."""
    libpysal = pytest.importorskip("libpysal")
    from libpysal import examples

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shapes = libpysal.io.open(str(Path(examples.__path__[0]) / folder / name)).read()
    return [shape(s.__geo_interface__).__geo_interface__ for s in shapes]


def test_neighbourhoods_of_the_test_file_agree_with_shapely() -> None:
    geometries = buurten()
    x, y = points_around(geometries, 20_000)
    ours = locate(x, y, [geojson_area(g) for g in geometries])
    assert np.array_equal(ours, shapely_locate(x, y, geometries))
    # The random points land in every neighbourhood, the multipolygon too, and outside.
    assert any(g["type"] == "MultiPolygon" for g in geometries)
    assert set(ours) == {-1, *range(len(geometries))}


def test_georgia_counties_with_holes_and_parts_agree_with_shapely() -> None:
    """Georgia's 159 counties in UTM metres: real outlines, three with holes (a county
    enclosing another) and nine of several parts."""
    geometries = libpysal_boundaries("georgia", "G_utm.shp")
    holed = [
        i for i, g in enumerate(geometries) if g["type"] == "Polygon" and len(g["coordinates"]) > 1
    ]
    assert len(holed) == 3
    assert sum(g["type"] == "MultiPolygon" for g in geometries) == 9
    x, y = points_around(geometries, 50_000)
    # Points inside each hole: the county enclosing it must not claim them.
    for index in holed:
        hole = shape({"type": "Polygon", "coordinates": [geometries[index]["coordinates"][1]]})
        inner = hole.representative_point()
        x, y = np.append(x, inner.x), np.append(y, inner.y)
    ours = locate(x, y, [geojson_area(g) for g in geometries])
    assert np.array_equal(ours, shapely_locate(x, y, geometries))
    assert not set(ours[-len(holed) :]) & set(holed)


def test_a_point_in_a_hole_is_outside_and_in_a_second_part_inside() -> None:
    outline = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
    island = [[20, 20], [22, 20], [22, 22], [20, 22], [20, 20]]
    doughnut_and_island = [[outline, hole], [island]]
    filler = [[hole]]  # the neighbourhood that fills the hole
    x = np.array([2.0, 5.0, 21.0, 15.0])
    y = np.array([2.0, 5.0, 21.0, 15.0])
    assert locate(x, y, [doughnut_and_island, filler]).tolist() == [0, 1, 0, -1]


def test_a_point_on_a_shared_edge_belongs_to_exactly_one_neighbour() -> None:
    left = [[[[0, 0], [1, 0], [1, 1], [0, 1]]]]  # rings may be left open
    right = [[[[1, 0], [2, 0], [2, 1], [1, 1]]]]
    x = np.array([1.0, 1.0, 0.5])
    y = np.array([0.5, 0.25, 0.5])
    # Half-open rule: the shared vertical edge goes to the neighbour on its right.
    assert locate(x, y, [left, right]).tolist() == [1, 1, 0]
    assert locate(x, y, [right, left]).tolist() == [0, 0, 1]


def test_missing_coordinates_and_no_areas_place_nothing() -> None:
    square = [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]]
    x = np.array([np.nan, 0.5, np.inf])
    y = np.array([0.5, np.nan, 0.5])
    assert locate(x, y, [square]).tolist() == [-1, -1, -1]
    assert locate([0.5], [0.5], []).tolist() == [-1]
    with pytest.raises(ValueError, match="same length"):
        locate([0.5, 1], [0.5], [square])
    with pytest.raises(ValueError, match="three"):
        locate([0.5], [0.5], [[[[0, 0], [1, 1]]]])


def test_demo_neighbourhoods_agree_with_shapely() -> None:
    from secu4all.incidents import demo_generator

    geometries = list(demo_generator.boundaries().values())
    x, y = points_around(geometries, 20_000, seed=9)
    ours = locate(x, y, [geojson_area(g) for g in geometries])
    assert np.array_equal(ours, shapely_locate(x, y, geometries))


def test_columbus_neighbourhoods_agree_with_shapely() -> None:
    """The 49 planning neighbourhoods of Columbus, Ohio (libpysal's bundled shapefile)."""
    geometries = libpysal_boundaries("columbus", "columbus.shp")
    x, y = points_around(geometries, 20_000, seed=11)
    ours = locate(x, y, [geojson_area(g) for g in geometries])
    assert np.array_equal(ours, shapely_locate(x, y, geometries))
    assert (ours >= 0).mean() > 0.25


def test_rays_through_corners_count_once() -> None:
    """Points level with corners (the ray passes through a vertex) on a zigzag outline with
    a hole: the half-open rule counts each corner once, as shapely's answer shows."""
    outline = [[0, 0], [8, 0], [8, 8], [6, 5], [4, 8], [2, 5], [0, 8], [0, 0]]
    hole = [[3, 1], [5, 1], [5, 3], [4, 2], [3, 3], [3, 1]]
    geometry = {"type": "Polygon", "coordinates": [outline, hole]}
    xs, ys = np.meshgrid(np.arange(-1, 9.5, 0.5), np.arange(-1, 10, 1.0))
    x, y = xs.ravel(), ys.ravel()
    polygon = shape(geometry)
    off_boundary = polygon.boundary.distance(shapely.points(x, y)) > 0
    x, y = x[off_boundary], y[off_boundary]
    ours = locate(x, y, [geojson_area(geometry)])
    assert np.array_equal(ours, shapely_locate(x, y, [geometry]))
    assert 0 < (ours == 0).sum() < x.size
