"""Areas moved from incidents to neighbourhoods: the table and every row stay."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps
from django_scopes import scopes_disabled

from secu4all.neighbourhoods.models import Area

BEFORE = [("incidents", "0004_import_run_heartbeat"), ("neighbourhoods", None)]


def migrate(targets: list[tuple[str, str | None]]) -> StateApps:
    """Migrate to ``targets``; the models as the database then has them."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor = MigrationExecutor(connection)
    return executor._create_project_state(with_applied_migrations=True).apps


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_areas_written_before_the_move_are_read_by_the_new_model() -> None:
    old = migrate(BEFORE)
    assert "area" in old.get_app_config("incidents").models
    organisation = old.get_model("organisations", "Organisation").objects.create(
        slug="oldtown", name="Old Town", kind="municipality"
    )
    square = {"type": "Polygon", "coordinates": [[[4, 52], [5, 52], [5, 53], [4, 52]]]}
    old_area = old.get_model("incidents", "Area")
    old_area.objects.create(
        organisation=organisation, code="BU01", name="Haven", population=1200, boundary=square
    )
    old_area.objects.create(organisation=organisation, code="BU02", name="Dorp")
    content_type = old.get_model("contenttypes", "ContentType")
    content_type.objects.get_or_create(app_label="incidents", model="area")

    migrate(latest())

    with scopes_disabled():
        rows = list(Area.objects.filter(organisation_id=organisation.pk).order_by("code"))
    assert [(a.code, a.name, a.population, a.boundary) for a in rows] == [
        ("BU01", "Haven", 1200, square),
        ("BU02", "Dorp", None, None),
    ]
    assert Area._meta.db_table == "incidents_area"
    from django.contrib.contenttypes.models import ContentType

    assert ContentType.objects.get_for_model(Area).app_label == "neighbourhoods"
    assert not ContentType.objects.filter(app_label="incidents", model="area").exists()


@pytest.mark.django_db(transaction=True)
def test_moving_back_keeps_the_rows_too() -> None:
    migrate(latest())
    with scopes_disabled():
        from secu4all.organisations.models import Organisation

        organisation = Organisation.objects.create(slug="back", name="Back", kind="municipality")
        Area.objects.create(organisation=organisation, code="BU09", name="Terug")
    old = migrate(BEFORE)
    assert list(old.get_model("incidents", "Area").objects.values_list("code", flat=True)) == [
        "BU09"
    ]
    migrate(latest())
