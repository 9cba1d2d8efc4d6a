"""The anonymous public survey: language, start, pages, partial answers, codes, floods, privacy."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from secu4all.perception.models import Answer, InvitationCode, Response
from secu4all.perception.services import invitation_codes_add, invitation_codes_generate
from tests.support.perception import response_key, survey_start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_language_page_offers_five_languages_and_sets_no_cookie(client, town) -> None:
    page = client.get(reverse("survey:language", args=[town["wave"].token]))
    assert page.status_code == 200
    for name in ["Nederlands", "English", "Deutsch", "Français", "Italiano"]:
        assert name in page.content.decode()
    assert not page.cookies


def test_answering_in_german_keeps_partial_answers_and_completes(client, town) -> None:
    wave = town["wave"]
    started = survey_start(client, wave, lang="de")
    assert started.status_code == 302
    assert not started.cookies
    key = response_key(started)
    first = client.get(f"/s/r/{key}/1/")
    html = first.content.decode()
    assert '<html lang="de">' in html
    assert "Wie sicher fühlen Sie sich" in html
    assert "<fieldset" in html
    assert "<legend>" in html
    assert not first.cookies
    sent = client.post(f"/s/r/{key}/1/", {"q_ess_safe_after_dark": "3"})
    assert sent.status_code == 302
    assert sent["Location"].endswith(f"/s/r/{key}/2/")
    with scopes_disabled():
        response = Response.objects.get(key=key)
        assert not response.complete
        assert response.language == "de"
        assert response.area_code == "BU01"
        assert list(response.answers.values_list("item__code", "value")) == [
            ("ess_safe_after_dark", 3)
        ]
    # Coming back later with the key shows the answer given.
    again = client.get(f"/s/r/{key}/1/").content.decode()
    assert 'value="3" checked' in again
    number = 2
    while True:
        step = client.post(f"/s/r/{key}/{number}/", {})
        assert step.status_code == 302
        if step["Location"].endswith("/done/"):
            break
        number += 1
    assert number >= 5
    with scopes_disabled():
        assert Response.objects.get(key=key).complete


def test_out_of_range_answer_is_refused_by_name_and_the_rest_is_kept(client, town) -> None:
    key = response_key(survey_start(client, town["wave"], lang="en"))
    with scopes_disabled():
        items = list(Response.objects.get(key=key).wave.questionnaire.items.order_by("position"))
    # Page 2 holds the three feeling-unsafe items of the Veiligheidsmonitor.
    page = client.post(
        f"/s/r/{key}/2/",
        {"q_vm_feels_unsafe": "2", "q_vm_unsafe_neighbourhood": "7"},
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "How often do you feel unsafe in your own neighbourhood?" in text
    assert "7 is not one of the answers; choose 1 to 4" in text
    with scopes_disabled():
        stored = dict(Answer.objects.filter(response__key=key).values_list("item__code", "value"))
    assert stored == {"vm_feels_unsafe": 2}
    assert items[1].code == "vm_feels_unsafe"


def test_invitation_code_is_single_use(client, town) -> None:
    wave = town["wave"]
    wave.codes_required = True
    wave.save()
    with scope(organisation=wave.organisation):
        codes = invitation_codes_generate(wave=wave, actor=None, count=3)
    assert len(set(codes)) == 3
    missing = survey_start(client, wave, lang="en")
    assert missing.status_code == 400
    assert "Enter the code" in missing.content.decode()
    first = survey_start(client, wave, code=codes[0].lower())  # case and dash do not matter
    assert first.status_code == 302
    reused = survey_start(client, wave, lang="en", code=codes[0])
    assert reused.status_code == 400
    assert "already been used" in reused.content.decode()
    with scopes_disabled():
        assert Response.objects.filter(wave=wave).count() == 1
        assert InvitationCode.objects.filter(wave=wave, used=True).count() == 1
        # Only hashes are stored, never the printed code.
        assert not InvitationCode.objects.filter(code_hash__icontains=codes[1][:4]).exists()


def test_duplicate_invitation_codes_are_refused_with_their_lines(town) -> None:
    from django.core.exceptions import ValidationError

    wave = town["wave"]
    with scope(organisation=wave.organisation):
        invitation_codes_add(wave=wave, actor=None, codes=["ABCD-2345"])
        with pytest.raises(ValidationError) as refused:
            invitation_codes_add(wave=wave, actor=None, codes=["WXYZ-6789", "wxyz6789", "abcd2345"])
        messages = refused.value.messages
        assert "Line 2: the code wxyz6789 is a duplicate of line 1." in messages
        assert "Line 3: the code abcd2345 already exists for this wave." in messages
        assert InvitationCode.objects.filter(wave=wave).count() == 1  # nothing half-added


def test_a_flood_from_one_address_is_refused_and_nothing_is_lost(client, town, settings) -> None:
    settings.PERCEPTION_RATE_LIMITS = {"start": (3, 600), "answer": (5, 600)}
    wave = town["wave"]
    statuses = [survey_start(client, wave).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    with scopes_disabled():
        assert Response.objects.filter(wave=wave).count() == 3
    # Another address is not affected.
    other = client.post(
        reverse("survey:start", args=[wave.token, "nl"]),
        {"age_band": "65+"},
        REMOTE_ADDR="10.9.8.7",
    )
    assert other.status_code == 302
    # The cache holds a keyed hash of the address, not the address.
    keys = list(cache._cache.keys())
    assert keys
    assert not any("127.0.0.1" in k for k in keys)


def test_no_ip_address_or_user_agent_is_stored(client, town) -> None:
    for model in (Response, Answer):
        names = {f.name for f in model._meta.get_fields()}
        assert not {"ip", "ip_address", "user_agent", "remote_addr", "created_at"} & names
        assert not any(f.get_internal_type() == "GenericIPAddressField" for f in model._meta.fields)
    key = response_key(
        client.post(
            reverse("survey:start", args=[town["wave"].token, "it"]),
            {"age_band": "45-64", "sex": "male", "area_code": "BU02"},
            REMOTE_ADDR="203.0.113.77",
            HTTP_USER_AGENT="Fingerprintable/1.0",
        )
    )
    client.post(f"/s/r/{key}/1/", {"q_ess_safe_after_dark": "1"}, REMOTE_ADDR="203.0.113.77")
    # Search every text column of every table for the address and the user agent.
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 -- names from introspection
            for row in cursor.fetchall():
                flat = " ".join(str(v) for v in row)
                assert "203.0.113.77" not in flat, table
                assert "Fingerprintable" not in flat, table


def test_closed_wave_refuses_answers_politely(client, town) -> None:
    wave = town["wave"]
    key = response_key(survey_start(client, wave))
    wave.is_open = False
    wave.save()
    assert client.get(f"/s/r/{key}/1/").status_code == 410
    assert survey_start(client, wave).status_code == 410


def test_restricted_wave_puts_everyone_in_its_neighbourhood(client, town) -> None:
    wave = town["wave"]
    wave.area_code = "BU03"
    wave.save()
    form = client.get(reverse("survey:start", args=[wave.token, "fr"])).content.decode()
    assert "West" in form
    assert 'name="area_code"' not in form
    key = response_key(survey_start(client, wave, lang="fr", area_code="BU01"))
    with scopes_disabled():
        assert Response.objects.get(key=key).area_code == "BU03"


def test_unknown_token_and_key_are_404(client, town) -> None:
    assert client.get("/s/not-a-token/").status_code == 404
    assert client.get("/s/r/not-a-key/1/").status_code == 404
    key = response_key(survey_start(client, town["wave"]))
    assert client.get(f"/s/r/{key}/99/").status_code == 404
