"""Neighbourhoods from GeoJSON or CSV: codes, names, inhabitants and boundaries."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from secu4all.audit.models import AuditEvent
from secu4all.common.files import ImportFileError
from secu4all.neighbourhoods.importers import parse_areas
from secu4all.neighbourhoods.models import Area
from secu4all.neighbourhoods.services import areas_import

DATA = Path(__file__).parent.parent / "data" / "areas"


def test_geojson_areas_are_read_and_every_bad_feature_is_named() -> None:
    parsed = parse_areas((DATA / "buurten.geojson").read_bytes(), name="buurten.geojson")
    assert parsed.rows == 6
    assert [(a.code, a.name, a.population) for a in parsed.areas] == [
        ("BU09990000", "Duinzicht", 6200),
        ("BU09990100", "Havenkwartier", None),  # -99999999: kept secret by the office
    ]
    assert parsed.areas[1].boundary["type"] == "MultiPolygon"
    reasons = {r.row: (r.field, r.reason) for r in parsed.rejections}
    assert reasons[3] == ("geometry", "the geometry is a Point, not a Polygon or MultiPolygon")
    assert reasons[4][0] == "buurtcode"
    assert "listed twice" in reasons[4][1]
    assert "WGS 84" in reasons[5][1]
    assert reasons[6][0] == "code"
    assert parsed.rows == len(parsed.areas) + len(parsed.rejections)


def test_csv_areas_without_boundaries() -> None:
    parsed = parse_areas((DATA / "buurten.csv").read_bytes(), name="buurten.csv")
    assert [(a.code, a.population, a.boundary) for a in parsed.areas] == [
        ("BU09990000", 6300, None),
        ("BU09990400", 5400, None),
    ]
    assert {r.row: r.field for r in parsed.rejections} == {4: "population", 5: "code"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b'{"type": "Feature"', "not valid JSON"),
        (b'{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        (b"name;population\nX;1\n", "no area code column"),
    ],
)
def test_unreadable_files_are_refused_whole(data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        parse_areas(data, name="f")


@pytest.mark.django_db
def test_import_creates_then_updates_and_keeps_what_the_file_leaves_empty(havenstad) -> None:
    with scope(organisation=havenstad):
        first = areas_import(
            organisation=havenstad,
            actor=None,
            data=(DATA / "buurten.geojson").read_bytes(),
            file_name="buurten.geojson",
        )
        second = areas_import(
            organisation=havenstad,
            actor=None,
            data=(DATA / "buurten.csv").read_bytes(),
            file_name="buurten.csv",
        )
        duinzicht = Area.objects.get(code="BU09990000")
        event = AuditEvent.objects.filter(object_type="incidents.area").first()
    assert (first["created"], first["updated"], first["with_boundary"]) == (2, 0, 2)
    assert (second["created"], second["updated"]) == (1, 1)
    assert duinzicht.population == 6300  # the CSV's newer figure
    assert duinzicht.boundary["type"] == "Polygon"  # the CSV has none, so it stays
    # The rejected rows are kept in the audit log.
    assert [r["row"] for r in event.detail["rejected"]] == [4, 5]


@pytest.mark.django_db
def test_areas_page_imports_for_analysts_only_and_per_organisation(
    client, havenstad, riverton, make_member
) -> None:
    url = reverse("neighbourhoods:areas", args=[havenstad.slug])
    client.force_login(make_member(havenstad, "security-adviser"))
    with (DATA / "buurten.geojson").open("rb") as upload:
        assert client.post(url, {"file": upload}).status_code == 403
    client.force_login(make_member(havenstad, "analyst"))
    with (DATA / "buurten.geojson").open("rb") as upload:
        page = client.post(url, {"file": upload}).content.decode()
    assert "6 areas read, 2 added, 0 updated, 2 with a boundary, 4 rejected" in page
    assert "the geometry is a Point" in page
    client.force_login(make_member(riverton, "analyst"))
    assert (
        "Duinzicht"
        not in client.get(reverse("neighbourhoods:areas", args=[riverton.slug])).content.decode()
    )
    with scopes_disabled():
        assert Area.objects.filter(organisation=riverton).count() == 0


def test_demo_boundaries_hold_the_incidents_given_their_neighbourhood() -> None:
    from shapely.geometry import Point, shape

    from secu4all.incidents import demo_generator

    boundaries = {code: shape(b) for code, b in demo_generator.boundaries().items()}
    records = demo_generator.generate()[:500]
    inside = sum(
        boundaries[r["area"]].covers(Point(float(r["lon"]), float(r["lat"])))
        for r in records
        if r["lon"]
    )
    assert inside == sum(1 for r in records if r["lon"])
