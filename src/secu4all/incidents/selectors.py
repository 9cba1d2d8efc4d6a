"""Reading incidents: filtered sets and the analyses the crime overview shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection
from django.db.models import Count, QuerySet
from django.utils import timezone

from secu4all.engines.spatial import (
    Grid,
    bin_points,
    grid_for_points,
    grid_gi_star,
    grid_weights,
    hour_weekday_counts,
    kde_grid,
    knox_test,
    local_moran,
    monthly_series,
    pai,
    pei,
    top_cells,
)
from secu4all.incidents.models import Area, ImportRun, Incident
from secu4all.organisations.models import Organisation

METHODS = ("gistar", "kde", "local-moran")
MAX_CELLS = 1_000_000


@dataclass(frozen=True)
class IncidentFilter:
    date_from: date | None = None
    date_to: date | None = None
    category: str = ""
    area: str = ""


def incident_list(*, organisation: Organisation, filters: IncidentFilter) -> QuerySet[Incident]:
    incidents = Incident.objects.with_scope(organisation=organisation)
    if filters.date_from:
        incidents = incidents.filter(occurred_on__gte=filters.date_from)
    if filters.date_to:
        incidents = incidents.filter(occurred_on__lte=filters.date_to)
    if filters.category:
        incidents = incidents.filter(category=filters.category)
    if filters.area:
        incidents = incidents.filter(area_code=filters.area)
    return incidents


def import_run_list(*, organisation: Organisation) -> QuerySet[ImportRun]:
    return ImportRun.objects.with_scope(organisation=organisation).select_related("created_by")


@dataclass(frozen=True)
class Totals:
    incidents: int
    located: int
    no_location: int


def totals(incidents: QuerySet[Incident]) -> Totals:
    total = incidents.count()
    located = incidents.filter(x__isnull=False).count()
    return Totals(incidents=total, located=located, no_location=total - located)


def xy_arrays(incidents: QuerySet[Incident]) -> tuple[np.ndarray, np.ndarray]:
    """Projected coordinates of the located incidents, fetched without building model rows."""
    sql, params = incidents.filter(x__isnull=False).values_list("x", "y").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = np.array(cursor.fetchall(), dtype=float)
    if rows.size == 0:
        return np.empty(0), np.empty(0)
    return rows[:, 0], rows[:, 1]


def hour_weekday(incidents: QuerySet[Incident]) -> np.ndarray | None:
    """Counts by weekday × hour, in local time, of incidents whose time is known."""
    moments = list(
        incidents.filter(occurred_at__isnull=False).values_list("occurred_at", flat=True)
    )
    if not moments:
        return None
    local = [timezone.localtime(m).replace(tzinfo=None) for m in moments]
    return hour_weekday_counts(np.array(local, dtype="datetime64[s]")).counts


def monthly(incidents: QuerySet[Incident]):
    """Counts per month with a Mann-Kendall trend test, or None with too few months."""
    days = list(incidents.values_list("occurred_on", flat=True))
    if not days:
        return None
    return monthly_series(np.array(days, dtype="datetime64[D]"))


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    count: int
    population: int | None

    @property
    def rate(self) -> float | None:
        """Incidents per 1,000 inhabitants."""
        return 1000 * self.count / self.population if self.population else None


def area_rows(*, organisation: Organisation, incidents: QuerySet[Incident]) -> list[AreaRow]:
    """Counts per area, including incidents without location (they carry an area code)."""
    rows = (
        incidents.exclude(area_code="")
        .values("area_code", "area_name")
        .annotate(n=Count("id"))
        .order_by("-n", "area_code")
    )
    areas = {a.code: a for a in Area.objects.with_scope(organisation=organisation).all()}
    result = []
    for r in rows:
        area = areas.get(r["area_code"])
        name = r["area_name"] or (area.name if area else "")
        result.append(AreaRow(r["area_code"], name, r["n"], area.population if area else None))
    return result


def top_areas(rows: list[AreaRow], *, by: str = "count", limit: int = 10) -> list[AreaRow]:
    """The areas with most incidents, or with the highest rate where population is known."""
    if by == "rate":
        rated = [r for r in rows if r.rate is not None]
        return sorted(rated, key=lambda r: (-r.rate, r.code))[:limit]
    return rows[:limit]


@dataclass(frozen=True)
class HotspotLayer:
    """A hotspot surface on a grid in the organisation's projection."""

    method: str
    grid: Grid
    epsg: int
    counts: np.ndarray
    values: np.ndarray  # Gi* z, KDE relative density, or local Moran quadrant
    classes: np.ndarray  # ±3/±2/±1 (Gi*), quadrant 1–4 (local Moran), 0 elsewhere
    n_points: int


