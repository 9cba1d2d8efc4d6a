"""Geometry guards of a site's area: plausible size, inside the region, a warning on a crossing
outline; and a new site's country starting as the organisation's."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope

from secu4all.assessments import geometry
from secu4all.assessments.forms import SiteForm
from secu4all.assessments.models import Site
from secu4all.assessments.selectors import area_figures, organisation_region
from secu4all.assessments.services import site_create
from secu4all.neighbourhoods.services import area_save

pytestmark = pytest.mark.django_db

# About 160 m × 130 m in the middle of The Hague: a plausible square.
SQUARE = "52.0795, 4.2930\n52.0795, 4.2954\n52.0807, 4.2954\n52.0807, 4.2930"
# A square of 80° × 80°: some 35 million km², as was once accepted.
CONTINENT = "-40, -40\n-40, 40\n40, 40\n40, -40"
FIGURE_OF_EIGHT = "52.0795, 4.2930\n52.0807, 4.2954\n52.0795, 4.2954\n52.0807, 4.2930"


@pytest.fixture
def adviser(havenstad, make_member):
    return make_member(havenstad, "security-adviser")


@pytest.fixture
def bounded(havenstad):
    """Havenstad with one neighbourhood boundary around the middle of The Hague."""
    ring = [[4.28, 52.07], [4.31, 52.07], [4.31, 52.09], [4.28, 52.09], [4.28, 52.07]]
    area_save(
        organisation=havenstad,
        code="C01",
        name="Centrum",
        boundary={"type": "Polygon", "coordinates": [ring]},
    )
    return havenstad


def form(corners: str, kind: str = "square", region=None) -> SiteForm:
    bound = SiteForm(
        data={"name": "Plein", "kind": kind, "country": "NL", "corners": corners},
        region=region,
    )
    bound.is_valid()
    return bound


def test_a_continent_sized_square_is_refused_naming_its_size() -> None:
    errors = form(CONTINENT).errors["corners"]
    assert "km²" in errors[0]
    assert "Square" in errors[0]
    assert "swapped" in errors[0]


@pytest.mark.parametrize(
    ("kind", "plausible"), [("square", True), ("stadium", True), ("holiday-park", False)]
)
def test_size_bounds_depend_on_the_kind_of_site(kind: str, plausible: bool) -> None:
    # 21,000 m²: a square or a small stadium, but no holiday park is that small... with margin
    # a holiday park starts at 1,250 m², so shrink the outline to 400 m² for that case.
    corners = SQUARE if plausible else "52.0795, 4.2930\n52.0795, 4.2933\n52.0797, 4.2933"
    assert (form(corners, kind).errors.get("corners") is None) == plausible


def test_bounds_have_a_margin_around_the_typical_sizes() -> None:
    for kind, (low, high) in geometry.TYPICAL_AREA_M2.items():
        assert geometry.size_bounds(kind) == (low / geometry.MARGIN, high * geometry.MARGIN)


def test_outside_the_organisations_region_is_refused(bounded) -> None:
    region = organisation_region(bounded)
    assert form(SQUARE, region=region).errors.get("corners") is None
    # The same square in Rotterdam, some 20 km away.
    rotterdam = SQUARE.replace("52.07", "51.92").replace("52.08", "51.93").replace("4.29", "4.47")
    errors = form(rotterdam, region=region).errors["corners"]
    assert "corner 1 (51.9" in errors[0]
    assert "outside the organisation's region" in errors[0]


def test_without_boundaries_there_is_no_region(havenstad) -> None:
    assert organisation_region(havenstad) is None


def test_nan_and_inf_are_refused_with_the_line() -> None:
    assert "line 2" in form("52.0795, 4.2930\nnan, 4.2954\n52.0807, 4.2954").errors["corners"][0]
    assert "finite" in form("52.0795, inf\n52.0795, 4.2954\n52.08, 4.29").errors["corners"][0]


def test_a_crossing_outline_is_saved_with_a_warning_and_gives_no_density(
    client, adviser, havenstad
) -> None:
    client.force_login(adviser)
    response = client.post(
        reverse("assessments:sites", args=[havenstad.slug]),
        {
            "name": "Plein",
            "kind": "square",
            "country": "NL",
            "capacity": 20000,
            "corners": FIGURE_OF_EIGHT,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "needs a look" in html
    assert "crosses or touches" in html
    assert "Outline not trusted" in html
    with scope(organisation=havenstad):
        site = Site.objects.get()
        reading = area_figures(site)
    assert reading.problem
    assert reading.people_per_m2 is None


def test_the_service_refuses_an_implausible_area_whatever_the_way_in(havenstad) -> None:
    area = geometry.to_geojson(geometry.parse_corners(CONTINENT))
    with pytest.raises(ValidationError, match="km²"):
        site_create(organisation=havenstad, actor=None, name="Plein", kind="square", area=area)
    assert not Site.objects.with_scope(organisation=havenstad).exists()


def test_a_stored_implausible_area_feeds_no_density(havenstad) -> None:
    area = geometry.to_geojson(geometry.parse_corners(CONTINENT))
    site = Site.objects.with_scope(organisation=havenstad).create(
        organisation=havenstad, name="Old", kind="square", capacity=5000, area=area
    )
    reading = area_figures(site)
    assert "km²" in reading.problem
    assert reading.people_per_m2 is None


def test_a_new_site_starts_with_the_organisations_country(client, adviser, havenstad) -> None:
    havenstad.country = "GB"
    havenstad.save()
    client.force_login(adviser)
    page = client.get(reverse("assessments:sites", args=[havenstad.slug]))
    assert page.context["form"]["country"].value() == "GB"
    site = site_create(organisation=havenstad, actor=None, name="Market", kind="market")
    assert site.country == "GB"
    given = site_create(
        organisation=havenstad, actor=None, name="Markt", kind="market", country="NL"
    )
    assert given.country == "NL"
