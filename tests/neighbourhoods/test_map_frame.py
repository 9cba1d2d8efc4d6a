"""What every map shares: base map, named boundaries, the region it starts at, control texts."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation
from django_scopes import scope, scopes_disabled

from secu4all.common.map_titles import long_date, period_text
from secu4all.neighbourhoods.selectors import map_frame, region_bounds
from secu4all.neighbourhoods.services import areas_import
from secu4all.organisations.demo import DEMO_BASE_MAP
from secu4all.organisations.services import organisation_set_base_map

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "data" / "areas"


def test_region_is_the_union_of_the_boundaries() -> None:
    boundaries = {
        "A": {
            "type": "Polygon",
            "coordinates": [[[4.0, 52.0], [4.1, 52.0], [4.1, 52.1], [4.0, 52.0]]],
        },
        "B": {
            "type": "MultiPolygon",
            "coordinates": [[[[4.2, 51.9], [4.3, 51.9], [4.3, 52.0], [4.2, 51.9]]]],
        },
    }
    assert region_bounds(boundaries=boundaries) == [[51.9, 4.0], [52.1, 4.3]]
    assert region_bounds(boundaries={}) is None


def test_frame_without_anything_still_never_starts_at_the_world(havenstad) -> None:
    with scope(organisation=havenstad), override_settings(TILE_URL=""):
        frame = map_frame(organisation=havenstad)
    assert frame["base"] is None
    assert frame["region"] is None
    assert frame["areas"]["features"] == []
    assert frame["tiles"] == ""
    # No boundary, no boundary in the legend either.
    assert frame["legend"] == []


def test_frame_with_boundaries_and_base_map(havenstad, settings, tmp_path) -> None:
    settings.BASE_MAP_ROOT = tmp_path
    with scope(organisation=havenstad):
        areas_import(
            organisation=havenstad,
            actor=None,
            data=(DATA / "buurten.geojson").read_bytes(),
            file_name="buurten.geojson",
        )
    with scopes_disabled():
        organisation_set_base_map(
            actor=None, organisation=havenstad, source=DEMO_BASE_MAP, attribution="Demo"
        )
    with scope(organisation=havenstad), translation.override("nl"):
        frame = map_frame(
            organisation=havenstad,
            legend=[{"key": 1, "label": "x", "colour": "#000", "shape": "fill"}],
            options={"method": "gistar"},
        )
    assert frame["base"]["url"] == "/o/havenstad/basemap.pmtiles"
    assert frame["base"]["attribution"] == "Demo"
    # The neighbourhoods decide the first view, before the archive's wider bounds.
    assert frame["region"] != frame["base"]["bounds"]
    names = {f["properties"]["name"] for f in frame["areas"]["features"]}
    assert names
    assert "" not in names
    assert frame["legend"][-1]["key"] == "boundary"
    assert frame["legend"][-1]["label"] == "Wijkgrens, met de naam van de wijk"
    assert frame["controls"]["zoom_in"] == "Inzoomen"
    assert frame["options"] == {"method": "gistar"}
    json.dumps(frame)  # what json_script will do


def test_base_map_bounds_are_the_region_without_boundaries(havenstad, settings, tmp_path):
    settings.BASE_MAP_ROOT = tmp_path
    with scopes_disabled():
        organisation_set_base_map(actor=None, organisation=havenstad, source=DEMO_BASE_MAP)
    with scope(organisation=havenstad):
        frame = map_frame(organisation=havenstad)
    assert frame["region"] == frame["base"]["bounds"]
    (south, west), (north, east) = frame["region"]
    assert 52.0 < south < 52.078 < north < 52.2
    assert 4.2 < west < 4.3 < east < 4.4


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "3 December 2026"), ("nl", "3 december 2026"), ("de", "3. Dezember 2026")],
)
def test_long_date_is_never_in_the_us_order(language, expected) -> None:
    with translation.override(language):
        assert long_date(date(2026, 12, 3)) == expected


def test_period_text() -> None:
    with translation.override("en"):
        assert period_text(date(2024, 1, 1), date(2025, 12, 31)) == (
            "1 January 2024 – 31 December 2025"
        )
        assert period_text(date(2024, 1, 1), None) == "from 1 January 2024"
        assert period_text(None, None) == "all dates"
