"""Regular square and hexagonal grids: projecting points to metres and binning them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from pyproj import CRS, Transformer

from secu4all.engines import _checks

from . import _validate

# Cells of one grid: 16.8 million, 134 MB per float array, whatever the points' extent.
MAX_GRID_CELLS = 1 << 24


@dataclass(frozen=True)
class Grid:
    """A regular square grid in a metric coordinate system.

    Cell ``(row, col)`` covers ``[x0 + col*cell_size, x0 + (col+1)*cell_size)`` by
    ``[y0 + row*cell_size, y0 + (row+1)*cell_size)``: row 0 is the southern edge, so
    plot arrays with ``origin="lower"``. The last row and column also include their
    northern and eastern edges, so a point on the boundary of the extent is inside.
    """

    x0: float
    y0: float
    cell_size: float
    nx: int
    ny: int

    def __post_init__(self) -> None:
        _validate.positive(self.cell_size, "cell_size")
        for name in ("x0", "y0"):
            if not np.isfinite(getattr(self, name)):
                raise ValueError(f"{name} must be finite")
        for name in ("nx", "ny"):
            value = getattr(self, name)
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if int(self.nx) * int(self.ny) > MAX_GRID_CELLS:
            raise ValueError(
                f"a grid of {int(self.nx):,} x {int(self.ny):,} cells exceeds "
                f"{MAX_GRID_CELLS:,} cells; use larger cells or a smaller extent"
            )

    @property
    def shape(self) -> tuple[int, int]:
        """``(ny, nx)``, the shape of arrays on this grid."""
        return (int(self.ny), int(self.nx))

    @property
    def cell_area(self) -> float:
        """Area of one cell in square metres."""
        return self.cell_size**2

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """``(xmin, xmax, ymin, ymax)`` of the grid."""
        return (
            self.x0,
            self.x0 + self.nx * self.cell_size,
            self.y0,
            self.y0 + self.ny * self.cell_size,
        )

    def cell_centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Cell-centre coordinates as two 1-D arrays ``(x of columns, y of rows)``."""
        xs = self.x0 + (np.arange(self.nx) + 0.5) * self.cell_size
        ys = self.y0 + (np.arange(self.ny) + 0.5) * self.cell_size
        return xs, ys


def grid_for_points(x: ArrayLike, y: ArrayLike, cell_size: float, *, margin: float = 0.0) -> Grid:
    """Smallest grid of ``cell_size`` cells covering the points plus ``margin`` metres."""
    x = _checks.float_array(x, "x", ndim=1)
    y = _checks.float_array(y, "y", ndim=1)
    _checks.same_length(x=x, y=y)
    cell_size = _validate.positive(cell_size, "cell_size")
    if not np.isfinite(margin) or margin < 0:
        raise ValueError(f"margin must be a non-negative finite number, got {margin!r}")
    x0, y0 = x.min() - margin, y.min() - margin
    nx = max(1, int(np.ceil((x.max() + margin - x0) / cell_size)))
    ny = max(1, int(np.ceil((y.max() + margin - y0) / cell_size)))
    return Grid(x0=float(x0), y0=float(y0), cell_size=cell_size, nx=nx, ny=ny)


