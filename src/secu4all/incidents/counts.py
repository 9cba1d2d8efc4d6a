"""Incident counts kept beside the rows, so the overview reads thousands of counts, not
millions of incidents.

Why four tables and not one keyed by (cell, day, hour, category): with incidents spread
over a city such a key is nearly as fine as the rows themselves. Each page reads only one
grouping, so each grouping has its own table, each as coarse as its page allows, and each
incident is counted twice in each, under its category and under ``ALL_CATEGORIES`` (the
rows read when no category is filtered):

- ``IncidentCellCount``: (month, category, base cell) for the hotspot map. The base cell
  is ``BASE_CELL`` metres, anchored at the projection's origin as ``selectors.cell_counts``
  anchors every grid, so a cell of k × ``BASE_CELL`` is the integer division of the base
  cell by k; other sizes are read from the rows.
  Without a date filter the map reads ``IncidentCellTotal``, (category, base cell) over
  all time: at ten million incidents the monthly cells are millions of rows themselves.
- ``IncidentTimeCount``: (month, category, weekday, hour) for the time profile, the
  monthly series and the totals.
- ``IncidentAreaCount``: (month, category, area code and name) for the area tables.

A date filter is served by the counts of its whole months plus the rows of its partial
edge months (``split_period``); an area filter on the map or the time profile is read
from the rows (an area holds few incidents, and keeping the area in those tables would
make them as sparse as the rows).

The counts change in the transaction that changes the rows: each committed import batch
adds its new incidents (``add``), an undone or deleted run subtracts its own (``remove``).
They are read only for an organisation marked ``CountedOrganisation``; the first import
into an unmarked organisation builds its counts from all its rows and marks it, as does
``rebuild`` (the ``rebuild_incident_counts`` command) for data that was there before.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, F, Func, Max, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django_scopes import scopes_disabled

from secu4all.incidents.models import (
    CountedOrganisation,
    ImportRun,
    Incident,
    IncidentAreaCount,
    IncidentCellCount,
    IncidentCellTotal,
    IncidentTimeCount,
)
from secu4all.organisations.models import Organisation

# Metres. The page's default cell (100 m) and the round sizes (50, 150, 200, 250, 500 m,
# 1 km...) are its multiples; a finer base cell would make the table nearly as long as
# the rows.
BASE_CELL = 50


class FloorInt(Func):
    """``floor(x)`` as an integer, natively on every backend (SQLite's FLOOR is a Python
    function, and PostgreSQL's CAST rounds instead of truncating)."""

    function = "FLOOR"
    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        # Coordinates are positive in every UTM zone, so truncation is the floor.
        return self.as_sql(
            compiler, connection, template="CAST(%(expressions)s AS INTEGER)", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(FLOOR(%(expressions)s) AS BIGINT)", **extra
        )


# The category of the second count row each incident adds: all categories together, the
# row read when no category is filtered (fourteen times fewer rows to add up).
ALL_CATEGORIES = ""

_CELL = {"row": FloorInt(F("y") / BASE_CELL), "col": FloorInt(F("x") / BASE_CELL)}
_TIME = {"weekday": Coalesce("weekday", 0), "hour": Coalesce("hour", 0)}
_AREA = {"area_code": F("area_code"), "area_name": F("area_name")}
# Each table's key, column by column, as expressions over the incidents.
_KEYS = {
    IncidentCellCount: {"month": F("month"), **_CELL},
    IncidentCellTotal: _CELL,
    IncidentTimeCount: {"month": F("month"), **_TIME},
    IncidentAreaCount: {"month": F("month"), **_AREA},
}
TABLES = tuple(_KEYS)


def _grouped(
    incidents: QuerySet[Incident], model: type, sign: int, *, by_category: bool
) -> tuple[list[str], str, tuple]:
    """The table's columns and a SELECT of the incidents grouped by its key, in that order."""
    if model in (IncidentCellCount, IncidentCellTotal):
        incidents = incidents.filter(x__isnull=False)
    elif model is IncidentAreaCount:
        incidents = incidents.exclude(area_code="")
    keys = {
        "organisation_id": F("organisation_id"),
        "category": F("category") if by_category else Value(ALL_CATEGORIES),
        **_KEYS[model],
    }
    # Aliased apart from the fields, and selected by name, whatever order Django picks.
    aliases = {f"key_{column}": expression for column, expression in keys.items()}
    n = Count("*") if sign > 0 else Value(0) - Count("*")
    grouped = incidents.annotate(**aliases).values(*aliases).annotate(n=n).order_by()
    sql, params = grouped.query.sql_with_params()
    select = ", ".join([*aliases, "n"])
    # "WHERE true": SQLite would read the ON of ON CONFLICT as a join's condition.
    return [*keys, "n"], f"SELECT {select} FROM ({sql}) AS grouped WHERE true", params  # noqa: S608


def _upsert(
    model: type, incidents: QuerySet[Incident], organisation: Organisation, sign: int
) -> None:
    """Add (or subtract) the grouped incidents, per category and for all categories, each
    in one INSERT ... SELECT ... ON CONFLICT; counts that fall to zero are deleted, so a
    count row always stands for incidents."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        for by_category in (True, False):
            columns, select, params = _grouped(incidents, model, sign, by_category=by_category)
            keys = ", ".join(quote(c) for c in columns[:-1])
            cursor.execute(
                f"INSERT INTO {table} ({keys}, n) {select} "
                f"ON CONFLICT ({keys}) DO UPDATE SET n = {table}.n + excluded.n",
                params,
            )
        if sign < 0:
            cursor.execute(
                f"DELETE FROM {table} WHERE organisation_id = %s AND n = 0",  # noqa: S608
                [organisation.pk],
            )


def is_counted(organisation: Organisation) -> bool:
    return CountedOrganisation.objects.with_scope(organisation=organisation).exists()


def _lock(organisation: Organisation) -> None:
    """Serialise count changes of one organisation: concurrent imports then never build
    or mark its counts twice, nor deadlock on the same count rows."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()


def _rows(organisation: Organisation) -> QuerySet[Incident]:
    return Incident.objects.with_scope(organisation=organisation)


def last_id() -> int:
    """The highest incident id so far: an import batch's rows are those of its run above it."""
    with scopes_disabled():
        return Incident.objects.aggregate(last=Max("id"))["last"] or 0


@transaction.atomic
def add(organisation: Organisation, run: ImportRun, after: int) -> None:
    """Count the incidents the run has just written, those with an id above ``after``.

    Found by the run and the primary key: a range, where looking the batch up by its
    fingerprints probed the unique index once per row and table.
    """
    _lock(organisation)
    if not is_counted(organisation):
        _build(organisation)
        return
    batch = _rows(organisation).filter(import_run=run, id__gt=after)
    for model in TABLES:
        _upsert(model, batch, organisation, +1)


@transaction.atomic
def remove(incidents: QuerySet[Incident], organisation: Organisation) -> None:
    """Take these incidents (about to be deleted) out of the organisation's counts; rows
    of another model (an import's area counts) are not counted."""
    _lock(organisation)
    if incidents.model is not Incident or not is_counted(organisation):
        return
    for model in TABLES:
        _upsert(model, incidents, organisation, -1)


def _build(organisation: Organisation, tables: tuple[type, ...] = TABLES) -> None:
    for model in tables:
        model.objects.with_scope(organisation=organisation).all().delete()
        _upsert(model, _rows(organisation), organisation, +1)
    CountedOrganisation.objects.with_scope(organisation=organisation).get_or_create(
        organisation=organisation
    )


@transaction.atomic
def rebuild(organisation: Organisation) -> None:
    """Count all the organisation's incidents anew and mark its counts to be read."""
    _lock(organisation)
    _build(organisation)


@transaction.atomic
def rebuild_areas(organisation: Organisation) -> None:
    """Count the areas anew, after incidents were placed in areas."""
    _lock(organisation)
    if is_counted(organisation):
        _build(organisation, (IncidentAreaCount,))


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A date filter as whole months read from the counts (``first``..``last`` inclusive,
    None for open; ``months`` False when no whole month is inside) and the day ranges of
    partial months read from the rows (``edges``)."""

    months: bool
    first: date | None
    last: date | None
    edges: tuple[tuple[date, date], ...]


def month_end(day: date) -> date:
    """The last day of the day's month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def split_period(date_from: date | None, date_to: date | None) -> Period:
    """Whole months and partial edge months of the days ``date_from``..``date_to``."""
    if date_from and date_to and (date_from.year, date_from.month) == (date_to.year, date_to.month):
        whole = date_from.day == 1 and date_to == month_end(date_to)
        if whole:
            return Period(True, date_from, date_from, ())
        return Period(False, None, None, ((date_from, date_to),))
    edges = []
    first = last = None
    if date_from:
        first = date_from.replace(day=1)
        if date_from.day != 1:
            edges.append((date_from, month_end(date_from)))
            first = month_end(date_from) + timedelta(days=1)
    if date_to:
        last = date_to.replace(day=1)
        if date_to != month_end(date_to):
            edges.append((last, date_to))
            last = (last - timedelta(days=1)).replace(day=1)
    months = not (first and last and first > last)
    return Period(months, first, last, tuple(edges))


def counts(model: type, organisation: Organisation, period: Period, category: str = "") -> QuerySet:
    """The organisation's counts of ``model`` in the whole months of ``period`` (all of
    them for the all-time ``IncidentCellTotal``)."""
    rows = model.objects.with_scope(organisation=organisation)
    rows = rows.filter(category=category or ALL_CATEGORIES)
    if model is IncidentCellTotal:
        return rows
    if not period.months:
        return rows.none()
    if period.first:
        rows = rows.filter(month__gte=period.first)
    if period.last:
        rows = rows.filter(month__lte=period.last)
    return rows


def cell_keys(rows: QuerySet, size: int, cell_key: int) -> QuerySet:
    """Counts of whole months as (cell key, n) on cells of ``size`` metres, a multiple of
    ``BASE_CELL``: floor(floor(y / base) / k) is floor(y / (k × base)) (integer division
    of non-negative cells, as UTM coordinates are)."""
    k = size // BASE_CELL
    return (
        # In 64 bits: a northing's row times the key overflows a 32-bit integer.
        rows.annotate(
            k=Cast("row", BigIntegerField()) / k * cell_key + Cast("col", BigIntegerField()) / k
        )
        .values_list("k")
        .annotate(total=Sum("n"))
        .order_by()
    )
