"""Reading incidents: filtered sets and the analyses the crime overview shows."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from math import pi

import numpy as np
from django.db.models import (
    Avg,
    BigIntegerField,
    Count,
    ExpressionWrapper,
    F,
    Max,
    Min,
    QuerySet,
    Sum,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from secu4all.common.evidence import (
    Evidence,
    adjusted_p,
    poisson_interval,
    proportion_interval,
)
from secu4all.engines.spatial import (
    Grid,
    KnoxResult,
    TrendResult,
    grid_gi_star,
    grid_weights,
    kde_grid,
    knox_test,
    local_moran,
    mann_kendall,
    pai,
    pei,
    project_lonlat,
    top_cells,
)
from secu4all.incidents import counts
from secu4all.incidents.counts import FloorInt
from secu4all.incidents.models import (
    AreaCount,
    ImportRun,
    ImportStatus,
    Incident,
    IncidentAreaCount,
    IncidentCellCount,
    IncidentCellTotal,
    IncidentTimeCount,
)
from secu4all.neighbourhoods.selectors import area_names, area_populations
from secu4all.organisations.models import Organisation

METHODS = ("gistar", "kde", "local-moran")
MAX_CELLS = 1_000_000
# Local Moran's sparse weights and permutations take about 0.7 kB per cell.
MAX_CELLS_LOCAL_MORAN = 250_000
CELL_KEY = 1_000_000
# The monthly series spans at most fifty years up to next month, whatever dates the data
# holds: a row dated 0001-01 or 9999-12 must not size the series (or its trend test).
MAX_MONTHS = 600
TREND_MONTHS = 3
NEAR_REPEAT_MINIMUM = 10


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


@dataclass(frozen=True)
class Selection:
    """The incidents a page's filters select, which ``time_profile``, ``area_rows``,
    ``cell_counts`` and ``incident_span`` read from the counts where the filters allow
    (see ``incidents.counts``) and from the rows otherwise; the numbers are the same."""

    organisation: Organisation
    filters: IncidentFilter

    @property
    def rows(self) -> QuerySet[Incident]:
        return incident_list(organisation=self.organisation, filters=self.filters)

    @cached_property
    def counted(self) -> bool:
        """Whether the organisation's counts hold all its incidents."""
        return counts.is_counted(self.organisation)

    @cached_property
    def period(self) -> counts.Period:
        """The date filter as whole months and partial edge months."""
        return counts.split_period(self.filters.date_from, self.filters.date_to)

    def whole_months(self, model: type) -> QuerySet:
        return counts.counts(model, self.organisation, self.period, self.filters.category)

    def edge_rows(self) -> list[QuerySet[Incident]]:
        """The rows of the partial months at either end of the date filter."""
        return [self.days(first, last) for first, last in self.period.edges]

    def days(self, first: date, last: date) -> QuerySet[Incident]:
        """The rows of these days, all in one month: the month narrows the search on the
        (organisation, month, ...) index where no category is filtered."""
        filters = replace(self.filters, date_from=first, date_to=last)
        rows = incident_list(organisation=self.organisation, filters=filters)
        return rows.filter(month=first.replace(day=1))


def _rows(incidents: QuerySet[Incident] | Selection) -> QuerySet[Incident]:
    return incidents.rows if isinstance(incidents, Selection) else incidents


def _counted(incidents: QuerySet[Incident] | Selection, *, by_area: bool = False) -> bool:
    """Whether counts serve this selection (an area filter only where counts are by area)."""
    return (
        isinstance(incidents, Selection)
        and incidents.counted
        and (by_area or not incidents.filters.area)
    )


def incident_span(incidents: QuerySet[Incident] | Selection) -> tuple[date | None, date | None]:
    """The first and last day of the incidents; from counts, only the first and last month
    holding incidents are read as rows."""
    if not _counted(incidents):
        span = _rows(incidents).aggregate(first=Min("occurred_on"), last=Max("occurred_on"))
        return span["first"], span["last"]
    months = incidents.whole_months(IncidentTimeCount).aggregate(
        first=Min("month"), last=Max("month")
    )
    ranges = list(incidents.period.edges)
    for month in (months["first"], months["last"]):
        if month:
            ranges.append((month, counts.month_end(month)))
    spans = [
        incidents.days(*r).aggregate(first=Min("occurred_on"), last=Max("occurred_on"))
        for r in ranges
    ]
    firsts = [s["first"] for s in spans if s["first"]]
    lasts = [s["last"] for s in spans if s["last"]]
    return min(firsts, default=None), max(lasts, default=None)


