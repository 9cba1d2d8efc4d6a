"""The crime overview pages through HTTP: roles, tenancy, uploads, exports and audit."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django_scopes import scope

from secu4all.audit.models import AuditEvent
from secu4all.incidents.models import ImportRun, Incident
from secu4all.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(havenstad, make_member):
    return make_member(havenstad, "analyst")


@pytest.fixture
def havenstad(demo_town: Organisation, db) -> Organisation:
    """Every test here reads the demo town: Havenstad is built once, with its incidents."""
    demo_town.refresh_from_db()
    return demo_town


@pytest.fixture
def demo(havenstad: Organisation) -> Organisation:
    return havenstad


def url(name: str, org, *args) -> str:
    return reverse(f"incidents:{name}", args=[org.slug, *args])


def test_overview_shows_map_patterns_and_areas(client, analyst, demo) -> None:
    client.force_login(analyst)
    response = client.get(url("overview", demo), {"method": "gistar", "cell": "100"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="hotspot-data"' in html
    assert "Hot spot, 99% confidence" in html
    assert 'class="heat"' in html
    assert "Centrum" in html
    data = response.context["geojson"]
    assert any(f["properties"]["class"] == 3 for f in data["features"])
    with scope(organisation=demo):
        assert AuditEvent.objects.filter(object_type="incidents.overview").count() == 1


def test_filters_narrow_the_counts(client, analyst, demo) -> None:
    client.force_login(analyst)
    everything = client.get(url("overview", demo)).context["totals"].incidents
    bikes = client.get(url("overview", demo), {"category": "bicycle-theft"}).context["totals"]
    assert 0 < bikes.incidents < everything
    with scope(organisation=demo):
        assert bikes.incidents == Incident.objects.filter(category="bicycle-theft").count()


def test_bad_filters_are_named(client, analyst, demo) -> None:
    client.force_login(analyst)
    response = client.get(
        url("overview", demo), {"date_from": "2025-01-01", "date_to": "2024-01-01", "cell": "1"}
    )
    html = response.content.decode()
    assert "The end date lies before the start date." in html
    assert "Ensure this value is greater than or equal to 10." in html


def test_exports(client, analyst, demo) -> None:
    client.force_login(analyst)
    geojson = client.get(url("hotspots_export", demo, "geojson"), {"cell": "100"})
    assert geojson["Content-Type"] == "application/geo+json"
    assert json.loads(geojson.content)["type"] == "FeatureCollection"
    png = client.get(url("hotspots_export", demo, "png"), {"method": "kde", "cell": "100"})
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    for table in ("hour-weekday", "monthly", "areas", "near-repeats"):
        csv_text = client.get(url("table_export", demo, table)).content.decode()
        assert len(csv_text.splitlines()) > 2, table
    assert client.get(url("table_export", demo, "secrets")).status_code == 404
    with scope(organisation=demo):
        assert AuditEvent.objects.filter(action="export").count() == 6


def test_near_repeat_page_reads_the_table_aloud(client, analyst, demo) -> None:
    client.force_login(analyst)
    response = client.get(url("near_repeats", demo), {"category": "burglary"})
    html = response.content.decode()
    assert "near-repeat pattern" in html
    assert "Knox ratio" in html


def test_accuracy_page(client, analyst, demo) -> None:
    client.force_login(analyst)
    response = client.get(url("accuracy", demo), {"split": "2025-01-01"})
    assert response.context["accuracy"].pai > 1
    bad = client.get(url("accuracy", demo), {"split": "next tuesday"})
    assert "“next tuesday” is not a date" in bad.content.decode()


def test_another_towns_import_is_not_found(client, riverton, make_member, demo) -> None:
    run = ImportRun.objects.with_scope(organisation=demo).get()
    client.force_login(make_member(riverton, "analyst"))
    assert client.get(url("import_detail", riverton, run.pk)).status_code == 404
    assert client.get(url("overview", demo)).status_code == 404
    riverton_page = client.get(url("overview", riverton))
    assert riverton_page.context["totals"].incidents == 0


def test_api_incidents_are_paged_filtered_and_scoped(
    client, analyst, demo, riverton, make_member
) -> None:
    client.force_login(analyst)
    base = f"/api/v1/organisations/{demo.slug}/incidents/"
    page = client.get(base, {"category": "burglary", "date_from": "2025-01-01"}).json()
    assert page["count"] > 50
    assert len(page["results"]) == 50
    assert {r["category"] for r in page["results"]} == {"burglary"}
    assert min(r["occurred_on"] for r in page["results"]) >= "2025-01-01"
    bad = client.get(base, {"date_from": "soon"})
    assert bad.status_code == 400
    assert "date_from" in bad.json()
    client.force_login(make_member(riverton, "analyst"))
    assert client.get(base).status_code == 404


def test_api_hotspot_layer_is_geojson(client, analyst, demo, make_member, havenstad) -> None:
    client.force_login(analyst)
    layer = client.get(
        f"/api/v1/organisations/{demo.slug}/hotspots/", {"method": "gistar", "cell": 100}
    ).json()
    assert layer["type"] == "FeatureCollection"
    assert any(f["properties"]["class"] == 3 for f in layer["features"])
    client.force_login(make_member(havenstad, "learner"))
    assert client.get(f"/api/v1/organisations/{demo.slug}/hotspots/").status_code == 403
