"""The hotspot map's legend: its classes in the reader's language, with plain percentages."""

from __future__ import annotations

import pytest
from django.utils import translation

from secu4all.incidents.views import GISTAR_CLASSES, MORAN_CLASSES, _legend


@pytest.mark.parametrize(
    ("language", "first"),
    [("en", "Hot spot, 99% confidence"), ("nl", "Hotspot, 99% betrouwbaarheid")],
)
def test_gistar_classes_are_translated_without_escapes(language, first) -> None:
    with translation.override(language):
        items = _legend(GISTAR_CLASSES)
    assert items[0]["label"] == first
    assert [item["key"] for item in items] == [3, 2, 1, -1, -2, -3]
    assert all("%%" not in item["label"] for item in items)


def test_each_class_has_its_own_colour() -> None:
    for classes in (GISTAR_CLASSES, MORAN_CLASSES):
        colours = [item["colour"] for item in _legend(classes)]
        assert len(set(colours)) == len(colours)