def import_run_list(*, organisation: Organisation) -> QuerySet[ImportRun]:
    return ImportRun.objects.with_scope(organisation=organisation).select_related("created_by")


def incidents_exist(*, organisation: Organisation) -> bool:
    """Whether the organisation has imported any incident."""
    return Incident.objects.with_scope(organisation=organisation).exists()


@dataclass(frozen=True)
class Totals:
    incidents: int
    located: int
    no_location: int


@dataclass(frozen=True)
class MonthlyCounts:
    """Incidents per calendar month, empty months kept, with the Mann-Kendall trend.

    ``trend`` is None when the series cannot support a trend test; ``note`` then says
    why. ``left_out`` counts incidents dated outside the months the series covers.
    """

    months: np.ndarray
    counts: np.ndarray
    trend: TrendResult | None
    note: str
    left_out: int
    left_out_note: str


@dataclass(frozen=True)
class TimeProfile:
    """When incidents happen: totals, weekday × hour, and months with their trend."""

    total: int
    hour_weekday: np.ndarray | None
    monthly: MonthlyCounts | None


def plausible_months(today: date | None = None) -> tuple[np.datetime64, np.datetime64]:
    """The first and last month a monthly series may show: fifty years up to next month."""
    today = today or timezone.localdate()
    last = np.datetime64(today, "M") + 1
    return last - (MAX_MONTHS - 1), last


def trend_note(counts: np.ndarray) -> str:
    """Why the trend test cannot be run on these monthly counts, or "" if it can."""
    if counts.size < TREND_MONTHS:
        return _("Not enough data for a trend (needs 3 months).")
    if np.ptp(counts) == 0:
        return _("No trend can be tested: every month has the same number of incidents.")
    return ""


def monthly_counts(by_month: dict[np.datetime64, int]) -> MonthlyCounts | None:
    """The series over the plausible months holding incidents, and its trend if it has one."""
    earliest, latest = plausible_months()
    inside = {m: n for m, n in by_month.items() if earliest <= m <= latest}
    left_out = sum(by_month.values()) - sum(inside.values())
    left_out_note = ""
    if left_out:
        left_out_note = _(
            "Incidents dated outside %(first)s to %(last)s are left out of the monthly "
            "series: %(count)s."
        ) % {"first": earliest, "last": latest, "count": left_out}
    if not inside:
        if not left_out:
            return None
        months, counts = np.array([], dtype="datetime64[M]"), np.array([], dtype=np.int64)
    else:
        months = np.arange(min(inside), max(inside) + 1)
        counts = np.array([inside.get(m, 0) for m in months], dtype=np.int64)
    note = trend_note(counts)
    trend = None if note else mann_kendall(counts)
    return MonthlyCounts(months, counts, trend, note, left_out, left_out_note)


def _time_rows(incidents: QuerySet[Incident] | Selection) -> list[tuple]:
    """(month, weekday, hour, n), with None for an unknown time; not unique per key."""
    if not _counted(incidents):
        grouped = _rows(incidents).values_list("month", "weekday", "hour")
        return list(grouped.annotate(n=Count("id")).order_by())
    whole = incidents.whole_months(IncidentTimeCount).values_list("month", "weekday", "hour")
    # The counts keep an unknown time as weekday 0.
    rows = [
        (month, weekday or None, hour if weekday else None, n)
        for month, weekday, hour, n in whole.annotate(total=Sum("n")).order_by()
    ]
    for edge in incidents.edge_rows():
        rows += _time_rows(edge)
    return rows


def time_profile(incidents: QuerySet[Incident] | Selection) -> TimeProfile:
    """One grouped query: a million incidents come back as a few thousand rows."""
    rows = _time_rows(incidents)
    table = np.zeros((7, 24), dtype=np.int64)
    by_month: dict[np.datetime64, int] = {}
    total = 0
    for month, weekday, hour, n in rows:
        total += n
        key = np.datetime64(month, "M")
        by_month[key] = by_month.get(key, 0) + n
        if weekday is not None:
            table[weekday - 1, hour] += n
    return TimeProfile(total, table if table.any() else None, monthly_counts(by_month))


