"""Incidents, audit-walk pins and sites are placed in the neighbourhood that holds them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django_scopes import scope

from secu4all.assessments.models import Site
from secu4all.assessments.services import site_create
from secu4all.incidents.models import Incident
from secu4all.incidents.services import import_run_create, import_run_execute
from secu4all.neighbourhoods.services import area_save, areas_import
from secu4all.perception.models import AuditPin
from secu4all.perception.services import audit_pin_add, audit_walk_create

pytestmark = pytest.mark.django_db
BOUNDARIES = Path(__file__).parent.parent / "data" / "areas" / "buurten.geojson"
MAPPING = {
    "id": "id",
    "date": "date",
    "date_format": "%Y-%m-%d",
    "category": "category",
    "longitude": "lon",
    "latitude": "lat",
    "area": "area",
}
DUINZICHT = (4.28, 52.06)
HAVEN_SECOND_PART = (4.347, 52.052)  # the triangle of Havenkwartier's two parts
NOWHERE = (4.40, 52.10)
RATING_NAMES = ("lighting", "openness", "visibility", "people", "security", "walk_path")
RATINGS = dict.fromkeys((*RATING_NAMES, "transport", "gender_diversity", "feeling"), 1)


def import_boundaries(organisation) -> None:
    areas_import(
        organisation=organisation,
        actor=None,
        data=BOUNDARIES.read_bytes(),
        file_name="buurten.geojson",
    )


def import_incidents(organisation) -> None:
    lines = ["id,date,category,lon,lat,area"]
    for n, ((lon, lat), area) in enumerate(
        [(DUINZICHT, ""), (HAVEN_SECOND_PART, ""), (NOWHERE, ""), (DUINZICHT, "BU-SOURCE")]
    ):
        lines.append(f"{n},2025-05-0{n + 1},burglary,{lon},{lat},{area}")
    lines.append("9,2025-05-09,burglary,,,")
    run = import_run_create(
        organisation=organisation,
        actor=None,
        file_name="located.csv",
        data=None,
        format="csv",
        mapping=MAPPING,
    )
    import_run_execute(run=run, data="\n".join(lines).encode())


def placed(organisation) -> list[tuple[str, str, str]]:
    with scope(organisation=organisation):
        return list(
            Incident.objects.order_by("source_row").values_list(
                "source_id", "area_code", "area_name"
            )
        )


def test_located_incidents_without_an_area_are_placed_on_import(havenstad) -> None:
    import_boundaries(havenstad)
    import_incidents(havenstad)
    assert placed(havenstad) == [
        ("0", "BU09990000", "Duinzicht"),
        ("1", "BU09990100", "Havenkwartier"),
        ("2", "", ""),
        ("3", "BU-SOURCE", ""),  # the file's own area is kept
        ("9", "", ""),
    ]


def test_incidents_imported_before_the_boundaries_are_placed_when_they_come(havenstad) -> None:
    import_incidents(havenstad)
    assert [code for _, code, _ in placed(havenstad)] == ["", "", "", "BU-SOURCE", ""]
    import_boundaries(havenstad)
    assert [code for _, code, _ in placed(havenstad)] == [
        "BU09990000",
        "BU09990100",
        "",
        "BU-SOURCE",
        "",
    ]


def test_without_boundaries_nothing_is_placed(havenstad) -> None:
    area_save(organisation=havenstad, code="BU09990000", name="Duinzicht", population=10)
    import_incidents(havenstad)
    assert [code for _, code, _ in placed(havenstad)] == ["", "", "", "BU-SOURCE", ""]


def test_pins_and_sites_are_placed_on_save_and_again_on_new_boundaries(
    havenstad, make_member
) -> None:
    user = make_member(havenstad, "security-adviser")
    with scope(organisation=havenstad):
        walk = audit_walk_create(
            organisation=havenstad,
            actor=user,
            area_code="BU09990000",
            route="Beach",
            time_of_day="night",
            walked_on=date(2025, 5, 1),
            walkers=2,
        )
        early = audit_pin_add(walk=walk, actor=user, lon=DUINZICHT[0], lat=DUINZICHT[1], **RATINGS)
        early_site = site_create(
            organisation=havenstad,
            actor=user,
            name="Market square",
            kind="square",
            lon=HAVEN_SECOND_PART[0],
            lat=HAVEN_SECOND_PART[1],
        )
        assert (early.neighbourhood_code, early_site.neighbourhood_code) == ("", "")
    import_boundaries(havenstad)
    with scope(organisation=havenstad):
        pin = audit_pin_add(walk=walk, actor=user, lon=NOWHERE[0], lat=NOWHERE[1], **RATINGS)
        site = site_create(
            organisation=havenstad,
            actor=user,
            name="Beach",
            kind="square",
            lon=DUINZICHT[0],
            lat=DUINZICHT[1],
        )
        assert pin.neighbourhood_code == ""
        assert site.neighbourhood_code == "BU09990000"
        assert AuditPin.objects.get(pk=early.pk).neighbourhood_code == "BU09990000"
        assert Site.objects.get(pk=early_site.pk).neighbourhood_code == "BU09990100"


def test_the_demo_places_its_pins_and_sites(db, monkeypatch) -> None:
    from django_scopes import scopes_disabled

    from secu4all.shell.demo_loader import load_demo

    # Training's curriculum is not what this test is about.
    monkeypatch.setenv("SECU4ALL_CURRICULUM_DIR", str(Path(__file__).parent / "no-curriculum"))
    load_demo()
    with scopes_disabled():
        pins = list(AuditPin.objects.values_list("neighbourhood_code", flat=True))
        sites = dict(Site.objects.exclude(lon=None).values_list("name", "neighbourhood_code"))
    assert pins
    assert sum(1 for code in pins if code) > len(pins) / 2
    assert any(sites.values())
