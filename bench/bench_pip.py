"""Point in polygon: 1,000,000 points placed in Georgia's 159 counties (real outlines, with
holes and multipolygons, bundled with libpysal) by ``engines.spatial.pip.locate`` and, in
the same run, by shapely: its vectorised ``contains_xy`` per county over every point, and
the same after an STRtree query (shapely's own bounding-box prefilter)."""

import warnings
from pathlib import Path

import numpy as np
from _common import best_time

from secu4all.engines.spatial.pip import geojson_area, locate

POINTS = 1_000_000


def counties() -> list[dict]:
    import libpysal
    from libpysal import examples
    from shapely.geometry import shape

    path = Path(examples.__path__[0]) / "georgia" / "G_utm.shp"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shapes = libpysal.io.open(str(path)).read()
    return [shape(s.__geo_interface__).__geo_interface__ for s in shapes]


def main() -> None:
    import shapely
    from shapely.geometry import shape

    geometries = counties()
    areas = [geojson_area(g) for g in geometries]
    polygons = [shape(g) for g in geometries]
    shapely.prepare(polygons)
    bounds = np.array([p.bounds for p in polygons])
    rng = np.random.default_rng(1)
    x = rng.uniform(bounds[:, 0].min(), bounds[:, 2].max(), POINTS)
    y = rng.uniform(bounds[:, 1].min(), bounds[:, 3].max(), POINTS)

    def with_contains() -> np.ndarray:
        result = np.full(POINTS, -1)
        for index, polygon in enumerate(polygons):
            result[shapely.contains_xy(polygon, x, y) & (result == -1)] = index
        return result

    tree = shapely.STRtree(polygons)

    def with_tree() -> np.ndarray:
        result = np.full(POINTS, -1)
        points, found = tree.query(shapely.points(x, y), predicate="within")
        order = np.lexsort((found, points))  # the first county per point, as ``locate``
        points, found = points[order], found[order]
        first = np.r_[True, points[1:] != points[:-1]]
        result[points[first]] = found[first]
        return result

    ours_result = locate(x, y, areas)
    assert np.array_equal(ours_result, with_contains())
    assert np.array_equal(ours_result, with_tree())
    ours = best_time(lambda: locate(x, y, areas))
    contains = best_time(with_contains)
    strtree = best_time(with_tree)
    for reference, name in ((contains, "shapely contains_xy"), (strtree, "shapely STRtree")):
        print(
            f"| point in polygon, 1M points, 159 counties | {ours:.2f} s | "
            f"{reference:.2f} s ({name}) | {reference / ours:.2f}x | same answer | yes |",
            flush=True,
        )


if __name__ == "__main__":
    main()
