"""Importing incident files: every row imported or rejected with a reason, nothing kept twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import timezone
from django_scopes import scope

from secu4all import cli
from secu4all.common.files import ImportFileError, check_size
from secu4all.incidents.models import AreaCount, ImportRun, Incident
from secu4all.incidents.services import import_run_create, import_run_execute

DATA = Path(__file__).parent.parent / "data" / "incidents"
pytestmark = pytest.mark.django_db


def run_import(organisation, name: str, format: str, mapping: dict | None = None) -> ImportRun:
    data = (DATA / name).read_bytes()
    run = import_run_create(
        organisation=organisation,
        actor=None,
        file_name=name,
        data=None,
        format=format,
        mapping=mapping,
    )
    return import_run_execute(run=run, data=data)


def rejections(run: ImportRun) -> dict[int, tuple[str, str]]:
    with scope(organisation=run.organisation):
        return {r.row: (r.field, r.reason) for r in run.rejections.all()}


def assert_adds_up(run: ImportRun) -> None:
    assert run.imported + run.rejected + run.duplicates == run.rows


def test_police_uk_file_is_imported_with_nothing_lost(havenstad) -> None:
    run = run_import(havenstad, "police-uk-sample.csv", "police-uk")
    assert run.status == "done"
    assert run.rows == 10
    assert (run.imported, run.no_location, run.rejected, run.duplicates) == (6, 1, 4, 0)
    assert_adds_up(run)
    rejected = rejections(run)
    assert rejected[7] == ("Month", "“2024-13” is not a month written as YYYY-MM")
    assert rejected[8][0] == "Longitude"
    assert "swapped" in rejected[9][1]
    assert "more than 100 km" in rejected[10][1]
    with scope(organisation=havenstad):
        # Two identical nuisance reports are two incidents, not one.
        assert Incident.objects.filter(category="anti-social-behaviour").count() == 2
        no_location = Incident.objects.get(lon__isnull=True)
        assert no_location.area_code == "E01000005"
        assert no_location.precision == "month"
        located = Incident.objects.exclude(lon__isnull=True).first()
        assert located.x is not None
    havenstad.refresh_from_db()
    assert havenstad.projection_epsg == 32630  # UTM zone 30N covers London


def test_same_file_again_adds_nothing(havenstad) -> None:
    first = run_import(havenstad, "police-uk-sample.csv", "police-uk")
    second = run_import(havenstad, "police-uk-sample.csv", "police-uk")
    assert second.imported == 0
    assert second.duplicates == first.imported
    assert_adds_up(second)
    with scope(organisation=havenstad):
        assert Incident.objects.count() == first.imported


def test_same_file_in_another_organisation_is_its_own(havenstad, riverton) -> None:
    run_import(havenstad, "police-uk-sample.csv", "police-uk")
    run = run_import(riverton, "police-uk-sample.csv", "police-uk")
    assert run.imported == 6
    with scope(organisation=riverton):
        assert Incident.objects.count() == 6


def test_latin1_semicolons_decimal_commas_and_mixed_dates(havenstad) -> None:
    mapping = json.loads((DATA / "nl-latin1-mapping.json").read_text())
    run = run_import(havenstad, "nl-latin1-semicolon.csv", "csv", mapping)
    assert (run.rows, run.imported, run.rejected, run.no_location) == (4, 3, 1, 1)
    field, reason = rejections(run)[4]
    assert field == "datum"
    assert reason == "“2024-01-07” matches none of the formats %d-%m-%Y"
    with scope(organisation=havenstad):
        pickpocket = Incident.objects.get(source_id="2024-0001")
    assert pickpocket.location_text == "Grote Marktstraat, café"
    assert pickpocket.category == "theft-from-person"
    assert pickpocket.source_category == "Zakkenrollerij"
    assert pickpocket.lon == pytest.approx(4.3007)
    assert pickpocket.precision == "minute"
    assert timezone.localtime(pickpocket.occurred_at).hour == 21


def test_utf8_with_byte_order_mark(havenstad) -> None:
    mapping = {
        "id": "id",
        "date": "date",
        "category": "type",
        "longitude": "lon",
        "latitude": "lat",
    }
    run = run_import(havenstad, "generic-utf8-bom.csv", "csv", mapping)
    assert (run.imported, run.rejected) == (2, 0)
    with scope(organisation=havenstad):
        assert set(Incident.objects.values_list("category", flat=True)) == {
            "burglary",
            "theft-from-person",
        }


def test_geojson_in_rd_new_is_projected_to_longitude_latitude(havenstad) -> None:
    mapping = {"id": "nr", "date": "when", "category": "what", "epsg": 28992}
    run = run_import(havenstad, "rd-new.geojson", "geojson", mapping)
    assert (run.rows, run.imported, run.no_location, run.rejected) == (4, 3, 1, 1)
    assert rejections(run)[4] == ("geometry", "is a LineString, not a Point")
    with scope(organisation=havenstad):
        g1 = Incident.objects.get(source_id="G1")
    # RD New (81000, 455000) lies in the centre of The Hague.
    assert g1.lon == pytest.approx(4.3, abs=0.02)
    assert g1.lat == pytest.approx(52.08, abs=0.02)


def test_nl_police_counts_per_area(havenstad) -> None:
    run = run_import(havenstad, "nl-police-buurt.csv", "nl-police")
    assert (run.rows, run.imported, run.rejected) == (8, 5, 3)
    rejected = rejections(run)
    assert rejected[6] == ("SoortMisdrijf", "“9.9.9 ” is not a known offence code")
    assert rejected[7][0] == "WijkenEnBuurten"
    assert rejected[8][0] == "Perioden"
    with scope(organisation=havenstad):
        burglary = AreaCount.objects.filter(offence_code="1.1.1").order_by("period")
        assert [(c.period, c.count, c.withheld) for c in burglary] == [
            ("2024MM01", 4, False),
            ("2024MM02", None, True),
        ]
        assert AreaCount.objects.get(offence_code="1.2.4").category == "theft-from-person"
        assert Incident.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("police-uk-missing-columns.csv", "lacks the required column(s) Longitude, Latitude"),
        ("binary.csv", "is a binary file"),
    ],
)
def test_whole_file_problems_fail_clearly_and_keep_nothing(havenstad, name, message) -> None:
    run = run_import(havenstad, name, "police-uk")
    assert run.status == "failed"
    assert message in run.message
    with scope(organisation=havenstad):
        assert Incident.objects.count() == 0


def test_empty_and_huge_files_are_refused_before_reading() -> None:
    with pytest.raises(ImportFileError, match="empty"):
        check_size(0, name="x.csv")
    with pytest.raises(ImportFileError, match="2,048 MB; the largest file accepted is 1,024 MB"):
        check_size(2 * 1024**3, name="x.csv")


def test_failure_midway_leaves_nothing_behind(havenstad, monkeypatch, settings) -> None:
    from secu4all.incidents import services

    settings.SECU4ALL_IMPORT_BATCH_ROWS = 2
    original = services.insert_rows
    calls = {"n": 0}

    def failing_insert(model, fields, rows):
        if model is Incident:
            calls["n"] += 1
            if calls["n"] == 3:
                raise RuntimeError("disk full")
        return original(model, fields, rows)

    monkeypatch.setattr(services, "insert_rows", failing_insert)
    with pytest.raises(RuntimeError):
        run_import(havenstad, "police-uk-sample.csv", "police-uk")
    run = ImportRun.objects.with_scope(organisation=havenstad).get()
    assert run.status == "failed"
    assert "undone" in run.message
    with scope(organisation=havenstad):
        assert Incident.objects.count() == 0


def test_cli_import_prints_json_counts(havenstad, capsys) -> None:
    code = cli.main(
        [
            "incidents",
            "import",
            str(DATA / "police-uk-sample.csv"),
            "--format",
            "police-uk",
            "--org",
            "havenstad",
            "--json",
        ]
    )
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert {
        k: summary[k] for k in ("rows", "imported", "no_location", "rejected", "duplicates")
    } == {
        "rows": 10,
        "imported": 6,
        "no_location": 1,
        "rejected": 4,
        "duplicates": 0,
    }


def test_cli_import_names_unknown_organisation(db, capsys) -> None:
    code = cli.main(
        [
            "incidents",
            "import",
            str(DATA / "police-uk-sample.csv"),
            "--format",
            "police-uk",
            "--org",
            "nowhere",
        ]
    )
    assert code == 2
    assert "there is no organisation 'nowhere'" in capsys.readouterr().err


def test_row_with_wrong_number_of_fields_is_rejected_by_line(havenstad) -> None:
    header = (DATA / "police-uk-sample.csv").read_text().splitlines()[0]
    good = ",2024-02,X,X,,,No Location,E01000001,A,Drugs,,"
    data = f"{header}\n,2024-01,City of London Police\n\n{good}\n"
    run = import_run_create(
        organisation=havenstad, actor=None, file_name="short.csv", data=None, format="police-uk"
    )
    run = import_run_execute(run=run, data=data.encode())
    assert (run.rows, run.imported, run.rejected) == (2, 1, 1)
    assert rejections(run)[2] == ("(row)", "has 3 fields, the header 12")


def test_tab_delimited_file(havenstad) -> None:
    text = "id\tdate\ttype\tlon\tlat\nT1\t2024-03-01\tdrugs\t4.30\t52.08\n"
    mapping = {
        "id": "id",
        "date": "date",
        "category": "type",
        "longitude": "lon",
        "latitude": "lat",
    }
    run = import_run_create(
        organisation=havenstad,
        actor=None,
        file_name="tab.tsv",
        data=None,
        format="csv",
        mapping=mapping,
    )
    run = import_run_execute(run=run, data=text.encode())
    assert (run.rows, run.imported) == (1, 1)


def test_empty_file_fails_and_keeps_nothing(havenstad) -> None:
    run = import_run_create(
        organisation=havenstad, actor=None, file_name="empty.csv", data=None, format="police-uk"
    )
    run = import_run_execute(run=run, data=b"")
    assert run.status == "failed"
    assert run.message == "empty.csv is empty."


def test_worker_without_the_uploaded_file_fails_the_run_and_says_why(havenstad) -> None:
    data = (DATA / "police-uk-sample.csv").read_bytes()
    with scope(organisation=havenstad):
        run = import_run_create(
            organisation=havenstad,
            actor=None,
            file_name="police-uk-sample.csv",
            data=data,
            format="police-uk",
        )
    # As on a worker machine that does not share the web server's media directory.
    run.source.storage.delete(run.source.name)
    with scope(organisation=havenstad):
        run = import_run_execute(run=run)
    assert run.status == "failed"
    assert "police-uk-sample.csv" in run.message
    assert "shared" in run.message
