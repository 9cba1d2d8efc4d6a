"""An organisation's own scenario library and measure catalogue, and a site's drawn area."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scope

from secu4all.assessments import geometry
from secu4all.assessments.library import organisation_catalogue, starting_scenarios
from secu4all.assessments.models import Assessment, MeasureSetting, ScenarioSetting, Site
from secu4all.assessments.services import default_data
from secu4all.audit.models import AuditEvent
from secu4all.engines import risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def adviser(havenstad, make_member):
    return make_member(havenstad, "security-adviser")


@pytest.fixture
def square(havenstad):
    return Site.objects.with_scope(organisation=havenstad).create(
        organisation=havenstad, name="Grote Plein", kind="square", capacity=5000
    )


def url(name: str, org, *args) -> str:
    return reverse(f"assessments:{name}", args=[org.slug, *args])


def measure_post(**changes) -> dict:
    post = {
        "name": "Pop-up barriers",
        "category": "hvm",
        "investment_eur": 12000,
        "yearly_cost_eur": 800,
        "lifetime_years": 8,
        "perceived_safety": 1,
        "accessibility": -1,
        "offered": "on",
        "effect__vehicle_ramming": 70,
        "effect__vehicle_encroachment": 60,
    }
    post.update(changes)
    return post


# --- the measure catalogue -------------------------------------------------------------


def test_own_figures_for_a_library_measure_reach_new_assessments(
    client, adviser, havenstad, square
) -> None:
    library = risk.CATALOGUE[0]
    client.force_login(adviser)
    response = client.post(
        url("measure_edit", havenstad, library.id),
        measure_post(name=library.name, category=library.category, investment_eur=4321),
    )
    assert response.status_code == 302
    with scope(organisation=havenstad):
        entry = next(e for e in organisation_catalogue(havenstad) if e.measure.id == library.id)
        assert entry.origin == "changed"
        assert entry.measure.investment_eur == 4321
        assert entry.measure.effects == {"vehicle_ramming": 0.7, "vehicle_encroachment": 0.6}
        # A barrier keeps its crash rating when the organisation prices it.
        assert entry.measure.rating == library.rating
        data = default_data(square)
        given = next(m for m in data["measures"] if m["id"] == library.id)
        assert given["investment_eur"] == 4321
        event = AuditEvent.objects.filter(object_type="assessments.measuresetting").get()
    assert event.detail["after"]["investment_eur"] == 4321


def test_own_measure_is_offered_and_chosen_by_the_optimiser(
    client, adviser, havenstad, square
) -> None:
    client.force_login(adviser)
    post = measure_post(name="Stewards at the market gates", category="crowd")
    post.update({"investment_eur": 0, "yearly_cost_eur": 10, "effect__pickpocketing_theft": 90})
    client.post(url("measure_new", havenstad), post)
    with scope(organisation=havenstad):
        setting = MeasureSetting.objects.get()
        assert setting.measure_id == "own-stewards-at-the-market-gates"
        data = default_data(square)
    # Cheap and effective: the exact optimiser must take it within any budget.
    from secu4all.assessments.services import assessment_create

    with scope(organisation=havenstad):
        assessment = assessment_create(site=square, actor=adviser, data=data)
    assert setting.measure_id in assessment.result["selection"]["measures"]
    page = client.get(url("catalogue", havenstad))
    assert "Stewards at the market gates" in page.content.decode()


def test_withdrawn_measure_is_not_offered(client, adviser, havenstad, square) -> None:
    library = risk.CATALOGUE[1]
    client.force_login(adviser)
    post = measure_post(name=library.name, category=library.category)
    del post["offered"]
    client.post(url("measure_edit", havenstad, library.id), post)
    with scope(organisation=havenstad):
        ids = {m["id"] for m in default_data(square)["measures"]}
    assert library.id not in ids
    assert risk.CATALOGUE[0].id in ids


def test_engine_refusal_is_shown_and_nothing_is_stored(client, adviser, havenstad) -> None:
    client.force_login(adviser)
    response = client.post(url("measure_new", havenstad), measure_post(effect__cbr=99.5))
    assert response.status_code == 200
    assert "99" in response.content.decode()  # the field's maximum is named
    response = client.post(url("measure_new", havenstad), measure_post(investment_eur=-5))
    assert response.status_code == 200
    with scope(organisation=havenstad):
        assert not MeasureSetting.objects.exists()


def test_reset_returns_to_library_figures(client, adviser, havenstad) -> None:
    library = risk.CATALOGUE[0]
    client.force_login(adviser)
    client.post(
        url("measure_edit", havenstad, library.id),
        measure_post(name=library.name, category=library.category),
    )
    client.post(url("measure_reset", havenstad, library.id))
    with scope(organisation=havenstad):
        entry = next(e for e in organisation_catalogue(havenstad) if e.measure.id == library.id)
    assert entry.origin == "library"
    assert entry.measure == library


def test_catalogues_are_per_organisation(client, havenstad, riverton, make_member) -> None:
    library = risk.CATALOGUE[0]
    client.force_login(make_member(havenstad, "security-adviser"))
    client.post(
        url("measure_edit", havenstad, library.id),
        measure_post(name=library.name, category=library.category, investment_eur=1),
    )
    with scope(organisation=riverton):
        entry = next(e for e in organisation_catalogue(riverton) if e.measure.id == library.id)
    assert entry.origin == "library"
    # Riverton's adviser cannot reset Havenstad's figures by guessing the URL.
    client.force_login(make_member(riverton, "security-adviser"))
    assert client.post(url("measure_reset", riverton, library.id)).status_code == 404
    assert client.get(url("measure_edit", riverton, "own-anything")).status_code == 404
    with scope(organisation=havenstad):
        assert MeasureSetting.objects.count() == 1


def test_learner_cannot_change_the_catalogue(client, havenstad, make_member) -> None:
    client.force_login(make_member(havenstad, "learner"))
    assert client.post(url("measure_new", havenstad), measure_post()).status_code == 403
    assert client.get(url("scenarios", havenstad)).status_code == 403


# --- the scenario library --------------------------------------------------------------


def scenario_post(**rows) -> dict:
    post = {}
    for s in risk.SCENARIOS:
        post[f"inclusion__{s.id}"] = "by-kind"
    for scenario_id, (inclusion, asset, threat) in rows.items():
        post[f"inclusion__{scenario_id}"] = inclusion
        post[f"asset__{scenario_id}"] = asset or ""
        post[f"threat__{scenario_id}"] = threat or ""
    return post


def test_scenario_library_changes_what_new_assessments_start_with(
    client, adviser, havenstad, square
) -> None:
    with scope(organisation=havenstad):
        before = {s["id"]: s for s in starting_scenarios(havenstad, "square")}
    assert "pickpocketing_theft" in before
    assert "drug_production" not in before
    client.force_login(adviser)
    response = client.post(
        url("scenarios", havenstad),
        scenario_post(
            pickpocketing_theft=("never", None, None),
            drug_production=("always", 6, None),
            vehicle_ramming=("by-kind", None, 9),
        ),
    )
    assert response.status_code == 302
    with scope(organisation=havenstad):
        after = {s["id"]: s for s in default_data(square)["scenarios"]}
        assert ScenarioSetting.objects.count() == 3  # untouched rows are not stored
    assert "pickpocketing_theft" not in after
    assert after["drug_production"] == {"id": "drug_production", "asset_value": 6, "threat": 3}
    assert after["vehicle_ramming"]["threat"] == 9
    assert after["vehicle_ramming"]["asset_value"] == before["vehicle_ramming"]["asset_value"]


def test_scenario_library_refuses_scores_outside_the_scale(client, adviser, havenstad) -> None:
    client.force_login(adviser)
    response = client.post(
        url("scenarios", havenstad), scenario_post(vehicle_ramming=("by-kind", 11, None))
    )
    assert response.status_code == 200
    assert 'id="id_asset__vehicle_ramming"' in response.content.decode()
    with scope(organisation=havenstad):
        assert not ScenarioSetting.objects.exists()


def test_stored_versions_keep_the_prices_they_used(client, adviser, havenstad, square) -> None:
    from secu4all.assessments.services import assessment_create

    library = risk.CATALOGUE[0]
    with scope(organisation=havenstad):
        first = assessment_create(site=square, actor=adviser, data=default_data(square))
    client.force_login(adviser)
    client.post(
        url("measure_edit", havenstad, library.id),
        measure_post(name=library.name, category=library.category, investment_eur=1),
    )
    with scope(organisation=havenstad):
        stored = Assessment.objects.get(pk=first.pk)
    given = next(m for m in stored.data["measures"] if m["id"] == library.id)
    assert given["investment_eur"] == library.investment_eur


# --- a site's area ---------------------------------------------------------------------

# A 100 m × 50 m rectangle near Rotterdam's Schouwburgplein, corners in order.
CORNERS = """51.920000, 4.470000
51.920000, 4.471456
51.920450, 4.471456
51.920450, 4.470000"""


def test_corners_make_a_polygon_measured_on_the_ellipsoid() -> None:
    area = geometry.to_geojson(geometry.parse_corners(CORNERS))
    figures = geometry.measure(area)
    # On the WGS 84 ellipsoid at 51.92° N (prime vertical radius N = 6,391,412 m, meridian
    # radius M = 6,375,106 m): 0.001456° of longitude is N cos φ · Δλ = 100.15 m and
    # 0.00045° of latitude is M · Δφ = 50.07 m.
    assert figures.square_metres == pytest.approx(100.15 * 50.07, rel=0.002)
    assert figures.perimeter_m == pytest.approx(2 * (100.15 + 50.07), rel=0.002)
    assert geometry.corners_text(area).splitlines()[0] == "51.920000, 4.470000"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("51.92, 4.47\n51.93, 4.48", "at least 3"),
        ("51.92, 4.47\n51.93\n51.94, 4.49", "line 2"),
        ("51.92, 4.47\n91, 4.48\n51.94, 4.49", "latitude 91"),
        ("51.92, 4,47\n51.93, 4.48\n51.94, 4.49", "line 1"),
        ("51.92, nan\n51.93, 4.48\n51.94, 4.49", "not two finite numbers"),
    ],
)
def test_bad_corners_are_named(text: str, message: str) -> None:
    with pytest.raises(geometry.AreaError, match=message):
        geometry.parse_corners(text)


def test_adviser_draws_the_area_and_sees_density(client, adviser, havenstad, square) -> None:
    client.force_login(adviser)
    response = client.post(
        url("site_edit", havenstad, square.pk),
        {
            "name": square.name,
            "kind": "square",
            "country": "NL",
            "capacity": 25000,
            "corners": CORNERS,
        },
    )
    assert response.status_code == 302
    with scope(organisation=havenstad):
        square.refresh_from_db()
    assert square.area["type"] == "Polygon"
    # The centre of the corners becomes the site's point when none was given.
    assert square.lat == pytest.approx(51.920225)
    page = client.get(url("site", havenstad, square.pk)).content.decode()
    assert "5,015 m²" in page or "5,016 m²" in page  # 100.15 m × 50.07 m, as above
    assert "4 persons per m²" in page  # 25,000 people on 5,000 m² is 5 per m²
    with scope(organisation=havenstad):
        assert AuditEvent.objects.filter(action="change", object_id=str(square.pk)).exists()


def test_crossing_corners_are_saved_with_a_warning(client, adviser, havenstad, square) -> None:
    """Issue #15: a crossing outline is a warning, not a refusal; it gives no density."""
    client.force_login(adviser)
    response = client.post(
        url("site_edit", havenstad, square.pk),
        {
            "name": square.name,
            "kind": "square",
            "country": "NL",
            "corners": "0, 0\n1, 1\n0, 1\n1, 0",
        },
        follow=True,
    )
    assert response.redirect_chain
    assert "crosses" in response.content.decode()
    with scope(organisation=havenstad):
        square.refresh_from_db()
    assert square.area is not None