def cell_indices(x: ArrayLike, y: ArrayLike, grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of the cell containing each point; raises if a point is outside."""
    x = _checks.float_array(x, "x", ndim=1)
    y = _checks.float_array(y, "y", ndim=1)
    _checks.same_length(x=x, y=y)
    col = np.floor((x - grid.x0) / grid.cell_size).astype(np.int64)
    row = np.floor((y - grid.y0) / grid.cell_size).astype(np.int64)
    xmin, xmax, ymin, ymax = grid.extent
    # Points exactly on the north or east edge belong to the last cell, not outside.
    col[(col == grid.nx) & (x <= xmax)] = grid.nx - 1
    row[(row == grid.ny) & (y <= ymax)] = grid.ny - 1
    outside = (col < 0) | (col >= grid.nx) | (row < 0) | (row >= grid.ny)
    if outside.any():
        raise ValueError(
            f"{int(outside.sum())} points lie outside the grid extent "
            f"x [{xmin}, {xmax}], y [{ymin}, {ymax}]"
        )
    return row, col


def bin_points(
    x: ArrayLike, y: ArrayLike, grid: Grid, *, weights: ArrayLike | None = None
) -> np.ndarray:
    """Count (or sum ``weights`` of) points per cell: an array of shape ``grid.shape``.

    Raises ``ValueError`` if any point lies outside the grid, rather than dropping it.
    """
    row, col = cell_indices(x, y, grid)
    if weights is not None:
        weights = _checks.float_array(weights, "weights", ndim=1)
        _checks.same_length(x=row, weights=weights)
    flat = np.bincount(row * grid.nx + col, weights=weights, minlength=grid.nx * grid.ny)
    return flat.reshape(grid.shape)


@dataclass(frozen=True)
class ProjectedPoints:
    """Points projected to a metric coordinate reference system."""

    x: np.ndarray
    y: np.ndarray
    epsg: int


def utm_epsg(longitude: float, latitude: float) -> int:
    """EPSG code of the WGS 84 / UTM zone containing a point (326zz north, 327zz south).

    Zones are the regular 6-degree zones; the Norway and Svalbard exceptions are not
    applied, which only changes the zone, not the validity of the projection nearby.
    """
    if not -180 <= longitude <= 180 or not -90 <= latitude <= 90:
        raise ValueError(f"not a longitude/latitude: ({longitude}, {latitude})")
    zone = min(int((longitude + 180) // 6) + 1, 60)
    return (32600 if latitude >= 0 else 32700) + zone


def project_lonlat(
    longitude: ArrayLike, latitude: ArrayLike, *, epsg: int | None = None
) -> ProjectedPoints:
    """Project WGS 84 longitude/latitude (degrees) to metres.

    With ``epsg=None`` the UTM zone of the points' median position is used
    (:func:`utm_epsg`); otherwise the given projected EPSG code. Uses pyproj with
    ``always_xy=True``; needs no network access.
    """
    lon = _checks.float_array(longitude, "longitude", ndim=1)
    lat = _checks.float_array(latitude, "latitude", ndim=1)
    _checks.same_length(longitude=lon, latitude=lat)
    if (np.abs(lon) > 180).any() or (np.abs(lat) > 90).any():
        raise ValueError("longitude must lie in [-180, 180] and latitude in [-90, 90]")
    if epsg is None:
        epsg = utm_epsg(float(np.median(lon)), float(np.median(lat)))
    crs = CRS.from_epsg(epsg)
    if not crs.is_projected:
        raise ValueError(f"EPSG:{epsg} is not a projected (metric) coordinate system")
    transformer = Transformer.from_crs(CRS.from_epsg(4326), crs, always_xy=True)
    x, y = transformer.transform(lon, lat)
    return ProjectedPoints(x=np.asarray(x), y=np.asarray(y), epsg=int(epsg))


@dataclass(frozen=True)
class HexBins:
    """Occupied pointy-top hexagons: axial coordinates, centres and counts."""

    q: np.ndarray
    r: np.ndarray
    centre_x: np.ndarray
    centre_y: np.ndarray
    counts: np.ndarray
    size: float


def hex_bin(
    x: ArrayLike, y: ArrayLike, *, size: float, weights: ArrayLike | None = None
) -> HexBins:
    """Bin points into pointy-top hexagons with circumradius ``size`` metres.

    A hexagon with axial coordinates ``(q, r)`` is centred on
    ``(size*sqrt(3)*(q + r/2), 1.5*size*r)``; each point goes to the hexagon whose
    centre is nearest (cube-coordinate rounding). Only occupied hexagons are returned.
    Reference: Carr et al. (1987), "Scatterplot matrix techniques for large N", JASA 82.
    """
    x = _checks.float_array(x, "x", ndim=1)
    y = _checks.float_array(y, "y", ndim=1)
    _checks.same_length(x=x, y=y)
    size = _validate.positive(size, "size")
    if weights is not None:
        weights = _checks.float_array(weights, "weights", ndim=1)
        _checks.same_length(x=x, weights=weights)
    fq = (np.sqrt(3) / 3 * x - y / 3) / size
    fr = (2 / 3 * y) / size
    fs = -fq - fr
    q, r, s = np.rint(fq), np.rint(fr), np.rint(fs)
    dq, dr, ds = np.abs(q - fq), np.abs(r - fr), np.abs(s - fs)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -r - s, q).astype(np.int64)
    r = np.where(fix_r, -q - s, r).astype(np.int64)
    keys, inverse = np.unique(np.stack([q, r], axis=1), axis=0, return_inverse=True)
    counts = np.bincount(inverse.ravel(), weights=weights, minlength=len(keys))
    hq, hr = keys[:, 0], keys[:, 1]
    return HexBins(
        q=hq,
        r=hr,
        centre_x=size * np.sqrt(3) * (hq + hr / 2),
        centre_y=1.5 * size * hr,
        counts=counts,
        size=size,
    )
