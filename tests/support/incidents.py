"""Recorded crime for a town: incidents per neighbourhood, as one import run would leave them."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django_scopes import scope

from secu4all.incidents import demo as incidents_demo
from secu4all.incidents.models import ImportRun, Incident
from secu4all.incidents.selectors import IncidentFilter, incident_list
from secu4all.organisations.models import Organisation
from tests.support.people import organisation_make


def add_incidents(
    organisation: Organisation,
    counts: dict[str, int],
    on: date = date(2025, 6, 1),
    at: dict | None = None,
) -> None:
    """``counts`` incidents per area code, optionally located at ``at[code]`` (lon, lat).

    Written directly, not imported: the importer would merge these identical rows as
    duplicates."""
    run = ImportRun.objects.create(organisation=organisation, file_name="t.csv", format="csv")
    number = 0
    for area, n in counts.items():
        for _ in range(n):
            number += 1
            Incident.objects.create(
                organisation=organisation,
                fingerprint=f"{run.pk}-{number}",
                occurred_on=on,
                precision="day",
                month=on.replace(day=1),
                category="violence",
                source_category="assault",
                lon=(at or {}).get(area, (None, None))[0],
                lat=(at or {}).get(area, (None, None))[1],
                area_code=area,
                import_run=run,
                source_row=number,
            )


def incidents_filtered(organisation: Organisation, **filters) -> QuerySet[Incident]:
    """The organisation's incidents through the selector the pages use, with its filters."""
    return incident_list(organisation=organisation, filters=IncidentFilter(**filters))


def demo_town_make() -> Organisation:
    """Gemeente Havenstad with the demo's neighbourhoods and two years of generated incidents,
    imported through the real CSV importer."""
    havenstad = organisation_make("havenstad", "Gemeente Havenstad")
    with scope(organisation=havenstad):
        incidents_demo.load(password="unused")
    havenstad.refresh_from_db()
    return havenstad
