"""Issue 15 point 4: invitation codes, duplicates without tracking, rate limits per network,
the review queue, and a wave's estimates frozen at close with every later change a version."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled
from freezegun import freeze_time

from secu4all.audit.models import AuditEvent
from secu4all.perception import ratelimit
from secu4all.perception.estimates import wave_results
from secu4all.perception.imports import responses_import
from secu4all.perception.models import (
    EstimateSnapshot,
    InvitationCode,
    Response,
    Review,
    Suspicion,
)
from secu4all.perception.selectors import review_queue, wave_estimates, wave_snapshot
from secu4all.perception.services import (
    invitation_code_redeem,
    response_start,
    responses_flag,
    responses_review,
    snapshot_publish,
    wave_set_open,
)
from secu4all.perception.snapshots import version_label
from tests.support.perception import fill, response_key, survey_start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

TOKEN = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def adviser(town, make_member):
    return make_member(town["organisation"], "security-adviser")


def start(wave, device: str = ""):
    with scope(organisation=wave.organisation):
        return response_start(
            wave=wave, language="nl", age_band="65+", sex="male", device_token=device
        )


# --- invitation codes -------------------------------------------------------------------


def test_generated_codes_come_as_csv_once_and_only_their_hashes_are_kept(
    client, town, adviser
) -> None:
    wave = town["wave"]
    client.force_login(adviser)
    sent = client.post(
        reverse("perception:wave_codes", args=["havenstad", wave.pk]), {"count": "25"}
    )
    assert sent.status_code == 200
    assert sent["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(sent.content.decode())))
    assert rows[0] == ["code"]
    codes = [row[0] for row in rows[1:]]
    assert len(set(codes)) == 25
    with scopes_disabled():
        stored = set(InvitationCode.objects.filter(wave=wave).values_list("code_hash", flat=True))
    assert len(stored) == 25
    assert not any(code.replace("-", "") in "".join(stored) for code in codes)
    # A code opens one response, once; the code's row keeps no trace of which response.
    with scope(organisation=wave.organisation):
        assert invitation_code_redeem(wave=wave, code=codes[0])
        assert not invitation_code_redeem(wave=wave, code=codes[0])
        assert not invitation_code_redeem(wave=wave, code="WRNG-CODE")
    fields = {f.name for f in InvitationCode._meta.get_fields()}
    assert not fields & {"response", "response_id", "used_on", "used_at", "key"}


def test_a_wrong_code_gets_a_clear_message_in_the_respondents_language(client, town) -> None:
    wave = town["wave"]
    wave.codes_required = True
    wave.save()
    page = survey_start(client, wave, lang="it", code="ABCD-EFGH")
    assert page.status_code == 400
    with translation.override("it"):
        from django.utils.translation import gettext

        message = gettext("This invitation code is not valid or has already been used.")
    assert message in page.content.decode()
    with scopes_disabled():
        assert not Response.objects.exists()


# --- duplicates without tracking ----------------------------------------------------------


def test_the_same_device_token_twice_flags_both_responses_for_review(town) -> None:
    wave = town["wave"]
    first = start(wave, TOKEN)
    assert first.review == ""
    second = start(wave, TOKEN)
    other = start(wave, "f" * 32)
    first.refresh_from_db()
    assert (first.suspicion, first.review) == (Suspicion.DEVICE, Review.PENDING)
    assert (second.suspicion, second.review) == (Suspicion.DEVICE, Review.PENDING)
    assert other.review == ""
    # The token itself is never stored, only a keyed hash of it.
    assert TOKEN not in first.device_hash
    assert first.device_hash == second.device_hash != other.device_hash


def test_a_device_token_is_keyed_per_wave_and_a_missing_token_flags_nothing(town) -> None:
    wave = town["wave"]
    with scope(organisation=wave.organisation):
        from secu4all.perception.services import wave_create

        later = wave_create(
            organisation=wave.organisation,
            actor=None,
            questionnaire=town["questionnaire"],
            name="Wave 2026",
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
        )
    one = start(wave, TOKEN)
    two = start(later, TOKEN)
    assert one.device_hash
    assert two.device_hash
    assert one.device_hash != two.device_hash
    assert two.review == ""
    blank = [start(wave, ""), start(wave, ""), start(wave, "short")]
    assert all(r.device_hash == "" and r.review == "" for r in blank)


def test_the_survey_page_sends_the_device_token_and_tells_a_second_answer(client, town) -> None:
    wave = town["wave"]
    html = client.get(reverse("survey:start", args=[wave.token, "en"])).content.decode()
    assert 'name="device"' in html
    assert "perception/survey-device.js" in html
    first = response_key(survey_start(client, wave, lang="en", device=TOKEN))
    assert "has answered this survey before" not in client.get(f"/s/r/{first}/1/").content.decode()
    again = response_key(survey_start(client, wave, lang="en", device=TOKEN))
    page = client.get(f"/s/r/{again}/1/")
    assert page.status_code == 200
    assert "This device has answered this survey before." in page.content.decode()
    assert not page.cookies


# --- rate limits per network, hashed with a daily salt ------------------------------------


def test_the_network_prefix_is_a_slash_24_or_a_slash_56() -> None:
    assert ratelimit.network_prefix("192.0.2.77") == "192.0.2.0/24"
    assert ratelimit.network_prefix("::ffff:192.0.2.77") == "192.0.2.0/24"
    assert ratelimit.network_prefix("2001:db8:aa:bbcc:1:2:3:4") == "2001:db8:aa:bb00::/56"
    assert ratelimit.network_prefix("not an address") == "unknown"


def test_rate_limit_keys_on_the_network_under_a_daily_salt_and_holds_no_address() -> None:
    factory = RequestFactory()

    def key(address: str) -> str:
        return ratelimit.client_hash(factory.get("/", REMOTE_ADDR=address))

    with freeze_time("2027-03-14 10:00"):
        neighbour = key("192.0.2.10")
        assert key("192.0.2.250") == neighbour
        assert key("192.0.3.10") != neighbour
        assert key("2001:db8:aa:bb01::1") == key("2001:db8:aa:bbff::9")
        assert key("2001:db8:aa:bc00::1") != key("2001:db8:aa:bb00::1")
        ratelimit.allow(factory.get("/", REMOTE_ADDR="192.0.2.10"), "start")
    with freeze_time("2027-03-15 10:00"):
        assert key("192.0.2.10") != neighbour  # a new day, a new salt
    stored = " ".join(str(k) for k in cache._cache)  # LocMemCache: every key it holds
    assert "192.0.2" not in stored
    assert neighbour in stored


def test_a_flood_from_one_network_is_refused_even_from_changing_addresses(
    client, town, settings
) -> None:
    settings.PERCEPTION_RATE_LIMITS = {"start": (3, 600), "answer": (5, 600)}
    wave = town["wave"]
    url = reverse("survey:start", args=[wave.token, "nl"])
    statuses = [
        client.post(url, {"age_band": "65+"}, REMOTE_ADDR=f"198.51.100.{n}").status_code
        for n in range(1, 6)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert client.post(url, {"age_band": "65+"}, REMOTE_ADDR="198.51.101.1").status_code == 302


def test_a_burst_from_one_network_puts_its_responses_in_the_review_queue(
    client, town, settings
) -> None:
    settings.PERCEPTION_BURST = (4, 600)
    wave = town["wave"]
    url = reverse("survey:start", args=[wave.token, "nl"])
    for n in range(3):
        client.post(url, {"age_band": "65+"}, REMOTE_ADDR=f"203.0.113.{n}")
    client.post(url, {"age_band": "65+"}, REMOTE_ADDR="192.0.2.1")
    with scopes_disabled():
        assert not Response.objects.exclude(review="").exists()
    client.post(url, {"age_band": "65+"}, REMOTE_ADDR="203.0.113.200")
    with scopes_disabled():
        flagged = Response.objects.filter(review=Review.PENDING)
        assert flagged.count() == 4
        assert set(flagged.values_list("suspicion", flat=True)) == {Suspicion.NETWORK}
        # Nothing of the address is in the database.
        for row in Response.objects.values():
            assert not any("203.0.113" in str(v) or "192.0.2" in str(v) for v in row.values())


# --- the review queue ---------------------------------------------------------------------


def test_excluding_flagged_responses_takes_them_out_of_the_estimates_and_logs_it(
    town, adviser
) -> None:
    wave = town["wave"]
    fill(wave)
    with scope(organisation=wave.organisation):
        before = wave_results(wave).responses
        suspects = list(
            Response.objects.filter(wave=wave).order_by("id").values_list("pk", flat=True)[:3]
        )
        responses_flag(wave=wave, ids=suspects, suspicion=Suspicion.NETWORK)
        assert [r.pk for r in review_queue(wave=wave)] == suspects
        counts = responses_review(
            wave=wave,
            actor=adviser,
            decisions={suspects[0]: "kept", suspects[1]: "excluded", suspects[2]: "excluded"},
        )
        assert counts == {"kept": 1, "excluded": 2}
        assert wave_results(wave).responses == before - 2
    with scopes_disabled():
        logged = [
            e.detail
            for e in AuditEvent.objects.filter(actor=adviser)
            if e.detail.get("review") == "excluded"
        ]
    assert {d["response"] for d in logged} == set(suspects[1:])


def test_a_review_decision_must_be_keep_or_exclude_and_only_flagged_responses_change(
    town, adviser
) -> None:
    wave = town["wave"]
    plain = start(wave)
    flagged = start(wave)
    with scope(organisation=wave.organisation):
        responses_flag(wave=wave, ids=[flagged.pk], suspicion=Suspicion.DEVICE)
        with pytest.raises(ValidationError):
            responses_review(wave=wave, actor=adviser, decisions={flagged.pk: "delete"})
        responses_review(wave=wave, actor=adviser, decisions={plain.pk: "excluded"})
    plain.refresh_from_db()
    assert plain.review == ""


# --- estimates frozen at close, and versions ----------------------------------------------


def test_closing_freezes_the_estimates_and_a_later_exclusion_makes_version_2(town, adviser) -> None:
    wave = town["wave"]
    fill(wave)
    with scope(organisation=wave.organisation):
        suspects = list(Response.objects.filter(wave=wave).values_list("pk", flat=True)[:3])
        responses_flag(wave=wave, ids=suspects, suspicion=Suspicion.NETWORK)
        with freeze_time("2027-03-01 12:00"):
            wave_set_open(wave=wave, actor=adviser, is_open=False)
        first = wave_snapshot(wave=wave)
        frozen = dict(first.figures)
        assert first.version == 1
        assert frozen["responses"] == 96
        with freeze_time("2027-03-14 12:00"):
            responses_review(
                wave=wave, actor=adviser, decisions=dict.fromkeys(suspects, "excluded")
            )
        second = wave_snapshot(wave=wave)
        assert second.version == 2
        assert second.changes["excluded"] == 3
        assert second.figures["responses"] == 93
        # Version 1 is kept as it was.
        first.refresh_from_db()
        assert first.figures == frozen
        assert wave_estimates(wave=wave, version=1).responses == 96
        assert wave_estimates(wave=wave).responses == 93
        with translation.override("en"):
            assert version_label(second) == (
                "version 2 of 14 March 2027, changed: 3 responses excluded"
            )
            assert version_label(first) == (
                "version 1 of 1 March 2027, frozen when the wave closed"
            )
        with translation.override("nl"):
            assert "14 maart 2027" in version_label(second)
            assert "3 responsen uitgesloten" in version_label(second)


def test_the_frozen_figures_hold_the_intervals_and_survive_a_change_of_margins(town) -> None:
    wave = town["wave"]
    fill(wave)
    with scope(organisation=wave.organisation):
        live = wave_results(wave)
        wave_set_open(wave=wave, actor=None, is_open=False)
        from secu4all.perception.models import PopulationMargin

        PopulationMargin.objects.filter(area_code="BU01").update(population=1)
        frozen = wave_estimates(wave=wave, language="de")
        changed = wave_results(wave)
    code = live.indicators[0].indicator.code
    assert frozen.indicator(code).overall == live.indicator(code).overall
    assert changed.indicator(code).overall != live.indicator(code).overall
    assert frozen.indicator(code).by_area == live.indicator(code).by_area
    assert frozen.weighting.method == live.weighting.method
    assert [p[0] for p in frozen.problems] == [p[0] for p in live.problems]


def test_weighting_again_and_importing_after_close_make_new_versions(town, adviser) -> None:
    wave = town["wave"]
    fill(wave, per_cell=1)
    with scope(organisation=wave.organisation):
        wave_set_open(wave=wave, actor=adviser, is_open=False)
        third = snapshot_publish(wave=wave, actor=adviser, reweighted=True)
        assert third.version == 2
        assert third.changes["reweighted"] is True
        responses_import(
            wave=wave,
            actor=adviser,
            data=b"language,age_band,sex,area_code,vm_feels_unsafe\nnl,65+,male,BU01,2\n",
            file_name="paper.csv",
        )
        latest = wave_snapshot(wave=wave)
    assert latest.version == 3
    assert latest.changes["added"] == 1
    with translation.override("en"):
        assert version_label(latest).endswith("changed: 1 response added")
    with scopes_disabled():
        assert EstimateSnapshot.objects.filter(wave=wave).count() == 3


def test_an_unknown_version_is_not_found(town) -> None:
    wave = town["wave"]
    with scope(organisation=wave.organisation):
        assert wave_snapshot(wave=wave, version=7) is None
        with pytest.raises(EstimateSnapshot.DoesNotExist):
            wave_estimates(wave=wave, version=7)


# --- the adviser's fieldwork page -----------------------------------------------------------


def test_the_fieldwork_page_is_for_advisers_and_sets_the_window(
    client, town, adviser, make_member
) -> None:
    wave = town["wave"]
    url = reverse("perception:wave_fieldwork", args=["havenstad", wave.pk])
    client.force_login(make_member(town["organisation"], "analyst"))
    assert client.get(url).status_code == 403
    client.force_login(adviser)
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {"action": "window", "opens_at": "2027-03-10T09:00", "closes_at": "2027-03-01T09:00"},
    )
    assert bad.status_code == 400
    assert "The fieldwork must close after it opens." in bad.content.decode()
    good = client.post(
        url,
        {"action": "window", "opens_at": "2027-03-01T09:00", "closes_at": "2027-03-14T18:00"},
    )
    assert good.status_code == 302
    wave.refresh_from_db()
    assert wave.closes_at.isoformat() == "2027-03-14T17:00:00+00:00"  # 18:00 in Amsterdam


def test_the_fieldwork_page_reviews_and_lists_versions(client, town, adviser) -> None:
    wave = town["wave"]
    fill(wave, per_cell=1)
    flagged = [start(wave, TOKEN).pk, start(wave, TOKEN).pk]
    url = reverse("perception:wave_fieldwork", args=["havenstad", wave.pk])
    client.force_login(adviser)
    page = client.get(url).content.decode()
    assert "2 flagged responses await your review." in page
    assert "the same device answered more than once" in page
    assert client.post(url, {"action": "close"}).status_code == 302
    decisions = {f"decision_{flagged[0]}": "kept", f"decision_{flagged[1]}": "excluded"}
    assert client.post(url, {"action": "review", **decisions}).status_code == 302
    page = client.get(url).content.decode()
    assert "Version 2 of" in page
    assert "changed: 1 response excluded" in page
    assert "Version 1 of" in page
    old = client.get(url + "?version=1").content.decode()
    assert "95 % interval" in old
    assert "1 flagged response" not in old


def test_an_answer_after_close_never_reaches_the_frozen_figures(client, town) -> None:
    wave = town["wave"]
    key = response_key(survey_start(client, wave))
    with scope(organisation=wave.organisation):
        wave_set_open(wave=wave, actor=None, is_open=False)
    assert client.post(f"/s/r/{key}/1/", {"q_ess_safe_after_dark": "1"}).status_code == 410
    with scope(organisation=wave.organisation):
        assert wave_snapshot(wave=wave).figures["responses"] == 0
        assert wave_results(wave).responses == 0


def test_a_window_closed_by_time_freezes_when_the_adviser_opens_the_page(
    client, town, adviser
) -> None:
    wave = town["wave"]
    fill(wave, per_cell=1)
    wave.closes_at = wave.created_at + timedelta(minutes=1)
    wave.save()
    with freeze_time(wave.created_at + timedelta(days=3)):
        client.force_login(adviser)
        page = client.get(reverse("perception:wave_fieldwork", args=["havenstad", wave.pk]))
    assert "The survey closed on" in page.content.decode()
    with scope(organisation=wave.organisation):
        snapshot = wave_snapshot(wave=wave)
    assert snapshot.version == 1
    assert snapshot.frozen_at == wave.closes_at


def test_the_api_gives_the_frozen_version_and_any_earlier_one(client, town, adviser) -> None:
    from rest_framework.authtoken.models import Token

    wave = town["wave"]
    fill(wave, per_cell=1)
    token, _created = Token.objects.get_or_create(user=adviser)
    url = f"/api/v1/organisations/havenstad/survey-waves/{wave.pk}/estimates/"
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get(url, **auth).json()["version"] is None
    with scope(organisation=wave.organisation):
        wave_set_open(wave=wave, actor=adviser, is_open=False)
        suspect = Response.objects.filter(wave=wave).values_list("pk", flat=True)[0]
        responses_flag(wave=wave, ids=[suspect], suspicion=Suspicion.NETWORK)
        responses_review(wave=wave, actor=adviser, decisions={suspect: "excluded"})
    latest = client.get(url, **auth).json()
    assert (latest["version"], latest["respondents"]) == (2, 23)
    first = client.get(url + "?version=1", **auth).json()
    assert (first["version"], first["respondents"]) == (1, 24)
    assert client.get(url + "?version=9", **auth).status_code == 404
    assert client.get(url + "?version=x", **auth).status_code == 400


def test_a_results_page_can_say_which_frozen_version_it_shows(town) -> None:
    from django.template.loader import render_to_string

    wave = town["wave"]
    with scope(organisation=wave.organisation):
        assert "Frozen" not in render_to_string(
            "perception/_estimates_version.html", {"wave": wave}
        )
        with freeze_time("2027-03-14 12:00"):
            wave_set_open(wave=wave, actor=None, is_open=False)
        with translation.override("en"):
            html = render_to_string("perception/_estimates_version.html", {"wave": wave})
    assert "Frozen figures: Version 1 of 14 March 2027, frozen when the wave closed." in html
    assert f"/waves/{wave.pk}/fieldwork/#versions" in html
