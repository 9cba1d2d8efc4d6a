"""The hotspot map's legend: its classes in the reader's language, with plain percentages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from secu4all.incidents import maps
from secu4all.incidents.views import _legend


@pytest.mark.parametrize(
    ("language", "first"),
    [("en", "Hot spot, 99% confidence"), ("nl", "Hotspot, 99% betrouwbaarheid")],
)
def test_gistar_classes_are_translated_without_escapes(language, first) -> None:
    with translation.override(language):
        items = _legend("gistar")
    assert items[0]["label"] == first
    assert [item["key"] for item in items] == [3, 2, 1, -1, -2, -3]
    assert all("%%" not in item["label"] for item in items)


def test_each_class_has_its_own_colour_the_one_the_printed_map_uses() -> None:
    for method, palette in (("gistar", maps.GI_COLOURS), ("local-moran", maps.LISA_COLOURS)):
        items = _legend(method)
        colours = [item["colour"] for item in items]
        assert len(set(colours)) == len(colours)
        for item in items:
            assert item["colour"] == "#{:02x}{:02x}{:02x}".format(*palette[item["key"]])


@pytest.mark.django_db
def test_overview_map_legend_title_and_frame_in_dutch(client, demo_town, make_member) -> None:
    demo_town.refresh_from_db()
    client.force_login(make_member(demo_town, "analyst"))
    response = client.get(
        reverse("incidents:overview", args=[demo_town.slug]),
        {"method": "gistar", "cell": "100", "category": "bicycle-theft"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    html = response.content.decode()
    assert "Hotspot, 99% betrouwbaarheid" in html
    assert "%%" not in html
    assert 'data-map="hotspots"' in html
    hotspot_map = response.context["hotspot_map"]
    assert "januari 2024" in hotspot_map["title"]
    assert "Fietsdiefstal" in hotspot_map["title"] or "fiets" in hotspot_map["title"].lower()
    frame = hotspot_map["frame"]
    assert len(frame["areas"]["features"]) == 9
    assert frame["region"] is not None
    assert [item["key"] for item in frame["legend"]][-1] == "boundary"
