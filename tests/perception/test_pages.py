"""Every page of perceived safety renders for the demo municipality, in every language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from secu4all.incidents import demo as incidents_demo
from secu4all.perception import demo as perception_demo
from secu4all.perception.models import AuditWalk, Questionnaire, SurveyWave
from tests.support.database import built_once
from tests.support.people import member_make, organisation_make

pytestmark = pytest.mark.django_db


def demo_make() -> dict:
    """Havenstad with the demo's incidents and perceived safety, and its admin."""
    havenstad = organisation_make("havenstad", "Gemeente Havenstad")
    with scopes_disabled():
        incidents_demo.load(password="x")
        perception_demo.load(password="x")
        first, second = SurveyWave.objects.order_by("period_start")
        return {
            "admin": member_make(havenstad, "org-admin"),
            "first": first,
            "second": second,
            "questionnaire": Questionnaire.objects.get(),
            "walk": AuditWalk.objects.order_by("id").first(),
        }


@pytest.fixture(scope="module")
def demo_built(django_db_setup, django_db_blocker) -> Iterator[dict]:
    yield from built_once(django_db_blocker, demo_make)


@pytest.fixture
def demo(demo_built: dict, db) -> dict:
    with scopes_disabled():
        for instance in demo_built.values():
            instance.refresh_from_db()
    return demo_built


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_renders(client, demo, language) -> None:
    client.force_login(demo["admin"])
    client.cookies["django_language"] = language
    first, second, walk = demo["first"], demo["second"], demo["walk"]
    pages = [
        reverse("perception:overview", args=["havenstad"]),
        reverse("perception:questionnaire_new", args=["havenstad"]),
        reverse("perception:questionnaire", args=["havenstad", demo["questionnaire"].pk]),
        reverse("perception:wave_new", args=["havenstad"]),
        reverse("perception:wave", args=["havenstad", second.pk]) + f"?compare={first.pk}",
        reverse("perception:fear_gap", args=["havenstad", second.pk]),
        reverse("perception:walks", args=["havenstad"]),
        reverse("perception:walk", args=["havenstad", walk.pk]),
        reverse("perception:walk_area", args=["havenstad", walk.area_code]),
        reverse("survey:language", args=[second.token]),
        reverse("survey:start", args=[second.token, language]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    compared = client.get(pages[4]).content.decode()
    if language == "en":
        assert "Significant at 5 %" in compared
        assert "Per neighbourhood: Feels unsafe in own neighbourhood" in compared
    assert compared.count("<table") >= 8


def test_the_first_wave_is_closed_to_new_answers(client, demo) -> None:
    assert client.get(reverse("survey:start", args=[demo["first"].token, "nl"])).status_code == 410
