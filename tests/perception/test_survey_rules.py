"""Finding 12.19: the survey API takes responses under the rules of the public survey page —
one service: an open wave, a known neighbourhood of the wave, at least one answer."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_scopes import scopes_disabled
from rest_framework.authtoken.models import Token

from secu4all.perception.models import Response

pytestmark = pytest.mark.django_db

BODY = {"language": "nl", "age_band": "65+", "sex": "female", "area_code": "BU02"}
ANSWERS = {"vm_feels_unsafe": 2}


@pytest.fixture
def post(client, town, make_member):
    token, _created = Token.objects.get_or_create(
        user=make_member(town["organisation"], "security-adviser")
    )

    def send(**body):
        url = f"/api/v1/organisations/havenstad/survey-waves/{town['wave'].pk}/responses/"
        return client.post(
            url,
            {**BODY, "answers": ANSWERS, **body},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token.key}",
        )

    return send


def responses() -> int:
    with scopes_disabled():
        return Response.objects.count()


def test_a_closed_wave_takes_no_response_through_the_api(town, post) -> None:
    """Finding 12.19: closed for the public page, closed for the API."""
    town["wave"].is_open = False
    town["wave"].save()
    answer = post()
    assert answer.status_code == 400
    assert "closed" in str(answer.json())
    assert responses() == 0


def test_an_empty_answer_set_is_not_a_complete_response(post) -> None:
    """Finding 12.19: no answers, no response."""
    answer = post(answers={})
    assert answer.status_code == 400
    assert "at least one question" in str(answer.json()["answers"])
    assert responses() == 0


@pytest.mark.parametrize("code", ["BU99", "<script>", "bu01"])
def test_an_unknown_neighbourhood_is_refused_by_name(post, code) -> None:
    """Finding 12.19: area codes are checked against the wave's areas."""
    answer = post(area_code=code)
    assert answer.status_code == 400
    assert answer.json()["area_code"] == [f"{code} is not a neighbourhood of this survey."]
    assert responses() == 0


def test_a_restricted_wave_takes_only_its_own_neighbourhood(town, post) -> None:
    """Finding 12.19: a wave restricted to one area takes that one (or none given)."""
    town["wave"].area_code = "BU03"
    town["wave"].save()
    assert post(area_code="BU01").status_code == 400
    accepted = post(area_code="")
    assert accepted.status_code == 201
    with scopes_disabled():
        assert Response.objects.get(pk=accepted.json()["id"]).area_code == "BU03"


def test_a_valid_response_is_still_accepted_and_complete(post) -> None:
    answer = post()
    assert answer.status_code == 201
    with scopes_disabled():
        assert Response.objects.get(pk=answer.json()["id"]).complete


def test_the_public_page_does_not_complete_an_empty_response(client, town) -> None:
    """Finding 12.19: the same service refuses an empty response on the public page."""
    cache.clear()
    wave = town["wave"]
    started = client.post(
        reverse("survey:start", args=[wave.token, "en"]),
        {"age_band": "25-44", "sex": "female", "area_code": "BU01"},
    )
    key = re.search(r"/s/r/([^/]+)/1/", started["Location"]).group(1)
    number = 1
    while True:
        step = client.post(f"/s/r/{key}/{number}/", {})
        if step.status_code != 302:
            break
        number += 1
    assert step.status_code == 400
    assert "Answer at least one question" in step.content.decode()
    with scopes_disabled():
        assert not Response.objects.get(key=key).complete
    cache.clear()
