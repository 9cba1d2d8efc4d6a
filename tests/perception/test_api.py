"""API: waves and estimates for analysts, posting a response for advisers; isolation."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled
from rest_framework.authtoken.models import Token

from secu4all.perception.models import Response
from tests.support.perception import fill

pytestmark = pytest.mark.django_db


def auth(user) -> dict[str, str]:
    token, _created = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


def test_waves_and_estimates(client, town, make_member) -> None:
    wave = town["wave"]
    fill(wave)
    headers = auth(make_member(town["organisation"], "analyst"))
    waves = client.get("/api/v1/organisations/havenstad/survey-waves/", **headers).json()
    listed = waves["results"] if isinstance(waves, dict) else waves
    assert listed[0]["name"] == "Wave 2025"
    assert "vm_feels_unsafe" in listed[0]["items"]
    body = client.get(
        f"/api/v1/organisations/havenstad/survey-waves/{wave.pk}/estimates/", **headers
    ).json()
    assert body["weighting"] == "post-stratification"
    feels = next(i for i in body["indicators"] if i["code"] == "feels_unsafe")
    assert feels["by_area"]["BU01"]["value"] == pytest.approx(0.25)
    assert feels["overall"]["n"] == 96


def test_posting_a_response_validates_every_answer(client, town, make_member) -> None:
    wave = town["wave"]
    url = f"/api/v1/organisations/havenstad/survey-waves/{wave.pk}/responses/"
    analyst = auth(make_member(town["organisation"], "analyst"))
    body = {"language": "fr", "age_band": "65+", "sex": "female", "area_code": "BU02"}
    refused = client.post(
        url, {**body, "answers": {"vm_feels_unsafe": 2}}, content_type="application/json", **analyst
    )
    assert refused.status_code == 403
    adviser = auth(make_member(town["organisation"], "security-adviser"))
    bad = client.post(
        url,
        {**body, "answers": {"vm_feels_unsafe": 2, "vm_report_mark": 12}},
        content_type="application/json",
        **adviser,
    )
    assert bad.status_code == 400
    assert "12 is not one of the answers" in str(bad.json()["answers"]["vm_report_mark"])
    with scopes_disabled():
        assert not Response.objects.exists()  # all or nothing
    good = client.post(
        url,
        {**body, "answers": {"vm_feels_unsafe": 2, "vm_report_mark": 8}},
        content_type="application/json",
        **adviser,
    )
    assert good.status_code == 201
    with scopes_disabled():
        response = Response.objects.get(pk=good.json()["id"])
        assert response.complete
        assert response.answers.count() == 2


def test_another_organisation_gets_nothing(client, town, riverton, make_member) -> None:
    headers = auth(make_member(riverton, "org-admin"))
    wave = town["wave"]
    assert client.get("/api/v1/organisations/havenstad/survey-waves/", **headers).status_code == 404
    forged = client.get(
        f"/api/v1/organisations/riverton/survey-waves/{wave.pk}/estimates/", **headers
    )
    assert forged.status_code == 404
