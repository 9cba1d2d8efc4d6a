"""The incidents table migrates to partitions and back with its rows (PostgreSQL), and the
migration leaves other databases as they were."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django_scopes import scope

from secu4all.incidents.models import ImportRun, Incident

# Migrations alter the schema, which SQLite refuses inside a test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("incidents", "0006_incident_counts")]
AFTER = [("incidents", "0007_incident_partitions")]


def migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_partitioned_table WHERE partrelid = %s::regclass",
            ["incidents_incident"],
        )
        return cursor.fetchone()[0] == 1


def add_rows(organisation, run, first: int, count: int) -> list[int]:
    with scope(organisation=organisation):
        return [
            Incident.objects.create(
                organisation=organisation,
                fingerprint=f"f{first + i}",
                occurred_on=f"2024-0{1 + i % 9}-1{i % 10}",
                month=f"2024-0{1 + i % 9}-01",
                precision="day",
                category="burglary",
                source_category="Burglary",
                import_run=run,
                source_row=first + i,
            ).pk
            for i in range(count)
        ]


def test_incidents_migrate_backwards_and_forwards_with_their_rows(havenstad, riverton) -> None:
    is_pg = connection.vendor == "postgresql"
    assert partitioned() is is_pg
    runs = {
        org: ImportRun.objects.create(organisation=org, file_name="t.csv", format="csv")
        for org in (havenstad, riverton)
    }
    ids = add_rows(havenstad, runs[havenstad], 0, 30) + add_rows(riverton, runs[riverton], 0, 20)

    migrate(BEFORE)
    assert not partitioned()
    ids += add_rows(havenstad, runs[havenstad], 100, 5)
    migrate(AFTER)
    assert partitioned() is is_pg
    # New rows take ids after the copied ones; the unique fingerprint still holds.
    ids += add_rows(riverton, runs[riverton], 100, 5)
    assert len(set(ids)) == len(ids) == 60
    with scope(organisation=havenstad):
        assert sorted(Incident.objects.values_list("pk", flat=True)) == sorted(
            ids[:30] + ids[50:55]
        )
    with scope(organisation=riverton):
        assert Incident.objects.count() == 25
        with pytest.raises(IntegrityError, match="fingerprint"), transaction.atomic():
            add_rows(riverton, runs[riverton], 0, 1)
