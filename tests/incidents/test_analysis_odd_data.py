"""The crime analysis on little or odd data: no incidents, dates known only to the month, and
grid cells floored alike on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django_scopes import scope

from secu4all.incidents.models import ImportRun, Incident
from secu4all.incidents.selectors import cell_counts, hotspot_layer, near_repeats
from secu4all.incidents.services import import_run_create, import_run_execute
from tests.support.incidents import incidents_filtered

pytestmark = pytest.mark.django_db


def test_no_incidents_gives_no_layer(havenstad) -> None:
    assert (
        hotspot_layer(
            organisation=havenstad,
            incidents=incidents_filtered(havenstad),
            method="gistar",
            cell=100,
        )
        is None
    )


def test_month_only_dates_are_left_out_of_near_repeats(havenstad) -> None:
    data = (Path(__file__).parent.parent / "data/incidents/police-uk-sample.csv").read_bytes()
    run = import_run_create(
        organisation=havenstad, actor=None, file_name="x.csv", data=None, format="police-uk"
    )
    import_run_execute(run=run, data=data)
    assert near_repeats(incidents_filtered(havenstad)) is None


def test_cells_are_floored_on_every_database(havenstad) -> None:
    """PostgreSQL's CAST rounds; the grid needs the floor, as SQLite's truncation gives."""
    with scope(organisation=havenstad):
        run = ImportRun.objects.create(organisation=havenstad, file_name="x", format="csv")
        for n, (x, y) in enumerate([(199.9, 50.0), (250.0, 99.99), (100.0, 100.0)]):
            Incident.objects.create(
                organisation=havenstad,
                import_run=run,
                source_row=n,
                fingerprint=str(n),
                occurred_on=date(2024, 1, 1),
                month=date(2024, 1, 1),
                precision="day",
                category="other",
                source_category="x",
                lon=4.3,
                lat=52.0,
                x=x,
                y=y,
            )
        cells = cell_counts(Incident.objects.all(), 100.0)
    assert sorted(map(tuple, cells.tolist())) == [(0, 1, 1), (0, 2, 1), (1, 1, 1)]
