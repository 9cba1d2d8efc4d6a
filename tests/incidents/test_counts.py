"""Counts kept beside the incidents: the pages show the same numbers as from the rows.

Random incidents are imported through the real CSV importer (which keeps the counts), then
every selector the overview uses is read twice for many random filters — from a
``Selection`` (counts where the filters allow) and from the filtered rows — and compared.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pytest
from django.core.management import call_command
from django_scopes import scope

from secu4all.incidents import counts
from secu4all.incidents.models import (
    CountedOrganisation,
    ImportRun,
    Incident,
    IncidentAreaCount,
    IncidentCellCount,
    IncidentCellTotal,
    IncidentTimeCount,
)
from secu4all.incidents.selectors import (
    IncidentFilter,
    Selection,
    area_rows,
    cell_counts,
    incident_list,
    incident_span,
    time_profile,
)
from secu4all.incidents.services import (
    import_run_create,
    import_run_delete,
    import_run_execute,
    import_run_undo,
)

pytestmark = pytest.mark.django_db

CATEGORIES = ("burglary", "robbery", "violence", "drugs")
AREAS = ("BU01", "BU02", "BU03", "")
FIRST = date(2023, 11, 1)
DAYS = 200  # November 2023 to May 2024
MAPPING = {
    "id": "id",
    "date": "date",
    "category": "type",
    "longitude": "lon",
    "latitude": "lat",
    "area": "area",
}


def random_csv(rng: random.Random, rows: int, prefix: str) -> bytes:
    """Incidents with and without a time of day, a location and an area code."""
    lines = ["id,date,type,lon,lat,area"]
    for i in range(rows):
        day = FIRST + timedelta(days=rng.randrange(DAYS))
        when = day.isoformat()
        if rng.random() < 0.7:
            when += f"T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00"
        located = rng.random() < 0.85
        lon = f"{rng.uniform(4.26, 4.34):.6f}" if located else ""
        lat = f"{rng.uniform(52.05, 52.10):.6f}" if located else ""
        category = rng.choice(CATEGORIES)
        lines.append(f"{prefix}{i},{when},{category},{lon},{lat},{rng.choice(AREAS)}")
    return "\n".join(lines).encode()


def import_csv(organisation, data: bytes, name: str = "random.csv") -> ImportRun:
    run = import_run_create(
        organisation=organisation,
        actor=None,
        file_name=name,
        data=None,
        format="csv",
        mapping=MAPPING,
    )
    return import_run_execute(run=run, data=data)


def table_contents(organisation) -> dict[str, set[tuple]]:
    with scope(organisation=organisation):
        return {
            model.__name__: set(
                model.objects.values_list("category", *counts._KEYS[model], "n").order_by()
            )
            for model in counts.TABLES
        }


def random_filter(rng: random.Random) -> IncidentFilter:
    """Open or closed dates, on month edges or inside months, in one month or across many."""
    start = FIRST - timedelta(days=20) + timedelta(days=rng.randrange(DAYS + 20))
    date_from = rng.choice([None, start, start.replace(day=1)])
    date_to = None
    if rng.random() < 0.7:
        end = (date_from or FIRST) + timedelta(days=rng.choice([0, 5, 20, 40, 90]))
        date_to = rng.choice([end, counts.month_end(end)])
    return IncidentFilter(
        date_from=date_from,
        date_to=date_to,
        category=rng.choice(["", "", *CATEGORIES]),
        area=rng.choice(["", "", "", *AREAS[:2], "BU09"]),
    )


def sorted_cells(cells: np.ndarray) -> list[tuple[int, int, int]]:
    return sorted(map(tuple, cells.tolist()))


def assert_same_pages(organisation, filters: IncidentFilter) -> None:
    """Every selector gives from the counts what it gives from the rows."""
    selection = Selection(organisation, filters)
    rows = incident_list(organisation=organisation, filters=filters)
    counted, plain = time_profile(selection), time_profile(rows)
    assert counted.total == plain.total, filters
    if plain.hour_weekday is None:
        assert counted.hour_weekday is None, filters
    else:
        assert np.array_equal(counted.hour_weekday, plain.hour_weekday), filters
    if plain.monthly is None:
        assert counted.monthly is None, filters
    else:
        assert np.array_equal(counted.monthly.months, plain.monthly.months), filters
        assert np.array_equal(counted.monthly.counts, plain.monthly.counts), filters
    assert area_rows(organisation=organisation, incidents=selection) == area_rows(
        organisation=organisation, incidents=rows
    ), filters
    for size in (50, 100, 250, 75):
        assert sorted_cells(cell_counts(selection, size)) == sorted_cells(
            cell_counts(rows, size)
        ), (filters, size)
    assert incident_span(selection) == incident_span(rows), filters


def test_counts_give_the_numbers_of_the_rows_under_random_filters(havenstad, settings) -> None:
    settings.SECU4ALL_IMPORT_BATCH_ROWS = 64
    rng = random.Random(16)
    run = import_csv(havenstad, random_csv(rng, 700, "a"))
    assert run.status == "done", run.message
    # Imported in batches of 64 rows, so the counts are added up batch by batch.
    with scope(organisation=havenstad):
        assert counts.is_counted(havenstad)
        assert IncidentTimeCount.objects.count() > 0
        assert IncidentCellCount.objects.count() > 0
        assert IncidentCellTotal.objects.count() > 0
        assert IncidentAreaCount.objects.count() > 0
        fixed = [
            IncidentFilter(),
            IncidentFilter(date_from=date(2023, 12, 1), date_to=date(2024, 2, 29)),
            IncidentFilter(date_from=date(2023, 12, 10), date_to=date(2024, 3, 3)),
            IncidentFilter(date_from=date(2024, 1, 5), date_to=date(2024, 1, 25)),
            IncidentFilter(date_from=date(2024, 1, 1), date_to=date(2024, 1, 31)),
            IncidentFilter(date_from=date(2024, 2, 2), category="violence", area="BU01"),
        ]
        for filters in fixed + [random_filter(rng) for _ in range(40)]:
            assert_same_pages(havenstad, filters)


def test_import_undo_and_delete_keep_counts_equal_to_a_rebuild(havenstad, settings) -> None:
    settings.SECU4ALL_IMPORT_BATCH_ROWS = 50
    rng = random.Random(7)
    first = import_csv(havenstad, random_csv(rng, 300, "a"), "first.csv")
    # The second file repeats part of the first: duplicates are not counted twice.
    repeated = random_csv(random.Random(7), 150, "a").decode()
    new = random_csv(rng, 200, "b").decode().split("\n", 1)[1]
    second = import_csv(havenstad, f"{repeated}\n{new}".encode(), "second.csv")
    assert (first.status, second.status) == ("done", "done")
    assert second.duplicates == 150
    kept = table_contents(havenstad)
    with scope(organisation=havenstad):
        counts.rebuild(havenstad)
    assert table_contents(havenstad) == kept

    with scope(organisation=havenstad):
        import_run_delete(actor=None, run=second)
    after_delete = table_contents(havenstad)
    with scope(organisation=havenstad):
        counts.rebuild(havenstad)
        assert table_contents(havenstad) == after_delete
        total = sum(n for category, *_k, n in after_delete["IncidentTimeCount"] if category)
        assert total == Incident.objects.count() == 300
        import_run_undo(first, "undone in a test")
        assert Incident.objects.count() == 0
        for model in counts.TABLES:
            assert not model.objects.exists(), model.__name__


def test_unmarked_organisation_is_read_from_its_rows(havenstad) -> None:
    """Incidents written without an import (before counts existed) are never missed."""
    rng = random.Random(3)
    import_csv(havenstad, random_csv(rng, 100, "a"))
    with scope(organisation=havenstad):
        CountedOrganisation.objects.all().delete()
        Incident.objects.filter(category="drugs").delete()
        selection = Selection(havenstad, IncidentFilter())
        assert time_profile(selection).total == Incident.objects.count()
        call_command("rebuild_incident_counts", organisation="havenstad")
        assert counts.is_counted(havenstad)
        assert not IncidentTimeCount.objects.filter(category="drugs").exists()
        assert_same_pages(havenstad, IncidentFilter(category="drugs"))
        assert_same_pages(havenstad, IncidentFilter())


@pytest.mark.parametrize(
    ("first", "last", "months", "edges"),
    [
        (None, None, (None, None), ()),
        (date(2024, 1, 1), date(2024, 3, 31), (date(2024, 1, 1), date(2024, 3, 1)), ()),
        (
            date(2024, 1, 15),
            date(2024, 3, 10),
            (date(2024, 2, 1), date(2024, 2, 1)),
            ((date(2024, 1, 15), date(2024, 1, 31)), (date(2024, 3, 1), date(2024, 3, 10))),
        ),
        (date(2024, 1, 15), date(2024, 1, 20), None, ((date(2024, 1, 15), date(2024, 1, 20)),)),
        (
            date(2024, 1, 15),
            date(2024, 2, 10),
            None,
            ((date(2024, 1, 15), date(2024, 1, 31)), (date(2024, 2, 1), date(2024, 2, 10))),
        ),
        (date(2024, 2, 1), date(2024, 2, 29), (date(2024, 2, 1), date(2024, 2, 1)), ()),
        (
            date(2024, 2, 2),
            None,
            (date(2024, 3, 1), None),
            ((date(2024, 2, 2), date(2024, 2, 29)),),
        ),
    ],
)
def test_a_date_filter_is_split_into_whole_months_and_edge_days(first, last, months, edges):
    period = counts.split_period(first, last)
    assert period.edges == edges
    if months is None:
        assert not period.months
    else:
        assert period.months
        assert (period.first, period.last) == months
