"""Risk assessment through HTTP: sites, the questionnaire, versions, exports, roles, tenancy."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django_scopes import scope

from secu4all.assessments.forms import field_key
from secu4all.assessments.models import Assessment, Site
from secu4all.assessments.services import assessment_create, default_data
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


def form_post(form_data: dict) -> dict:
    """What a browser would submit for the prefilled form."""
    post = {
        "matrix": form_data["matrix"],
        "national_level": 3,
        "budget": 40000,
        "cost_basis": "annualised",
        "tlp": "TLP:AMBER+STRICT",
    }
    for s in form_data["scenarios"]:
        post[f"include__{s['id']}"] = "on"
        post[f"asset__{s['id']}"] = s["asset_value"]
        post[f"threat__{s['id']}"] = s["threat"]
    for m in form_data["measures"]:
        post[f"measure__{m['id']}"] = "on"
    return post


def test_adviser_adds_a_site(client, adviser, havenstad) -> None:
    client.force_login(adviser)
    response = client.post(
        url("sites", havenstad),
        {"name": "Winkelstraat", "kind": "shopping-street", "country": "NL"},
    )
    site = Site.objects.with_scope(organisation=havenstad).get()
    assert response["Location"] == url("site", havenstad, site.pk)
    with scope(organisation=havenstad):
        assert AuditEvent.objects.filter(object_type="assessments.site", action="create").exists()


def test_questionnaire_creates_versioned_assessments(client, adviser, havenstad, square) -> None:
    client.force_login(adviser)
    page = client.get(url("assess", havenstad, square.pk))
    assert page.status_code == 200
    post = form_post(page.context["form"].data_in)
    post[field_key("perimeter.hvm")] = 0
    response = client.post(url("assess", havenstad, square.pk), post)
    assert response["Location"] == url("assessment", havenstad, square.pk, 1)
    first = Assessment.objects.with_scope(organisation=havenstad).get()
    assert first.incomplete  # most questions were left unanswered
    assert first.tlp == "TLP:AMBER+STRICT"
    # Unanswered is never safe: answering everything well lowers the risk.
    for question in risk.QUESTIONS:
        post[field_key(question.id)] = len(question.scale) - 1
    client.post(url("assess", havenstad, square.pk), post)
    second = Assessment.objects.with_scope(organisation=havenstad).get(version=2)
    assert not second.incomplete
    assert second.total_risk < first.total_risk
    detail = client.get(url("assessment", havenstad, square.pk, 2))
    html = detail.content.decode()
    assert "Since version 1" in html
    assert "better" in html
    assert "TLP:AMBER+STRICT" in html


def test_scores_out_of_range_are_named(client, adviser, havenstad, square) -> None:
    client.force_login(adviser)
    post = form_post(default_data(square))
    post["threat__vehicle_ramming"] = 11
    response = client.post(url("assess", havenstad, square.pk), post)
    assert "Ensure this value is less than or equal to 10." in response.content.decode()
    assert not Assessment.objects.with_scope(organisation=havenstad).exists()


def test_engine_errors_reach_the_form(havenstad, square) -> None:
    data = default_data(square)
    data["measures"] = [{"id": "no_such_measure"}]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="no_such_measure"):
        assessment_create(site=square, actor=None, data=data)


def test_exports_carry_the_tlp_label_and_are_logged(client, adviser, havenstad, square) -> None:
    data = default_data(square)
    data["answers"] = {"perimeter.hvm": 0, "access.bag_checks": 1}
    assessment = assessment_create(site=square, actor=adviser, data=data, tlp="TLP:RED")
    client.force_login(adviser)
    pdf = client.get(url("assessment_export", havenstad, square.pk, assessment.version, "pdf"))
    assert pdf.content[:5] == b"%PDF-"
    import io

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert text.count("TLP:RED") >= 2
    assert "Driven by" in text
    assert "Catastrophic" in text  # the risk matrix is in the report
    data = json.loads(
        client.get(
            url("assessment_export", havenstad, square.pk, assessment.version, "json")
        ).content
    )
    assert data["tlp"] == "TLP:RED"
    assert data["result"]["total_risk"] == pytest.approx(assessment.total_risk)
    csv_text = client.get(
        url("assessment_export", havenstad, square.pk, assessment.version, "csv")
    ).content.decode()
    assert csv_text.startswith("TLP:RED")
    with scope(organisation=havenstad):
        assert AuditEvent.objects.filter(action="export").count() == 3


def test_only_advisers_and_admins_see_assessments(client, havenstad, make_member, square) -> None:
    for role in ("analyst", "learner", "partner", "trainer"):
        client.force_login(make_member(havenstad, role))
        assert client.get(url("sites", havenstad)).status_code == 403


def test_another_towns_site_is_not_found(client, havenstad, riverton, make_member, square) -> None:
    assessment_create(site=square, actor=None, data=default_data(square))
    client.force_login(make_member(riverton, "security-adviser"))
    assert client.get(url("site", riverton, square.pk)).status_code == 404
    assert client.get(url("assessment", riverton, square.pk, 1)).status_code == 404
    assert client.get(url("assessment_export", riverton, square.pk, 1, "json")).status_code == 404


def test_recorded_crime_near_the_site_feeds_the_threat(havenstad) -> None:
    from secu4all.assessments.demo import load as load_sites
    from secu4all.incidents.demo import load as load_incidents

    with scope(organisation=havenstad):
        load_incidents(password="")
        load_sites(password="")
        square = Site.objects.get(kind="market")
        versions = list(square.assessments.order_by("version"))
    context = versions[0].data["threat_context"]
    # The demo market sits on the nightlife hotspot: more incidents than expected.
    assert context["incidents_nearby"] > context["expected_incidents"]
    assert versions[1].total_risk < versions[0].total_risk


def test_changing_the_matrix_remaps_stored_assessments(client, adviser, havenstad, square) -> None:
    assessment = assessment_create(site=square, actor=adviser, data=default_data(square))
    client.force_login(adviser)
    page = url("assessment", havenstad, square.pk, assessment.version)
    before = {cell.label for _s, _d, cell, _t in client.get(page).context["rows"]}
    assert before <= {"Low", "Medium", "High", "Extreme"}
    response = client.post(
        url("matrix", havenstad),
        {
            "preset": "protect_uk_4x4",
            "likelihood_labels": "",
            "impact_labels": "",
            "level_names": "Acceptable, Tolerable, Unacceptable",
            "level_colours": "#2e7d32, #f9a825, #c62828",
            "thresholds": "4, 9",
        },
    )
    assert response.status_code == 302
    after = client.get(page)
    labels = {cell.label for _s, _d, cell, _t in after.context["rows"]}
    assert labels <= {"Acceptable", "Tolerable", "Unacceptable"}
    assert "ProtectUK 4×4" in after.content.decode()
    with scope(organisation=havenstad):
        assert AuditEvent.objects.filter(object_repr="risk matrix").exists()


def test_inconsistent_matrix_is_refused_with_the_reason(client, adviser, havenstad) -> None:
    client.force_login(adviser)
    response = client.post(
        url("matrix", havenstad),
        {
            "preset": "iso_31000_5x5",
            "level_names": "Low, High",
            "level_colours": "#2e7d32",
            "thresholds": "",
            "likelihood_labels": "",
            "impact_labels": "",
        },
    )
    assert "2 risk levels but 1 colours" in response.content.decode()
    bad = client.post(url("matrix", havenstad), {"preset": "iso_31000_5x5", "thresholds": "x"})
    assert "Thresholds are whole numbers." in bad.content.decode()


def test_threat_rating_is_explained_step_by_step(client, adviser, havenstad, square) -> None:
    data = default_data(square)
    data["threat_context"]["national_level"] = 4
    assessment = assessment_create(site=square, actor=adviser, data=data)
    client.force_login(adviser)
    rows = client.get(url("assessment", havenstad, square.pk, assessment.version)).context["rows"]
    ramming = next(steps for s, _d, _c, steps in rows if s["id"] == "vehicle_ramming")
    assert ramming[0] == "Base rating given by the assessor: 5 of 10."
    assert ramming[1].startswith("National threat level 4:")
    assert ramming[-1] == "Threat rating used: 6."


def test_zones_and_catalogue(client, adviser, havenstad, square) -> None:
    client.force_login(adviser)
    response = client.post(
        url("site", havenstad, square.pk),
        {"name": "North entrance", "kind": "entrance", "note": ""},
    )
    assert response.status_code == 302
    assert "North entrance" in client.get(url("site", havenstad, square.pk)).content.decode()
    catalogue = client.get(url("catalogue", havenstad)).content.decode()
    assert "km/h" in catalogue
    assert "bollards" in catalogue.lower()


def test_api_sites_versions_and_one_version(
    client, adviser, havenstad, riverton, square, make_member
) -> None:
    assessment_create(site=square, actor=adviser, data=default_data(square), tlp="TLP:RED")
    client.force_login(adviser)
    base = f"/api/v1/organisations/{havenstad.slug}/sites/"
    assert [s["name"] for s in client.get(base).json()["results"]] == ["Grote Plein"]
    versions = client.get(f"{base}{square.pk}/assessments/").json()["results"]
    assert versions[0]["version"] == 1
    full = client.get(f"{base}{square.pk}/assessments/1/").json()
    assert full["tlp"] == "TLP:RED"
    assert full["result"]["total_risk"] > 0
    with scope(organisation=havenstad):
        assert AuditEvent.objects.filter(action="view", detail__via="api").count() == 1
    client.force_login(make_member(havenstad, "analyst"))
    assert client.get(base).status_code == 403
    client.force_login(make_member(riverton, "security-adviser"))
    assert client.get(f"{base}{square.pk}/assessments/1/").status_code == 404
    other = f"/api/v1/organisations/{riverton.slug}/sites/{square.pk}/assessments/1/"
    assert client.get(other).status_code == 404