def hour_weekday(incidents: QuerySet[Incident] | Selection) -> np.ndarray | None:
    """Counts by weekday (Monday first) × hour in local time, of incidents whose time is known."""
    return time_profile(incidents).hour_weekday


def monthly(incidents: QuerySet[Incident] | Selection) -> MonthlyCounts | None:
    """Counts per calendar month, empty months included, with a Mann-Kendall trend test."""
    return time_profile(incidents).monthly


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

    @property
    def rate_interval(self) -> tuple[float, float] | None:
        """95 % exact Poisson interval of the rate per 1,000, where the population is known."""
        if not self.population:
            return None
        low, high = poisson_interval(self.count)
        return 1000 * low / self.population, 1000 * high / self.population


def _area_counts(incidents: QuerySet[Incident] | Selection) -> dict[tuple[str, str], int]:
    """Incidents per (area code, area name), of those that carry an area code."""
    if not _counted(incidents, by_area=True):
        grouped = _rows(incidents).exclude(area_code="").values_list("area_code", "area_name")
        return {(code, name): n for code, name, n in grouped.annotate(n=Count("id")).order_by()}
    whole = incidents.whole_months(IncidentAreaCount)
    if incidents.filters.area:
        whole = whole.filter(area_code=incidents.filters.area)
    grouped = whole.values_list("area_code", "area_name").annotate(total=Sum("n")).order_by()
    result = {(code, name): n for code, name, n in grouped}
    for edge in incidents.edge_rows():
        for key, n in _area_counts(edge).items():
            result[key] = result.get(key, 0) + n
    return result


def area_rows(
    *, organisation: Organisation, incidents: QuerySet[Incident] | Selection
) -> list[AreaRow]:
    """Counts per area, including incidents without location (they carry an area code)."""
    rows = sorted(_area_counts(incidents).items(), key=lambda item: (-item[1], item[0][0]))
    names = area_names(organisation=organisation)
    populations = area_populations(organisation=organisation)
    return [
        AreaRow(code, name or names.get(code, ""), n, populations.get(code))
        for (code, name), n in rows
    ]


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


