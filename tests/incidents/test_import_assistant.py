"""The mapping assistant: a header read, a mapping proposed in five languages, confirmed or
changed, imported with every rejected row reported by line; and the template."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from django_scopes import scope

from secu4all.common.files import ImportFileError
from secu4all.incidents.importers.assistant import (
    propose_date_format,
    propose_mapping,
    read_header,
)
from secu4all.incidents.models import ImportRun
from secu4all.incidents.selectors import import_run_list
from secu4all.organisations.models import Role

DUTCH = (
    "Registratienummer;Pleegdatum;Tijdstip;Categorie;Wijkcode;Lengtegraad;Breedtegraad\n"
    "A1;14-03-2026;22:40;burglary;W01;4.4777;51.9244\n"
    "A2;15-03-2026;;bicycle-theft;W02;;\n"
    "A3;32-03-2026;10:00;burglary;W01;;\n"
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["Datum", "Tijd", "Categorie", "Wijk", "Adres", "Afloop"],
            {
                "date": "Datum",
                "time": "Tijd",
                "category": "Categorie",
                "area_name": "Wijk",
                "location": "Adres",
                "outcome": "Afloop",
            },
        ),
        (
            ["Tatdatum", "Uhrzeit", "Kategorie", "Stadtteil", "Längengrad", "Breitengrad"],
            {
                "date": "Tatdatum",
                "time": "Uhrzeit",
                "category": "Kategorie",
                "area_name": "Stadtteil",
                "longitude": "Längengrad",
                "latitude": "Breitengrad",
            },
        ),
        (
            ["Date", "Heure", "Catégorie", "Quartier", "Adresse"],
            {
                "date": "Date",
                "time": "Heure",
                "category": "Catégorie",
                "area_name": "Quartier",
                "location": "Adresse",
            },
        ),
        (
            ["data", "ora", "categoria", "quartiere", "indirizzo", "esito"],
            {
                "date": "data",
                "time": "ora",
                "category": "categoria",
                "area_name": "quartiere",
                "location": "indirizzo",
                "outcome": "esito",
            },
        ),
        (
            ["Crime ID", "Month", "Crime type", "Longitude", "Latitude", "LSOA code"],
            {
                "id": "Crime ID",
                "category": "Crime type",
                "longitude": "Longitude",
                "latitude": "Latitude",
                "area": "LSOA code",
            },
        ),
    ],
)
def test_headers_in_five_languages_are_mapped_by_name_and_synonym(header, expected) -> None:
    assert propose_mapping(header) == expected


def test_a_column_is_proposed_once_and_whole_names_come_first() -> None:
    # "datum" is the whole name of one column and part of another: the whole name wins.
    proposal = propose_mapping(["meldingsdatum_oud", "Datum", "X", "Y", "rd_x"])
    assert proposal["date"] == "Datum"
    assert proposal["x"] == "X"
    assert proposal["y"] == "Y"
    assert list(proposal.values()).count("X") == 1
    assert propose_mapping(["kolom1", "kolom2"]) == {}


def test_the_date_format_is_proposed_from_the_values() -> None:
    assert propose_date_format(["14-03-2026", "01-12-2025"]) == "%d-%m-%Y"
    assert propose_date_format(["14/03/2026 22:40"]) == "%d/%m/%Y %H:%M"
    assert propose_date_format(["2026-03-14", "2026-03-15T10:00"]) == ""
    assert propose_date_format(["next tuesday"]) == ""


def test_the_header_is_read_with_its_delimiter_and_samples() -> None:
    reading = read_header(DUTCH.encode(), name="meldingen.csv")
    assert reading.columns[:3] == ["Registratienummer", "Pleegdatum", "Tijdstip"]
    assert reading.proposal["date"] == "Pleegdatum"
    assert reading.proposal["id"] == "Registratienummer"
    assert reading.date_format == "%d-%m-%Y"
    assert reading.samples["Lengtegraad"] == ["4.4777"]
    assert reading.missing == []
    with pytest.raises(ImportFileError, match=r"empty\.csv"):
        read_header(b"", name="empty.csv")


@pytest.fixture
def analyst(client, havenstad, make_member):
    user = make_member(havenstad, Role.ANALYST)
    client.force_login(user)
    return user


def upload(client, text: str, name: str = "meldingen.csv"):
    url = reverse("incidents:import_assistant", args=["havenstad"])
    return client.post(url, {"file": _named(text, name)})


def _named(text: str, name: str):
    data = io.BytesIO(text.encode())
    data.name = name
    return data


def selected(page: str, field: str) -> str:
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', page, re.S).group(1)
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return chosen.group(1) if chosen else ""


def confirm_data(page: str) -> dict:
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    fields = re.findall(r'<select name="([a-z_]+)"', page)
    data = {name: selected(page, name) for name in fields}
    data["token"] = token
    found = re.search(r'name="date_format"[^>]*value="([^"]*)"', page)
    data["date_format"] = found.group(1) if found else ""
    return data


@pytest.mark.django_db
def test_a_dutch_file_is_proposed_confirmed_and_imported_with_rejections_by_line(
    client, havenstad, analyst
) -> None:
    page = upload(client, DUTCH).content.decode()
    assert "Step 2 of 2" in page
    assert selected(page, "date") == "Pleegdatum"
    assert selected(page, "category") == "Categorie"
    assert selected(page, "longitude") == "Lengtegraad"
    assert "Pleegdatum (for example 14-03-2026)" in page
    answer = client.post(
        reverse("incidents:import_assistant", args=["havenstad"]), confirm_data(page)
    )
    run = import_run_list(organisation=havenstad).get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("incidents:import_detail", args=["havenstad", run.pk])
    run.refresh_from_db()
    assert run.mapping["date_format"] == "%d-%m-%Y"
    assert (run.rows, run.imported, run.rejected) == (3, 2, 1)
    with scope(organisation=havenstad):
        rejection = run.rejections.get()
    assert rejection.row == 4
    assert rejection.field == "Pleegdatum"


@pytest.mark.django_db
def test_a_changed_mapping_is_checked_on_the_form(client, havenstad, analyst) -> None:
    page = upload(client, DUTCH).content.decode()
    data = confirm_data(page) | {"latitude": "", "time": "Pleegdatum"}
    answer = client.post(reverse("incidents:import_assistant", args=["havenstad"]), data)
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "Choose this column too, or neither of the two." in text
    assert "is already chosen for" in text
    assert not ImportRun.objects.with_scope(organisation=havenstad).exists()


@pytest.mark.django_db
def test_another_users_draft_is_refused(client, havenstad, analyst, make_member) -> None:
    page = upload(client, DUTCH).content.decode()
    client.force_login(make_member(havenstad, Role.ORG_ADMIN))
    answer = client.post(
        reverse("incidents:import_assistant", args=["havenstad"]), confirm_data(page), follow=True
    )
    assert "The uploaded file has expired; upload it again." in answer.content.decode()
    assert not ImportRun.objects.with_scope(organisation=havenstad).exists()


@pytest.mark.django_db
def test_an_unreadable_file_is_named(client, havenstad, analyst) -> None:
    answer = upload(client, "Datum;Datum\n1;2\n", name="dubbel.csv")
    assert "dubbel.csv has the column “Datum” twice" in answer.content.decode()
    assert "Step 1 of 2" in answer.content.decode()


@pytest.mark.django_db
def test_the_template_maps_itself(client, havenstad, analyst) -> None:
    answer = client.get(reverse("incidents:import_template", args=["havenstad"]))
    assert answer["Content-Type"].startswith("text/csv")
    text = answer.content.decode()
    header = next(csv.reader(io.StringIO(text)))
    assert propose_mapping(header) == {column: column for column in header}
    page = upload(client, text, name="template.csv").content.decode()
    client.post(reverse("incidents:import_assistant", args=["havenstad"]), confirm_data(page))
    run = import_run_list(organisation=havenstad).get()
    run.refresh_from_db()
    assert (run.imported, run.rejected) == (2, 0)


@pytest.mark.django_db
def test_only_importers_reach_the_assistant(client, havenstad, make_member) -> None:
    client.force_login(make_member(havenstad, Role.SECURITY_ADVISER))
    assert client.get(reverse("incidents:import_assistant", args=["havenstad"])).status_code == 403
    assert client.get(reverse("incidents:import_template", args=["havenstad"])).status_code == 403
