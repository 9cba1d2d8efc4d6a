"""Finding 12.11: a site's area is checked in O(n log n) with a cap on its corners and on the
size of the field, and a ring that touches itself is flagged like one that crosses itself
(issue #15: a warning, not a refusal)."""

from __future__ import annotations

import math

import pytest

from secu4all.assessments import geometry
from secu4all.assessments.forms import SiteForm


def outline(n: int) -> str:
    """``n`` corners on a circle of about 100 m around a Rotterdam square, in order."""
    return "\n".join(
        f"{51.92 + 0.0009 * math.sin(2 * math.pi * k / n):.7f}, "
        f"{4.47 + 0.0014 * math.cos(2 * math.pi * k / n):.7f}"
        for k in range(n)
    )


def test_more_corners_than_the_limit_are_refused_by_line() -> None:
    """Finding 12.11: 2,001 corners stop at line 2,001, before any geometry is computed."""
    assert len(geometry.parse_corners(outline(2000))) == 2000
    with pytest.raises(geometry.AreaError, match="line 2001: an area has at most 2000 corners"):
        geometry.parse_corners(outline(2001))


@pytest.mark.parametrize(
    "text",
    [
        # A figure of eight through one shared corner: touches itself, crosses nothing.
        "0, 0\n2, 2\n0, 4\n4, 4\n2, 2\n4, 0",
        # A spike that turns back along its own edge.
        "0, 0\n0, 4\n0, 2\n4, 2",
        # A corner lying on a non-neighbouring edge.
        "0, 0\n0, 4\n4, 4\n0, 2\n4, 0",
    ],
)
def test_a_ring_that_touches_itself_is_flagged(text: str) -> None:
    """Finding 12.11: the old pairwise check only saw proper crossings."""
    assert "crosses or touches" in geometry.self_intersection(geometry.parse_corners(text))


def form_errors(corners: str) -> list[str]:
    form = SiteForm(data={"name": "Plein", "kind": "square", "country": "NL", "corners": corners})
    form.is_valid()
    return form.errors.get("corners", [])


def test_the_setting_caps_corners_and_the_field_length(settings) -> None:
    """Finding 12.11: SITE_AREA_MAX_CORNERS bounds both the corners and the characters."""
    settings.SITE_AREA_MAX_CORNERS = 10
    assert form_errors(outline(10)) == []
    assert "at most 10 corners" in " ".join(form_errors(outline(11)))
    padded = outline(4).replace("\n", "\n" + " " * 200 + "\n")  # few corners, long text
    assert "at most 500 characters" in " ".join(form_errors(padded))