def cell_counts(incidents: QuerySet[Incident] | Selection, size: float) -> np.ndarray:
    """Located incidents per cell of a grid anchored at the projection's origin.

    Returns rows of (cell row, cell column, count) for occupied cells only, counted in the
    database (or read from the counts): the cost grows with the cells, not the incidents.
    """
    keyed = np.array(_cell_keys(incidents, size), dtype=np.int64).reshape(-1, 2)
    if isinstance(incidents, Selection):
        # Whole months and edge rows may count the same cell: add them up.
        keys, where = np.unique(keyed[:, 0], return_inverse=True)
        keyed = np.column_stack([keys, np.bincount(where, weights=keyed[:, 1]).astype(np.int64)])
    return np.column_stack([keyed[:, 0] // CELL_KEY, keyed[:, 0] % CELL_KEY, keyed[:, 1]])


def _cell_keys(incidents: QuerySet[Incident] | Selection, size: float) -> list[tuple[int, int]]:
    if _counted(incidents) and size % counts.BASE_CELL == 0:
        dated = incidents.filters.date_from or incidents.filters.date_to
        table = IncidentCellCount if dated else IncidentCellTotal
        whole = counts.cell_keys(incidents.whole_months(table), int(size), CELL_KEY)
        keyed = list(whole)
        for edge in incidents.edge_rows():
            keyed += _cell_keys(edge, size)
        return keyed
    # One integer key per cell groups a third faster than two columns; UTM eastings stay
    # below 1,000,000 m, so with cells of 1 m or more a column never reaches CELL_KEY.
    key = ExpressionWrapper(
        FloorInt(F("y") / size) * CELL_KEY + FloorInt(F("x") / size),
        output_field=BigIntegerField(),
    )
    rows = (
        _rows(incidents)
        .filter(x__isnull=False)
        .annotate(k=key)
        .values_list("k")
        .annotate(n=Count("*"))
        .order_by()
    )
    return list(rows)


def aligned_grid(cells: np.ndarray, size: float) -> Grid:
    """The grid of ``size`` cells covering these cells with one empty cell around them."""
    rmin, cmin = cells[:, 0].min() - 1, cells[:, 1].min() - 1
    rmax, cmax = cells[:, 0].max() + 1, cells[:, 1].max() + 1
    nx, ny = int(cmax - cmin + 1), int(rmax - rmin + 1)
    _check_cells(nx * ny, size)
    return Grid(x0=float(cmin * size), y0=float(rmin * size), cell_size=float(size), nx=nx, ny=ny)


def _check_cells(cells: int, size: float, *, most: int = MAX_CELLS) -> None:
    """Refuse, before anything is allocated, a grid too large to compute in a request."""
    if cells > most:
        raise ValueError(
            _(
                "A %(cell)s m grid over these incidents has %(cells)s cells; choose a larger "
                "cell size (at most %(most)s cells)."
            )
            % {"cell": f"{size:g}", "cells": f"{cells:,}", "most": f"{most:,}"}
        )


def place(cells: np.ndarray, grid: Grid) -> np.ndarray:
    """Cell counts as an array on an aligned grid."""
    counts = np.zeros(grid.shape, dtype=np.int64)
    rows = cells[:, 0] - round(grid.y0 / grid.cell_size)
    cols = cells[:, 1] - round(grid.x0 / grid.cell_size)
    np.add.at(counts, (rows, cols), cells[:, 2])
    return counts


def hotspot_layer(
    *,
    organisation: Organisation,
    incidents: QuerySet[Incident] | Selection,
    method: str,
    cell: float,
    bandwidth: float | None = None,
    grid: Grid | None = None,
) -> HotspotLayer | None:
    """Gi*, kernel density or local Moran on a grid of ``cell`` metres; None without points.

    The database counts incidents per cell, so the cost grows with the cells, not the
    incidents; kernel density is computed from the cell counts at their centres, which
    is the binned estimate at the resolution of the grid.
    """
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}; choose one of {', '.join(METHODS)}.")
    if cell <= 0:
        raise ValueError(f"The cell size must be positive, got {cell}.")
    if organisation.projection_epsg is None:
        return None
    cells = cell_counts(incidents, cell)
    if cells.size == 0:
        return None
    if grid is None:
        grid = aligned_grid(cells, cell)
    _check_cells(
        grid.nx * grid.ny,
        cell,
        most=MAX_CELLS_LOCAL_MORAN if method == "local-moran" else MAX_CELLS,
    )
    counts = place(cells, grid)
    if method == "gistar":
        result = grid_gi_star(counts, neighbourhood="queen")
        values, classes = np.nan_to_num(result.z), result.classes
    elif method == "kde":
        occupied = np.nonzero(counts)
        xs, ys = grid.cell_centres()
        surface = kde_grid(
            xs[occupied[1]],
            ys[occupied[0]],
            grid,
            bandwidth=bandwidth or 3 * cell,
            weights=counts[occupied].astype(float),
        ).relative
        values, classes = surface, kde_hot_classes(surface)
    else:
        values, classes = _local_moran_inside(counts)
    return HotspotLayer(
        method, grid, organisation.projection_epsg, counts, values, classes, int(counts.sum())
    )


# KDE has no significance test: "hot" is the densest 5 % of the cells where the density is
# above zero (the area within one bandwidth of an incident), stated on the page.
KDE_HOT_PERCENTILE = 95.0
HOT_SPOT = 1
HIGH_HIGH = 1


def kde_hot_classes(surface: np.ndarray) -> np.ndarray:
    """1 on the cells at or above the ``KDE_HOT_PERCENTILE`` of the positive density, else 0:
    the cells the map colours and the page counts as hot."""
    classes = np.zeros(surface.shape, dtype=int)
    positive = surface[surface > 0]
    if positive.size:
        classes[surface >= kde_hot_threshold(surface)] = HOT_SPOT
    return classes


def kde_hot_threshold(surface: np.ndarray) -> float:
    """The relative density from which a KDE cell counts as hot (NaN on an empty surface)."""
    positive = surface[surface > 0]
    return float(np.percentile(positive, KDE_HOT_PERCENTILE)) if positive.size else float("nan")


def _local_moran_inside(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Local Moran's I and significant quadrants on the cells of the incidents' extent.

    The grid carries one empty ring of cells around the incidents (for drawing and for Gi*'s
    neighbourhoods); entering local Moran as zeros, that ring of "low among low" cells was
    found significant — an artefact of the frame, not of the city. The ring is left out of
    the test and stays unclassified (0).
    """
    inner = counts[1:-1, 1:-1] if min(counts.shape) > 2 else counts
    if inner.size < 3 or np.ptp(inner) == 0:
        raise ValueError(_("Every cell holds the same count; local Moran needs variation."))
    weights = grid_weights(inner.shape, neighbourhood="queen")
    result = local_moran(inner.ravel().astype(float), weights, permutations=99, seed=0)
    values = np.zeros(counts.shape)
    classes = np.zeros(counts.shape, dtype=int)
    window = (slice(1, -1), slice(1, -1)) if inner is not counts else (slice(None), slice(None))
    values[window] = result.Is.reshape(inner.shape)
    classes[window] = result.significant_quadrants(0.05).reshape(inner.shape)
    return values, classes


def hot_cell_count(layer: HotspotLayer) -> int:
    """Cells the page may call hot: Gi* hot spots (90 % or more), KDE cells above the stated
    percentile, local Moran high-high clusters — never cold spots, outliers or low-low."""
    if layer.method == "local-moran":
        return int((layer.classes == HIGH_HIGH).sum())
    return int((layer.classes > 0).sum())


@dataclass(frozen=True)
class Accuracy:
    """How well the hotspots of one period predict the incidents of a later one."""

    pai: float
    pei: float
    hit_rate: float
    area_fraction: float
    later_incidents: int

    @property
    def pai_evidence(self) -> Evidence:
        """PAI with the 95 % exact interval of the hit rate divided by the area share: the
        map beats a random choice of the same area only when the whole interval is above 1."""
        hits = round(self.hit_rate * self.later_incidents)
        low, high = proportion_interval(hits, self.later_incidents)
        if not self.area_fraction or not np.isfinite(low):
            return Evidence(value=None, reason=_("No later incidents to score the map on."))
        return Evidence(
            value=self.pai, low=low / self.area_fraction, high=high / self.area_fraction
        )


def hotspot_accuracy(
    *,
    organisation: Organisation,
    before: QuerySet[Incident],
    after: QuerySet[Incident],
    cell: float,
    area_fraction: float = 0.05,
) -> Accuracy | None:
    """PAI and PEI of the top ``area_fraction`` of the KDE map of ``before`` scored on ``after``."""
    cells_before, cells_after = cell_counts(before, cell), cell_counts(after, cell)
    if cells_before.size == 0 or cells_after.size == 0:
        return None
    grid = aligned_grid(np.concatenate([cells_before, cells_after]), cell)
    layer = hotspot_layer(
        organisation=organisation, incidents=before, method="kde", cell=cell, grid=grid
    )
    if layer is None:
        return None
    mask = top_cells(layer.values, area_fraction)
    later = place(cells_after, grid)
    scored_pai = pai(later, mask)
    scored_pei = pei(later, mask)
    return Accuracy(
        pai=float(scored_pai.pai),
        pei=float(scored_pei.pei),
        hit_rate=float(scored_pai.hit_rate),
        area_fraction=float(scored_pai.area_fraction),
        later_incidents=int(later.sum()),
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
) -> KnoxResult | None:
    """Knox test on incidents whose day is known (month-only dates cannot show near repeats).

    None with fewer than ``NEAR_REPEAT_MINIMUM`` such incidents; a ValueError saying why
    when the incidents lie so close together that the pairs would not fit in memory.
    """
    rows = list(
        incidents.filter(x__isnull=False)
        .exclude(precision="month")
        .values_list("x", "y", "occurred_on")
    )
    if len(rows) < NEAR_REPEAT_MINIMUM:
        return None
    x = np.array([r[0] for r in rows])
    y = np.array([r[1] for r in rows])
    days = np.array([r[2] for r in rows], dtype="datetime64[D]").astype(np.int64)
    try:
        return knox_test(
            x,
            y,
            days,
            spatial_bands=[spatial_band * (i + 1) for i in range(spatial_bands)],
            temporal_bands=[temporal_band * (i + 1) for i in range(temporal_bands)],
            iterations=iterations,
            seed=seed,
        )
    except ValueError as error:
        raise ValueError(
            _("The near-repeat test cannot be computed for these incidents: %(reason)s.")
            % {"reason": error}
        ) from None


@dataclass(frozen=True)
class NearRepeatCell:
    """One cell of the Knox table as a page may show it.

    ``tested`` cells are the near-repeat hypotheses (an inner distance band and an inner
    time band); their ``evidence.p`` is the Benjamini–Hochberg adjusted p-value across the
    tested cells. The "same location" row and the "more than" row and column are shown for
    reference and never highlighted (they are what is left of the other cells).
    """

    observed: int
    expected: float
    p: float
    tested: bool
    evidence: Evidence


@dataclass(frozen=True)
class NearRepeatTable:
    spatial_labels: tuple[str, ...]
    temporal_labels: tuple[str, ...]
    rows: tuple[tuple[NearRepeatCell, ...], ...]
    iterations: int
    events: int
    result: KnoxResult


def spatial_band_labels(edges: list[float]) -> tuple[str, ...]:
    """Distance bands in words, each with its unit once: pairs on a limit count in the lower
    band (the test's closed bands)."""
    values = [f"{e:g}" for e in edges]
    bands = [
        _("%(low)s to %(high)s m") % {"low": low, "high": high}
        for low, high in zip(["0", *values[:-1]], values, strict=True)
    ]
    return (_("Same location"), *bands, _("More than %(high)s m") % {"high": values[-1]})


def temporal_band_labels(edges: list[int]) -> tuple[str, ...]:
    """Time bands in whole days: 0 to 7, 8 to 14, ... and more than the last."""
    lows = [0, *[e + 1 for e in edges[:-1]]]
    bands = [
        _("%(low)s to %(high)s days") % {"low": low, "high": high}
        for low, high in zip(lows, edges, strict=True)
    ]
    return (*bands, _("More than %(high)s days") % {"high": edges[-1]})


# The bands and permutations the near-repeat page and its CSV use (the calculator's defaults).
NEAR_REPEAT_SETTINGS = {
    "spatial_band": 100.0,
    "spatial_bands": 3,
    "temporal_band": 7,
    "temporal_bands": 3,
    "iterations": 99,
    "seed": 0,
}


def near_repeat_table(result: KnoxResult) -> NearRepeatTable:
    """The Knox test as a page shows it: ratios, raw and adjusted p-values, and what cannot
    be computed and why. The test itself runs in the background (``analyses``)."""
    settings = NEAR_REPEAT_SETTINGS
    s_edges = [settings["spatial_band"] * (i + 1) for i in range(settings["spatial_bands"])]
    t_edges = [settings["temporal_band"] * (i + 1) for i in range(settings["temporal_bands"])]
    n_rows, n_cols = result.observed.shape
    tested = np.zeros((n_rows, n_cols), dtype=bool)
    tested[1 : n_rows - 1, : n_cols - 1] = True
    tested &= result.expected > 0
    q = adjusted_p(result.p, tested)
    rows = []
    for i in range(n_rows):
        cells = []
        for j in range(n_cols):
            expected = float(result.expected[i, j])
            reason = ""
            if expected <= 0:
                reason = (
                    _("No two incidents share a location, so no pairs are expected here.")
                    if i == 0
                    else _("No pairs are expected in this cell, so there is no ratio.")
                )
            ratio = float(result.ratio[i, j]) if not reason else None
            cells.append(
                NearRepeatCell(
                    observed=int(result.observed[i, j]),
                    expected=expected,
                    p=float(result.p[i, j]),
                    tested=bool(tested[i, j]),
                    evidence=Evidence(
                        value=ratio, p=float(q[i, j]) if tested[i, j] else None, reason=reason
                    ),
                )
            )
        rows.append(tuple(cells))
    return NearRepeatTable(
        spatial_labels=spatial_band_labels(s_edges),
        temporal_labels=temporal_band_labels(t_edges),
        rows=tuple(rows),
        iterations=int(settings["iterations"]),
        events=round((1 + np.sqrt(1 + 8 * float(result.observed.sum()))) / 2),
        result=result,
    )


# The Dutch police publish a total over every offence beside the offences themselves.
TOTAL_OFFENCE = "0.0.0"
# Months each kind of police period spans, finest first.
PERIOD_MONTHS = {"MM": 1, "KW": 3, "JJ": 12}


@dataclass(frozen=True)
class CrimePeriod:
    """The days counted, both included; None on a side leaves it open."""

    first: date | None = None
    last: date | None = None


class CrimeSource:
    INCIDENTS = "incidents"
    AREA_COUNTS = "area-counts"


@dataclass(frozen=True)
class AreaCrime:
    """Recorded crime of one neighbourhood in the period, from one source.

    ``incidents`` counts incident rows carrying the area's code; ``area_counts`` sums the
    counts imported per area (Dutch police files), None when none cover the period. The
    two are never added: they usually describe the same crimes. ``count`` is the incidents
    when there are any, else the area counts, and ``source`` says which.
    """

    code: str
    name: str
    incidents: int
    area_counts: int | None
    # Area-count cells the police withheld (too few to publish): ``area_counts`` is then
    # a lower bound.
    withheld: int
    population: int | None
    # Mean position of the area's located incidents, where it has any.
    lon: float | None = None
    lat: float | None = None

    @property
    def source(self) -> str:
        if self.incidents or self.area_counts is None:
            return CrimeSource.INCIDENTS
        return CrimeSource.AREA_COUNTS

    @property
    def count(self) -> int:
        return self.incidents if self.source == CrimeSource.INCIDENTS else self.area_counts or 0

    @property
    def rate(self) -> float | None:
        """Recorded crimes per 1,000 inhabitants, where the population is known."""
        return 1000 * self.count / self.population if self.population else None


@dataclass(frozen=True)
class CrimeByArea:
    areas: dict[str, AreaCrime]
    # Incidents in the period, with or without an area: zero means none were recorded.
    incidents: int
    area_counts: int

    @property
    def recorded(self) -> bool:
        return bool(self.incidents or self.area_counts)


def _months_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _area_count_totals(
    *, organisation: Organisation, period: CrimePeriod, category: str | None
) -> tuple[dict[str, int], dict[str, int]]:
    """Counts per area from the imported area counts, and their withheld cells.

    Only periods wholly inside ``period`` count. Per area one kind of period is used, the
    finest it has (months, else quarters, else years), so a year is not added to its
    months. For all crime an area's published total is used where the file has it, else
    the sum of its offences; for one category, the offences of that category.
    """
    rows = AreaCount.objects.with_scope(organisation=organisation)
    if period.first:
        rows = rows.filter(period_start__gte=period.first)
    if period.last:
        rows = rows.filter(period_start__lte=period.last)
    if category:
        rows = rows.filter(category=category).exclude(offence_code=TOTAL_OFFENCE)
    cells: dict[tuple[str, str], list[tuple[str, int | None, bool]]] = {}
    for area, label, start, offence, count, withheld in rows.values_list(
        "area_code", "period", "period_start", "offence_code", "count", "withheld"
    ).order_by():
        kind = label[4:6]
        if kind not in PERIOD_MONTHS:
            continue
        end = _months_later(start, PERIOD_MONTHS[kind])
        if period.last and end > _next_day(period.last):
            continue
        cells.setdefault((area, label), []).append((offence, count, withheld))
    finest: dict[str, int] = {}
    for area, label in cells:
        months = PERIOD_MONTHS[label[4:6]]
        finest[area] = min(finest.get(area, months), months)
    totals: dict[str, int] = {}
    withheld_cells: dict[str, int] = {}
    for (area, label), offences in cells.items():
        if PERIOD_MONTHS[label[4:6]] != finest[area]:
            continue
        total = [o for o in offences if o[0] == TOTAL_OFFENCE]
        used = total if total else [o for o in offences if o[0] != TOTAL_OFFENCE]
        totals[area] = totals.get(area, 0) + sum(count or 0 for _, count, _ in used)
        withheld_cells[area] = withheld_cells.get(area, 0) + sum(1 for *_, w in used if w)
    return totals, withheld_cells


def _next_day(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def crime_by_area(
    *, organisation: Organisation, period: CrimePeriod, category: str | None = None
) -> CrimeByArea:
    """Recorded crime per neighbourhood in ``period`` (of one category, or all when None),
    from the incidents and the imported area counts; see ``AreaCrime`` for how the two are
    kept apart."""
    incidents = Incident.objects.with_scope(organisation=organisation)
    if period.first:
        incidents = incidents.filter(occurred_on__gte=period.first)
    if period.last:
        incidents = incidents.filter(occurred_on__lte=period.last)
    if category:
        incidents = incidents.filter(category=category)
    counted = {r.code: r for r in area_rows(organisation=organisation, incidents=incidents)}
    centres = {
        row["area_code"]: (row["lon"], row["lat"])
        for row in incidents.filter(lon__isnull=False)
        .values("area_code")
        .annotate(lon=Avg("lon"), lat=Avg("lat"))
        .order_by()
    }
    totals, withheld = _area_count_totals(
        organisation=organisation, period=period, category=category
    )
    names = area_names(organisation=organisation)
    populations = area_populations(organisation=organisation)
    areas = {}
    for code in sorted(set(counted) | set(totals)):
        row = counted.get(code)
        areas[code] = AreaCrime(
            code=code,
            name=row.name if row else names.get(code, ""),
            incidents=row.count if row else 0,
            area_counts=totals.get(code),
            withheld=withheld.get(code, 0),
            population=populations.get(code),
            lon=centres.get(code, (None, None))[0],
            lat=centres.get(code, (None, None))[1],
        )
    return CrimeByArea(
        areas=areas,
        incidents=incidents.count(),
        area_counts=sum(totals.values()) + sum(withheld.values()),
    )


# --- crime around a place, for the other capabilities ------------------------------------

AROUND_RADIUS_DEG = 0.006  # about 650 m north–south: enough streets to find one's way
AROUND_LIMIT = 3000


def incident_points_around(
    *, organisation: Organisation, lon: float, lat: float
) -> list[list[float]]:
    """Recorded incidents around a place as [lat, lon], at most ``AROUND_LIMIT``: without a
    tile server the streets they trace are what a drawing map has to find one's way by."""
    r = AROUND_RADIUS_DEG
    rows = (
        Incident.objects.with_scope(organisation=organisation)
        .filter(lat__gte=lat - r, lat__lte=lat + r, lon__gte=lon - 2 * r, lon__lte=lon + 2 * r)
        .values_list("lat", "lon")[:AROUND_LIMIT]
    )
    return [[round(a, 6), round(b, 6)] for a, b in rows]


def crime_near(
    *, organisation: Organisation, lon: float, lat: float, radius_m: float, months: int
) -> dict | None:
    """Recorded incidents within ``radius_m`` of a place over the last ``months`` before the
    latest incident, and how many a circle of that size would hold at the organisation's
    average density over the extent of its incidents; None without located incidents."""
    if organisation.projection_epsg is None:
        return None
    incidents = Incident.objects.with_scope(organisation=organisation).filter(x__isnull=False)
    latest = incidents.aggregate(last=Max("occurred_on"))["last"]
    if latest is None:
        return None
    recent = incidents.filter(occurred_on__gt=latest - timedelta(days=30 * months))
    point = project_lonlat([lon], [lat], epsg=organisation.projection_epsg)
    x, y = float(point.x[0]), float(point.y[0])
    r = radius_m
    box = recent.filter(x__gte=x - r, x__lte=x + r, y__gte=y - r, y__lte=y + r)
    nearby = sum(1 for a, b in box.values_list("x", "y") if (a - x) ** 2 + (b - y) ** 2 <= r * r)
    bounds = recent.aggregate(xmin=Min("x"), xmax=Max("x"), ymin=Min("y"), ymax=Max("y"))
    area = max((bounds["xmax"] - bounds["xmin"]) * (bounds["ymax"] - bounds["ymin"]), 1.0)
    expected = recent.count() * (pi * r * r) / area
    return {
        "incidents_nearby": nearby,
        "expected_incidents": round(expected, 1),
        "radius_m": int(r),
        "period_months": months,
    }


@dataclass(frozen=True)
class ImportThroughput:
    """Imports across every organisation, for operators: counts only, no organisation named."""

    rows_by_outcome: dict[str, int]
    running: int
    rows_per_second: float | None  # of the imports finished in the window; None if none


def import_throughput(*, window: timedelta = timedelta(hours=1)) -> ImportThroughput:
    with scopes_disabled():
        totals = ImportRun.objects.aggregate(
            imported=Sum("imported"),
            no_location=Sum("no_location"),
            rejected=Sum("rejected"),
            duplicates=Sum("duplicates"),
        )
        running = ImportRun.objects.filter(status=ImportStatus.RUNNING).count()
        recent = ImportRun.objects.filter(
            status=ImportStatus.DONE, finished_at__gte=timezone.now() - window
        ).values_list("processed", "created_at", "finished_at")
    rows = sum(processed for processed, _start, _end in recent)
    seconds = sum((end - start).total_seconds() for _rows, start, end in recent)
    return ImportThroughput(
        rows_by_outcome={outcome: total or 0 for outcome, total in totals.items()},
        running=running,
        rows_per_second=rows / seconds if seconds > 0 else None,
    )