def hotspot_layer(
    *,
    organisation: Organisation,
    incidents: QuerySet[Incident],
    method: str,
    cell: float,
    bandwidth: float | None = None,
    grid: Grid | None = None,
) -> HotspotLayer | None:
    """Gi*, kernel density or local Moran on a grid of ``cell`` metres; None without points."""
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}; choose one of {', '.join(METHODS)}.")
    if cell <= 0:
        raise ValueError(f"The cell size must be positive, got {cell}.")
    x, y = xy_arrays(incidents)
    if x.size == 0 or organisation.projection_epsg is None:
        return None
    grid = grid or grid_for_points(x, y, cell, margin=cell)
    if grid.nx * grid.ny > MAX_CELLS:
        raise ValueError(
            f"A {cell:g} m grid over these incidents has {grid.nx * grid.ny:,} cells; "
            f"choose a larger cell size (at most {MAX_CELLS:,} cells)."
        )
    counts = bin_points(x, y, grid)
    if method == "gistar":
        result = grid_gi_star(counts, neighbourhood="queen")
        values, classes = np.nan_to_num(result.z), result.classes
    elif method == "kde":
        surface = kde_grid(x, y, grid, bandwidth=bandwidth or 3 * cell).relative
        values, classes = surface, np.zeros(grid.shape, dtype=int)
    else:
        weights = grid_weights(grid.shape, neighbourhood="queen")
        if np.ptp(counts) == 0:
            raise ValueError("Every cell holds the same count; local Moran needs variation.")
        result = local_moran(counts.ravel().astype(float), weights, permutations=99, seed=0)
        values = result.Is.reshape(grid.shape)
        classes = result.significant_quadrants(0.05).reshape(grid.shape)
    return HotspotLayer(
        method, grid, organisation.projection_epsg, counts, values, classes, int(x.size)
    )


@dataclass(frozen=True)
class Accuracy:
    """How well the hotspots of one period predict the incidents of a later one."""

    pai: float
    pei: float
    hit_rate: float
    area_fraction: float
    later_incidents: int


def hotspot_accuracy(
    *,
    organisation: Organisation,
    before: QuerySet[Incident],
    after: QuerySet[Incident],
    cell: float,
    area_fraction: float = 0.05,
) -> Accuracy | None:
    """PAI and PEI of the top ``area_fraction`` of the KDE map of ``before`` scored on ``after``."""
    x, y = xy_arrays(before)
    x2, y2 = xy_arrays(after)
    if x.size == 0 or x2.size == 0:
        return None
    grid = grid_for_points(np.concatenate([x, x2]), np.concatenate([y, y2]), cell, margin=cell)
    layer = hotspot_layer(
        organisation=organisation, incidents=before, method="kde", cell=cell, grid=grid
    )
    mask = top_cells(layer.values, area_fraction)
    later = bin_points(x2, y2, grid)
    scored_pai = pai(later, mask)
    scored_pei = pei(later, mask)
    return Accuracy(
        pai=float(scored_pai.pai),
        pei=float(scored_pei.pei),
        hit_rate=float(scored_pai.hit_rate),
        area_fraction=float(scored_pai.area_fraction),
        later_incidents=int(x2.size),
    )


def near_repeats(
    incidents: QuerySet[Incident],
    *,
    spatial_band: float = 100.0,
    spatial_bands: int = 3,
    temporal_band: int = 7,
    temporal_bands: int = 3,
    iterations: int = 99,
    seed: int = 0,
):
    """Knox test on incidents whose day is known (month-only dates cannot show near repeats)."""
    rows = list(
        incidents.filter(x__isnull=False)
        .exclude(precision="month")
        .values_list("x", "y", "occurred_on")
    )
    if len(rows) < 10:
        return None
    x = np.array([r[0] for r in rows])
    y = np.array([r[1] for r in rows])
    days = np.array([r[2] for r in rows], dtype="datetime64[D]").astype(np.int64)
    return knox_test(
        x,
        y,
        days,
        spatial_bands=[spatial_band * (i + 1) for i in range(spatial_bands)],
        temporal_bands=[temporal_band * (i + 1) for i in range(temporal_bands)],
        iterations=iterations,
        seed=seed,
    )
