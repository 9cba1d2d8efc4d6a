"""Roles, tenant isolation, forged ids, exports and the audit log."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django_scopes import scope

from secu4all.audit.models import AuditEvent
from secu4all.perception.library import library_items
from secu4all.perception.models import SurveyWave
from secu4all.perception.services import audit_walk_create, questionnaire_create, wave_create
from tests.support.perception import make_response, margin_rows

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"perception:{name}", args=args)


@pytest.fixture
def riverton_wave(riverton):
    with scope(organisation=riverton):
        questionnaire = questionnaire_create(
            organisation=riverton, actor=None, name="Riverton", item_codes=["vm_feels_unsafe"]
        )
        return wave_create(
            organisation=riverton,
            actor=None,
            questionnaire=questionnaire,
            name="Riverton wave",
            period_start=town_date(),
            period_end=town_date(),
        )


def town_date():
    from datetime import date

    return date(2025, 5, 1)


def test_a_riverton_user_never_sees_havenstad_waves(
    client, town, riverton, riverton_wave, make_member
) -> None:
    client.force_login(make_member(riverton, "org-admin"))
    wave = town["wave"]
    assert client.get(url("overview", "havenstad")).status_code == 404
    assert client.get(url("wave", "havenstad", wave.pk)).status_code == 404
    # Their own organisation's pages with Havenstad's ids: forged, so 404.
    assert client.get(url("wave", "riverton", wave.pk)).status_code == 404
    assert client.get(url("fear_gap", "riverton", wave.pk)).status_code == 404
    assert client.get(url("wave_export", "riverton", wave.pk, "responses.csv")).status_code == 404
    assert client.get(url("questionnaire", "riverton", town["questionnaire"].pk)).status_code == 404
    own = client.get(url("overview", "riverton")).content.decode()
    assert "Riverton wave" in own
    assert "Wave 2025" not in own
    with scope(organisation=town["organisation"]):
        walk = audit_walk_create(
            organisation=town["organisation"],
            actor=None,
            area_code="BU01",
            route="Havenstad walk",
            time_of_day="night",
            walked_on=town_date(),
            walkers=2,
        )
    assert client.get(url("walk", "riverton", walk.pk)).status_code == 404
    assert "Havenstad walk" not in client.get(url("walks", "riverton")).content.decode()


def test_roles(client, town, make_member) -> None:
    organisation = town["organisation"]
    client.force_login(make_member(organisation, "learner"))
    assert client.get(url("overview", "havenstad")).status_code == 403
    client.force_login(make_member(organisation, "analyst"))
    assert client.get(url("overview", "havenstad")).status_code == 200
    assert client.get(url("wave", "havenstad", town["wave"].pk)).status_code == 200
    assert client.get(url("wave_new", "havenstad")).status_code == 403
    assert (
        client.post(url("wave_open", "havenstad", town["wave"].pk), {"open": "0"}).status_code
        == 403
    )
    client.force_login(make_member(organisation, "security-adviser"))
    created = client.post(
        url("wave_new", "havenstad"),
        {
            "questionnaire": town["questionnaire"].pk,
            "name": "Wave 2026",
            "period_start": "2026-10-01",
            "period_end": "2026-10-31",
            "area_code": "",
        },
    )
    assert created.status_code == 302
    with scope(organisation=organisation):
        wave = SurveyWave.objects.get(name="Wave 2026")
        assert AuditEvent.objects.filter(action="create", object_id=str(wave.pk)).exists()


def test_questionnaire_from_the_library_with_an_own_item(client, town, make_member) -> None:
    client.force_login(make_member(town["organisation"], "org-admin"))
    made = client.post(
        url("questionnaire_new", "havenstad"),
        {"name": "Short", "items": ["ess_safe_after_dark", "vm_report_mark"]},
    )
    assert made.status_code == 302
    texts = {
        "text_nl": "Voelt u zich veilig in het park?",
        "text_en": "Do you feel safe in the park?",
        "text_de": "Fühlen Sie sich im Park sicher?",
        "text_fr": "Vous sentez-vous en sécurité dans le parc ?",
        "text_it": "Si sente sicuro nel parco?",
    }
    own = client.post(made["Location"], {"code": "park_safe", "scale": "safe4", **texts})
    assert own.status_code == 302
    page = client.get(made["Location"]).content.decode()
    assert "Do you feel safe in the park?" in page
    assert "own item" in page
    missing = client.post(
        made["Location"], {"code": "park2", "scale": "safe4", **texts, "text_it": ""}
    )
    assert "This field is required" in missing.content.decode()
    clash = client.post(made["Location"], {"code": "vm_feels_unsafe", "scale": "safe4", **texts})
    assert "belongs to a library item" in clash.content.decode()


def test_exports_are_logged_and_hold_the_answers(client, town, make_member) -> None:
    wave = town["wave"]
    for area in ("BU01", "BU02"):
        make_response(
            wave,
            area=area,
            age="65+",
            sex="male",
            answers={"vm_feels_unsafe": 1, "vm_report_mark": 6},
        )
    make_response(
        wave,
        area="BU03",
        age="15-24",
        sex="female",
        answers={"vm_feels_unsafe": 4},
        complete=False,
    )
    client.force_login(make_member(town["organisation"], "analyst"))
    responses = client.get(url("wave_export", "havenstad", wave.pk, "responses.csv"))
    rows = list(csv.reader(io.StringIO(responses.content.decode())))
    assert rows[0][:7] == [
        "response",
        "language",
        "age_band",
        "sex",
        "area_code",
        "complete",
        "started_on",
    ]
    assert rows[0][7:] == list(library_items())
    feels = rows[0].index("vm_feels_unsafe")
    assert [r[feels] for r in rows[1:]] == ["1", "1", "4"]
    assert [r[5] for r in rows[1:]] == ["1", "1", "0"]
    estimates = client.get(url("wave_export", "havenstad", wave.pk, "estimates.csv"))
    table = list(csv.DictReader(io.StringIO(estimates.content.decode())))
    overall = next(r for r in table if r["indicator"] == "feels_unsafe" and not r["area_code"])
    assert overall["n"] == "3"
    assert overall["suppressed"] == "1"
    pdf = client.get(url("wave_export", "havenstad", wave.pk, "summary.pdf"))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    with scope(organisation=town["organisation"]):
        files = sorted(
            e.detail["file"]
            for e in AuditEvent.objects.filter(action="export", object_id=str(wave.pk))
        )
    assert files == ["estimates.csv", "responses.csv", "summary.pdf"]


def test_generated_codes_download_once(client, town, make_member) -> None:
    client.force_login(make_member(town["organisation"], "security-adviser"))
    download = client.post(url("wave_codes", "havenstad", town["wave"].pk), {"count": "5"})
    codes = download.content.decode().split()[1:]
    assert len(codes) == 5
    assert all(len(c) == 9 and c[4] == "-" for c in codes)
    dup = client.post(
        url("wave_codes", "havenstad", town["wave"].pk), {"codes": codes[0]}, follow=True
    )
    assert "already exists for this wave" in dup.content.decode()


def test_margins_export_reads_back_through_the_margin_import(client, town, make_member) -> None:
    from secu4all.perception.imports import margins_import
    from secu4all.perception.models import PopulationMargin

    wave = town["wave"]
    client.force_login(make_member(town["organisation"], "analyst"))
    exported = client.get(url("wave_export", "havenstad", wave.pk, "margins.csv")).content
    rows = list(csv.reader(io.StringIO(exported.decode())))
    assert rows[0] == ["area_code", "age_band", "sex", "population"]
    assert sorted((r[0], r[1], r[2], int(r[3])) for r in rows[1:]) == sorted(margin_rows())
    # The exported file is a valid margin file: loading it as the wave's own margins works.
    organisation = town["organisation"]
    with scope(organisation=organisation):
        assert margins_import(organisation=organisation, actor=None, data=exported, wave=wave) == 24
        assert PopulationMargin.objects.filter(wave=wave).count() == 24
        assert AuditEvent.objects.filter(action="export", detail__file="margins.csv").exists()
