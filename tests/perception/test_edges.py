"""Edges: a wave without answers, an organisation's own item in the survey, wave margins."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from secu4all.perception.estimates import wave_margins, wave_results
from secu4all.perception.imports import margins_import
from secu4all.perception.services import questionnaire_item_add_own
from tests.support.perception import margin_rows, margins_csv, response_key, survey_start

pytestmark = pytest.mark.django_db

TEXTS = {
    "nl": "Voelt u zich veilig op het Marktplein?",
    "en": "Do you feel safe on the market square?",
    "de": "Fühlen Sie sich auf dem Marktplatz sicher?",
    "fr": "Vous sentez-vous en sécurité sur la place du marché ?",
    "it": "Si sente sicuro/a in piazza del mercato?",
}


def test_a_wave_without_answers_renders_and_exports(client, town, make_member) -> None:
    wave = town["wave"]
    with scope(organisation=wave.organisation):
        results = wave_results(wave)
    assert results.responses == 0
    assert results.indicators == []
    client.force_login(make_member(town["organisation"], "org-admin"))
    for what in ("responses.csv", "estimates.csv", "summary.pdf"):
        url = reverse("perception:wave_export", args=["havenstad", wave.pk, what])
        assert client.get(url).status_code == 200, what
    page = client.get(reverse("perception:wave", args=["havenstad", wave.pk]))
    assert "0 respondents answered" in page.content.decode()
    gap = client.get(reverse("perception:fear_gap", args=["havenstad", wave.pk]))
    assert gap.status_code == 200


def test_an_own_item_is_asked_in_the_respondents_language(client, town) -> None:
    wave = town["wave"]
    with scope(organisation=wave.organisation):
        questionnaire_item_add_own(
            questionnaire=wave.questionnaire,
            actor=None,
            code="market_safe",
            texts=TEXTS,
            scale="safe4",
        )
    key = response_key(survey_start(client, wave, lang="it"))
    last = 1
    while client.get(f"/s/r/{key}/{last + 1}/").status_code == 200:
        last += 1
    page = client.get(f"/s/r/{key}/{last}/").content.decode()
    assert "Si sente sicuro/a in piazza del mercato?" in page
    assert "Molto sicuro/a" in page
    refused = client.post(f"/s/r/{key}/{last}/", {"q_market_safe": "5"})
    assert "Si sente sicuro/a in piazza del mercato?" in refused.content.decode()
    done = client.post(f"/s/r/{key}/{last}/", {"q_market_safe": "2"})
    assert done["Location"].endswith("/done/")
    with scopes_disabled():
        from secu4all.perception.models import Answer

        assert Answer.objects.get(item__code="market_safe").value == 2


def test_a_waves_own_margins_come_before_the_organisations(town) -> None:
    wave = town["wave"]
    organisation = town["organisation"]
    rows = [(c, a, s, n + 5) for c, a, s, n in margin_rows()]
    with scope(organisation=organisation):
        assert wave_margins(wave)[1] == "organisation"
        margins_import(organisation=organisation, actor=None, data=margins_csv(rows), wave=wave)
        cells, source = wave_margins(wave)
    assert source == "wave"
    assert cells[("BU01", "65+", "male")] == 405
