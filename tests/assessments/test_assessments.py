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
    assessment = assessment_create(
        site=square, actor=adviser, data=default_data(square), tlp="TLP:RED"
    )
    client.force_login(adviser)
    pdf = client.get(url("assessment_export", havenstad, square.pk, assessment.version, "pdf"))
    assert pdf.content[:5] == b"%PDF-"
    import io

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert text.count("TLP:RED") >= 2
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
