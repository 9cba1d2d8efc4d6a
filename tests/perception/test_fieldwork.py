"""Issue 15 point 4: the fieldwork window closes a wave; late answers are refused, never stored."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from freezegun import freeze_time

from secu4all.audit.models import AuditEvent
from secu4all.perception.models import Answer, EstimateSnapshot, Response, SurveyWave
from secu4all.perception.services import (
    response_start,
    wave_accepts_answers,
    wave_close_if_due,
    wave_closed_since,
    wave_set_open,
    wave_window_set,
)
from tests.support.perception import response_key, survey_start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
OPENS = datetime(2027, 3, 1, 9, 0, tzinfo=AMSTERDAM)
CLOSES = datetime(2027, 3, 14, 18, 0, tzinfo=AMSTERDAM)
SECOND = timedelta(seconds=1)


@pytest.fixture
def freezer():
    """The clock, to put where a boundary is; starts a week before the window."""
    with freeze_time(OPENS - timedelta(days=7)) as frozen:
        yield frozen


@pytest.fixture
def windowed(town) -> SurveyWave:
    wave = town["wave"]
    with scope(organisation=wave.organisation):
        wave_window_set(wave=wave, actor=None, opens_at=OPENS, closes_at=CLOSES)
    return wave


def test_answers_are_taken_from_the_opening_minute_until_just_before_the_close(windowed) -> None:
    assert not wave_accepts_answers(wave=windowed, at=OPENS - SECOND)
    assert wave_accepts_answers(wave=windowed, at=OPENS)
    assert wave_accepts_answers(wave=windowed, at=CLOSES - SECOND)
    assert not wave_accepts_answers(wave=windowed, at=CLOSES)
    assert not wave_accepts_answers(wave=windowed, at=CLOSES + timedelta(days=30))


def test_closing_by_hand_stops_answers_inside_the_window(windowed) -> None:
    with scope(organisation=windowed.organisation):
        wave_set_open(wave=windowed, actor=None, is_open=False)
    assert not wave_accepts_answers(wave=windowed, at=OPENS + timedelta(days=1))
    assert windowed.closed_at is not None
    assert wave_closed_since(wave=windowed, at=OPENS + timedelta(days=1)) == windowed.closed_at


def test_a_window_that_ends_before_it_opens_is_refused(town) -> None:
    wave = town["wave"]
    with scope(organisation=wave.organisation), pytest.raises(ValidationError) as refused:
        wave_window_set(wave=wave, actor=None, opens_at=CLOSES, closes_at=OPENS)
    assert "closes_at" in refused.value.message_dict
    with scope(organisation=wave.organisation), pytest.raises(ValidationError):
        wave_window_set(wave=wave, actor=None, opens_at=OPENS, closes_at=OPENS)


def test_the_service_refuses_a_response_outside_the_window(windowed, freezer) -> None:
    freezer.move_to(CLOSES)
    with scope(organisation=windowed.organisation), pytest.raises(ValidationError) as refused:
        response_start(wave=windowed, language="nl", age_band="65+", sex="male")
    assert "closed" in str(refused.value)
    freezer.move_to(OPENS - SECOND)
    with scope(organisation=windowed.organisation), pytest.raises(ValidationError) as early:
        response_start(wave=windowed, language="nl", age_band="65+", sex="male")
    assert "not open yet" in str(early.value)


def test_after_the_close_the_start_page_says_when_it_closed_in_british_english(
    client, windowed, freezer
) -> None:
    freezer.move_to(CLOSES)
    page = client.get(reverse("survey:start", args=[windowed.token, "en"]))
    assert page.status_code == 410
    html = page.content.decode()
    assert "This survey closed on 14 March 2027." in html
    assert "March 14" not in html
    assert not page.cookies
    sent = survey_start(client, windowed, lang="nl")
    assert sent.status_code == 410
    assert "Deze enquête is gesloten op 14 maart 2027." in sent.content.decode()
    with scopes_disabled():
        assert not Response.objects.exists()


def test_before_the_opening_the_page_says_when_it_opens(client, windowed, freezer) -> None:
    freezer.move_to(OPENS - SECOND)
    page = client.get(reverse("survey:start", args=[windowed.token, "de"]))
    assert page.status_code == 403
    assert "1. März 2027" in page.content.decode()
    assert "09:00" in page.content.decode()


def test_a_page_loaded_before_the_close_and_sent_after_stores_nothing(
    client, windowed, freezer
) -> None:
    freezer.move_to(CLOSES - timedelta(minutes=5))
    key = response_key(survey_start(client, windowed, lang="fr"))
    form = client.get(f"/s/r/{key}/1/")
    assert form.status_code == 200
    freezer.move_to(CLOSES)
    sent = client.post(f"/s/r/{key}/1/", {"q_ess_safe_after_dark": "3"})
    assert sent.status_code == 410
    assert "Cette enquête a été clôturée le 14 mars 2027." in sent.content.decode()
    with scopes_disabled():
        assert not Answer.objects.filter(response__key=key).exists()
        assert not Response.objects.get(key=key).complete


def test_the_first_look_after_the_close_freezes_the_estimates_as_of_the_close(
    client, windowed, freezer
) -> None:
    freezer.move_to(CLOSES - timedelta(hours=1))
    key = response_key(survey_start(client, windowed))
    client.post(f"/s/r/{key}/1/", {"q_ess_safe_after_dark": "3"})
    freezer.move_to(CLOSES + timedelta(days=2))
    client.get(reverse("survey:start", args=[windowed.token, "en"]))
    with scopes_disabled():
        snapshot = EstimateSnapshot.objects.get(wave=windowed)
        windowed.refresh_from_db()
    assert snapshot.version == 1
    assert snapshot.frozen_at == CLOSES
    assert windowed.closed_at == CLOSES
    assert snapshot.figures["responses"] == 1
    # A second look does not freeze again.
    with scope(organisation=windowed.organisation):
        assert not wave_close_if_due(wave=windowed)
    client.get(reverse("survey:start", args=[windowed.token, "en"]))
    with scopes_disabled():
        assert EstimateSnapshot.objects.filter(wave=windowed).count() == 1


def test_closing_and_reopening_are_audit_logged(windowed, make_member) -> None:
    adviser = make_member(windowed.organisation, "security-adviser")
    with scope(organisation=windowed.organisation):
        wave_set_open(wave=windowed, actor=adviser, is_open=False)
        wave_set_open(wave=windowed, actor=adviser, is_open=True)
    with scopes_disabled():
        details = list(AuditEvent.objects.filter(actor=adviser).values_list("detail", flat=True))
    assert {"is_open": False} in details
    assert {"is_open": True} in details
    assert any(d.get("estimates_version") == 1 for d in details)
