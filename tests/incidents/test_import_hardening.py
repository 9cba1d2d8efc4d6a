"""Issue 12, imports: implausible dates, hostile mappings and files, lost workers."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_scopes import scope

from secu4all import cli
from secu4all.common.files import ImportFileError
from secu4all.incidents.models import AreaCount, ImportRun, Incident
from secu4all.incidents.services import (
    import_run_create,
    import_run_execute,
    parse_mapping,
)
from secu4all.neighbourhoods.importers import parse_areas
from secu4all.neighbourhoods.services import areas_import

DATA = Path(__file__).parent.parent / "data" / "incidents"
pytestmark = pytest.mark.django_db

POLICE_UK_HEADER = (DATA / "police-uk-sample.csv").read_text().splitlines()[0]
MAPPING = {"id": "id", "date": "date", "category": "type", "longitude": "lon", "latitude": "lat"}


def police_uk_row(month: str, crime_id: str = "", lon: str = "-0.1", lat: str = "51.5") -> str:
    return f"{crime_id},{month},Met,Met,{lon},{lat},On or near X,E01000001,A 001A,Burglary,,"


def execute(organisation, text: str | bytes, *, name="file.csv", format="csv", mapping=None):
    data = text.encode() if isinstance(text, str) else text
    run = import_run_create(
        organisation=organisation,
        actor=None,
        file_name=name,
        data=None,
        format=format,
        mapping=MAPPING if mapping is None and format in {"csv", "geojson"} else mapping,
    )
    return import_run_execute(run=run, data=data)


def rejections(run: ImportRun) -> dict[int, tuple[str, str]]:
    with scope(organisation=run.organisation):
        return {r.row: (r.field, r.reason) for r in run.rejections.all()}


def adds_up(run: ImportRun) -> bool:
    return run.imported + run.rejected + run.duplicates == run.rows


# Finding 12.3 (date part): implausible dates


def test_police_uk_months_outside_the_plausible_range_are_rejected_per_row(havenstad) -> None:
    """Finding 12.3: months 0001-01 and 9999-12 were accepted and took the overview down."""
    rows = [police_uk_row("2024-01", "a"), police_uk_row("0001-01", "b")]
    rows += [police_uk_row("9999-12", "c"), police_uk_row("2024-02", "d")]
    run = execute(havenstad, "\n".join([POLICE_UK_HEADER, *rows]), format="police-uk")
    assert run.status == "done"
    assert (run.rows, run.imported, run.rejected) == (4, 2, 2)
    latest = (timezone.localdate() + timedelta(days=31)).isoformat()[:7]
    field, reason = rejections(run)[3]
    assert field == "Month"
    assert "“0001-01” is outside the plausible range 1990-01-01 to " in reason
    field, reason = rejections(run)[4]
    assert field == "Month"
    assert "“9999-12”" in reason
    assert latest in reason
    with scope(organisation=havenstad):
        assert Incident.objects.filter(occurred_on__year__lt=1990).count() == 0


def test_generic_and_area_count_dates_are_checked_too(havenstad) -> None:
    """Finding 12.3: the generic CSV date and the Dutch period are held to the same range."""
    text = "id,date,type,lon,lat\n1,1899-12-31,burglary,,\n2,2999-01-01,burglary,,\n"
    text += "3,2024-05-01,burglary,,\n"
    run = execute(havenstad, text)
    assert (run.imported, run.rejected) == (1, 2)
    assert rejections(run)[2][0] == "date"
    assert "“1899-12-31” is outside the plausible range" in rejections(run)[2][1]
    assert "“2999-01-01” is outside the plausible range" in rejections(run)[3][1]

    nl = "SoortMisdrijf;WijkenEnBuurten;Perioden;GeregistreerdeMisdrijven_1\n"
    nl += "1.1.1 ;BU05180000;1890MM01;3\n1.1.1 ;BU05180000;2999JJ00;4\n"
    nl += "1.1.1 ;BU05180000;2024MM01;5\n"
    run = execute(havenstad, nl, format="nl-police")
    assert (run.imported, run.rejected) == (1, 2)
    field, reason = rejections(run)[2]
    assert field == "Perioden"
    assert "“1890MM01” is outside the plausible range" in reason
    with scope(organisation=havenstad):
        assert list(AreaCount.objects.values_list("period", flat=True)) == ["2024MM01"]


def test_the_plausible_range_is_a_setting(havenstad, settings) -> None:
    """Finding 12.3: the earliest date and the months ahead are configurable."""
    settings.SECU4ALL_IMPORT_EARLIEST_DATE = date(2020, 1, 1)
    settings.SECU4ALL_IMPORT_MONTHS_AHEAD = 0
    tomorrow = timezone.localdate() + timedelta(days=1)
    text = f"id,date,type,lon,lat\n1,2019-12-31,burglary,,\n2,{tomorrow},burglary,,\n"
    text += "3,2020-01-01,burglary,,\n"
    run = execute(havenstad, text)
    assert (run.imported, run.rejected) == (1, 2)
    assert "plausible range 2020-01-01 to " in rejections(run)[2][1]


# Finding 12.4: YAML mappings


def alias_bomb(levels: int, width: int = 9) -> str:
    lines = ["a0: &a0 [x,x,x,x,x,x,x,x,x]"]
    for level in range(1, levels):
        refs = ",".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb_is_refused_before_it_expands() -> None:
    """Finding 12.4: a 324-byte alias bomb took 4.75 GB; aliases are refused outright."""
    # First a small one, which the plain safe loader expands without trouble.
    with pytest.raises(ImportFileError, match="anchor or alias"):
        parse_mapping("date: &d datum\ncategory: *d\n", name="m.yaml")
    bomb = alias_bomb(9)
    assert len(bomb) < 420  # 9**9 = 387 million strings once expanded
    started = time.perf_counter()
    with pytest.raises(ImportFileError, match=r"anchor or alias .* line 1, column 5"):
        parse_mapping(bomb, name="bomb.yaml")
    assert time.perf_counter() - started < 1


def test_yaml_and_json_mappings_are_bounded_in_depth_and_size() -> None:
    """Finding 12.4: nesting and size are limited, with a message naming the file."""
    deep = "date: " + "[" * 50 + "]" * 50 + "\n"
    with pytest.raises(ImportFileError, match=r"deep\.yaml nests deeper than 20 levels"):
        parse_mapping(deep, name="deep.yaml")
    large = "date: datum\ncategory: soort\n" + "# padding\n" * 30000
    with pytest.raises(ImportFileError, match="a YAML file may have at most 262,144 bytes"):
        parse_mapping(large, name="large.yaml")
    with pytest.raises(ImportFileError, match=r"deep\.json cannot be read"):
        parse_mapping("[" * 100000 + "]" * 100000, name="deep.json")
    with pytest.raises(ImportFileError, match="larger than 262,144 bytes"):
        parse_mapping(json.dumps({"date": "x" * 300000}), name="large.json")


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            {"date": ["datum"], "category": "soort"},
            "mapping field 'date': expected a column name, got a list",
        ),
        (
            {"date": "datum", "category": "soort", "longitude": {"x": 1}},
            "mapping field 'longitude': expected a column name, got an object",
        ),
        (
            {"date": "datum", "category": "soort", "x": "x", "y": "y", "epsg": "28992"},
            "mapping field 'epsg': expected an EPSG code (a whole number such as 28992), "
            "got the text “28992”",
        ),
        (
            {"date": "datum", "category": "soort", "x": "x", "y": "y", "epsg": 1},
            "mapping field 'epsg': 1 is not a known EPSG code",
        ),
        (
            {"date": "datum", "category": "soort", "date_format": 5},
            "mapping field 'date_format': expected a date format",
        ),
        (
            {"date": "datum", "category": "soort", "categories": ["burglary"]},
            "mapping field 'categories': expected an object from source category to category",
        ),
        ({"date": "datum", "category": "soort", 7: "x"}, "unknown key(s) 7"),
    ],
)
def test_every_mapping_field_is_type_checked_by_name(havenstad, mapping, message) -> None:
    """Finding 12.4: a mapping field of the wrong type fails the import naming the field."""
    run = execute(havenstad, "datum,soort,x,y\n2024-01-01,a,1,2\n", mapping=mapping)
    assert run.status == "failed"
    assert message in run.message


def test_assess_refuses_an_alias_bomb(tmp_path, capsys) -> None:
    """Finding 12.4: `secu4all assess FILE.yaml` reads user YAML with the same loader."""
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb(5))
    assert cli.main(["assess", str(path)]) == 2
    assert "bomb.yaml uses a YAML anchor or alias" in capsys.readouterr().err


def test_import_page_refuses_a_hostile_mapping_upload_with_a_form_error(
    client, havenstad, make_member
) -> None:
    """Finding 12.4: the alias bomb was parsed in the web process; a mapping file is read
    only up to its byte limit and refused on the form, with no run queued."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(make_member(havenstad, "analyst"))
    url = f"/o/{havenstad.slug}/incidents/imports/"
    for name, content, message in [
        ("bomb.yaml", alias_bomb(5), "anchor or alias"),
        ("huge.yaml", "date: d\ncategory: c\n" + "#" * 400_000, "262,144 bytes"),
        ("list.yaml", "- date\n- category\n", "must hold an object of column names"),
    ]:
        response = client.post(
            url,
            {
                "file": SimpleUploadedFile("x.csv", b"d,c\n2024-01-01,x\n"),
                "format": "csv",
                "mapping": SimpleUploadedFile(name, content.encode()),
            },
        )
        assert response.status_code == 200, name
        assert message in response.content.decode(), name
    assert not ImportRun.objects.with_scope(organisation=havenstad).exists()


# Finding 12.10: an unbalanced quote swallowing rows


def test_unbalanced_quote_costs_one_line_and_names_the_lines_it_took(havenstad) -> None:
    """Finding 12.10: a stray quote folded 11 rows into one rejection; now only its own line
    is rejected, naming the lines it ran over, and the swallowed rows are imported."""
    good = [f"{n},2024-03-{n:02d},burglary,4.30,52.08" for n in range(3, 14)]
    lines = ["id,date,type,lon,lat", "1,2024-03-01,burglary,4.30,52.08"]
    lines += ['2,"2024-03-02,burglary,4.30,52.08', *good, '14,2024-03-14,"burglary,4.30,52.08']
    run = execute(havenstad, "\n".join(lines) + "\n")
    assert run.status == "done"
    assert adds_up(run)
    field, reason = rejections(run)[3]
    assert field == "(row)"
    assert "runs on over lines 3–15" in reason
    assert "lines 4–15 are read again one by one" in reason
    with scope(organisation=havenstad):
        imported = set(Incident.objects.values_list("source_id", flat=True))
    assert imported >= {"1", *(str(n) for n in range(3, 14))}
    assert run.rows == 14


def test_quoted_text_with_line_breaks_is_still_one_row(havenstad) -> None:
    """Finding 12.10: a genuine multi-line field is no unbalanced quote."""
    text = 'id,date,type,lon,lat\n1,2024-03-01,"burglary\nof a shed",4.30,52.08\n'
    text += "2,2024-03-02,burglary,4.30,52.08\n"
    run = execute(havenstad, text)
    assert (run.rows, run.imported, run.rejected) == (2, 2, 0)


def test_row_with_too_many_fields_over_several_lines_names_them(havenstad) -> None:
    """Finding 12.10: a rejection of a record that spans lines names the line range."""
    text = 'id,date,type,lon,lat\n1,2024-03-01,"a\nb",4.30,52.08,extra\n'
    run = execute(havenstad, text)
    assert "lines 2–3" in rejections(run)[2][1]


# Finding 12.13 (import part): hostile files end in a clear message, never an exception


def test_csv_field_over_the_csv_limit_is_one_clear_rejection(havenstad) -> None:
    """Finding 12.13: a field over 131,072 characters raised csv.Error out of the import."""
    text = "id,date,type,lon,lat\n1,2024-03-01,burglary,4.30,52.08\n"
    text += f"2,2024-03-02,{'x' * 200000},4.30,52.08\n3,2024-03-03,burglary,4.30,52.08\n"
    run = execute(havenstad, text)
    assert run.status == "done"
    assert (run.rows, run.imported, run.rejected) == (3, 2, 1)
    assert rejections(run)[3] == (
        "(row)",
        "line 3 cannot be read: a field is longer than 131,072 characters",
    )


def geojson(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def test_geojson_geometry_as_text_and_properties_as_list_are_rejected_by_feature(
    havenstad,
) -> None:
    """Finding 12.13: a geometry written as a string or properties as a list raised an
    AttributeError out of the import."""
    good = {
        "type": "Feature",
        "properties": {"id": "g", "date": "2024-01-01", "type": "burglary"},
        "geometry": {"type": "Point", "coordinates": [4.3, 52.08]},
    }
    as_text = {**good, "geometry": "POINT (4.3 52.08)"}
    as_list = {**good, "properties": ["2024-01-01", "burglary"]}
    coordinates_object = {**good, "geometry": {"type": "Point", "coordinates": {"a": 1}}}
    nested_value = {**good, "properties": {**good["properties"], "type": {"a": [1]}}}
    run = execute(
        havenstad,
        geojson(good, as_text, as_list, coordinates_object, "feature", nested_value),
        name="f.geojson",
        format="geojson",
    )
    assert run.status == "done"
    assert (run.rows, run.imported, run.rejected) == (6, 1, 5)
    rejected = rejections(run)
    assert rejected[2] == ("geometry", "is a str, not a GeoJSON geometry object")
    assert rejected[3] == ("properties", "is a list, not an object of names and values")
    assert rejected[4] == ("geometry", "a Point needs two coordinates")
    assert rejected[5] == ("(feature)", "is a str, not a GeoJSON Feature")
    assert rejected[6] == ("type", "is an object, not a single value")


def test_deeply_nested_geojson_fails_with_a_message(havenstad) -> None:
    """Finding 12.13: deep nesting raised RecursionError out of the import."""
    text = '{"type": "FeatureCollection", "features": [' + "[" * 100000 + "]" * 100000 + "]}"
    run = execute(havenstad, text, name="deep.geojson", format="geojson")
    assert run.status == "failed"
    assert "deep.geojson nests its values too deeply" in run.message


def test_shift_jis_is_refused_not_stored_as_mojibake(havenstad) -> None:
    """Finding 12.13: Shift-JIS was decoded as Windows-1252 and stored as mojibake."""
    text = "id,date,type,lon,lat\n" + "".join(
        f"{n},2024-03-01,住居侵入窃盗,139.69,35.68\n" for n in range(20)
    )
    run = execute(havenstad, text.encode("shift_jis"), name="tokyo.csv")
    assert run.status == "failed"
    assert "tokyo.csv is neither UTF-8 nor Western European" in run.message
    assert "Shift-JIS" in run.message
    with scope(organisation=havenstad):
        assert Incident.objects.count() == 0


@pytest.mark.parametrize(
    "category",
    ["Inbraak café (Curaçao-straat) één", "éénmalig", "“Inbraak” – woning", "Größe"],
)
def test_windows_1252_text_is_still_read(havenstad, category) -> None:
    """Finding 12.13: the Shift-JIS guard leaves Western European exports alone."""
    text = f"id,date,type,lon,lat\n1,2024-03-01,{category},4.3,52.08\n"
    run = execute(havenstad, text.encode("cp1252"))
    assert run.status == "done"
    with scope(organisation=havenstad):
        assert Incident.objects.get().source_category == category


def test_bytes_no_encoding_reads_are_refused_naming_the_line(havenstad) -> None:
    """Finding 12.13: a byte neither UTF-8 nor Windows-1252 has became U+FFFD silently."""
    data = b"id,date,type,lon,lat\n1,2024-03-01,burglary,4.3,52.08\n2,2024-03-01,x\x81,4.3,52.08\n"
    run = execute(havenstad, data)
    assert run.status == "failed"
    assert "line 3 holds a byte neither can read" in run.message


def test_duplicated_header_column_is_refused_by_name(havenstad) -> None:
    """Finding 12.13: with two "date" columns, one was silently ignored."""
    run = execute(havenstad, "id,date,type,date,lon,lat\n1,2024-03-01,burglary,2023-01-01,,\n")
    assert run.status == "failed"
    assert "has the column “date” twice (columns 2 and 4)" in run.message


def test_nul_byte_is_refused_naming_its_line(havenstad) -> None:
    """Finding 12.13: a NUL byte after the first 64 KB was imported."""
    rows = [f"{n},2024-03-01,burglary,4.30,52.08" for n in range(3000)]
    rows[2500] = "2500,2024-03-01,burg\x00lary,4.30,52.08"
    run = execute(havenstad, "id,date,type,lon,lat\n" + "\n".join(rows) + "\n")
    assert run.status == "failed"
    assert "holds a NUL byte" in run.message
    assert "at line 2502" in run.message


def test_area_counts_beyond_the_database_range_are_rejected_per_row(havenstad) -> None:
    """Finding 12.13: a count beyond the integer column failed the whole file (or raised
    OverflowError on SQLite), a superscript digit raised ValueError."""
    nl = "SoortMisdrijf;WijkenEnBuurten;Perioden;GeregistreerdeMisdrijven_1\n"
    nl += "1.1.1 ;BU05180000;2024MM01;99999999999999999999\n1.1.1 ;BU05180000;2024MM02;²\n"
    nl += "1.1.1 ;BU05180000;2024MM03;5\n"
    run = execute(havenstad, nl, format="nl-police")
    assert run.status == "done"
    assert (run.imported, run.rejected) == (1, 2)
    assert rejections(run)[2] == (
        "GeregistreerdeMisdrijven_1",
        "99999999999999999999 is more than any area records",
    )
    assert rejections(run)[3][0] == "GeregistreerdeMisdrijven_1"


def test_area_files_get_the_same_checks(havenstad) -> None:
    """Finding 12.13: the neighbourhood import raised on the same hostile input."""
    square = [[[4.3, 52.0], [4.31, 52.0], [4.31, 52.01], [4.3, 52.0]]]
    good = {
        "type": "Feature",
        "properties": {"code": "BU1", "name": "Noord", "population": 10},
        "geometry": {"type": "Polygon", "coordinates": square},
    }
    parsed = parse_areas(
        geojson(
            good,
            {**good, "properties": ["BU2"]},
            {**good, "properties": {"code": "BU3"}, "geometry": "POLYGON ((4 52, 5 52))"},
            {**good, "properties": {"code": "BU4", "population": 1e300}},
            {**good, "properties": {"code": ["BU5"]}},
            7,
        ).encode(),
        name="buurten.geojson",
    )
    assert [a.code for a in parsed.areas] == ["BU1"]
    reasons = {r.row: (r.field, r.reason) for r in parsed.rejections}
    assert reasons[2] == ("properties", "is a list, not an object of names and values")
    assert reasons[3] == ("geometry", "is a str, not a GeoJSON geometry object")
    assert reasons[4][0] == "population"
    assert reasons[5] == ("code", "is a list, not a single value")
    assert reasons[6] == ("(feature)", "is a int, not a GeoJSON Feature")
    with pytest.raises(ImportFileError, match="column “code” twice"):
        parse_areas(b"code;name;code\nBU1;A;BU2\n", name="b.csv")
    with pytest.raises(ImportFileError, match="nests its values too deeply"):
        parse_areas(b'{"features": ' + b"[" * 100000 + b"]" * 100000 + b"}", name="d.json")
    parsed = parse_areas(f"code;name\nBU1;{'x' * 200000}\nBU2;B\n".encode(), name="c.csv")
    assert [a.code for a in parsed.areas] == ["BU2"]
    assert "longer than 131,072 characters" in parsed.rejections[0].reason


def test_area_import_page_answers_hostile_files_with_a_form_error(
    client, havenstad, make_member
) -> None:
    """Finding 12.13: the neighbourhood page gave a 500 on nested or damaged files."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(make_member(havenstad, "analyst"))
    url = f"/o/{havenstad.slug}/neighbourhoods/"
    for name, content in [
        ("deep.geojson", b'{"features": ' + b"[" * 100000 + b"]" * 100000 + b"}"),
        ("nul.csv", b"code;name\n" + b"BU1;A\n" * 20000 + b"BU2;\x00\n"),
        ("sjis.csv", b"code;name\n" + "BU1;住居侵入窃盗\n".encode("shift_jis") * 20),
    ]:
        response = client.post(url, {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200, name
        assert name in response.content.decode(), name


def test_areas_import_keeps_the_rows_it_can(havenstad) -> None:
    """Finding 12.13: one hostile feature does not cost the file."""
    summary = areas_import(
        organisation=havenstad,
        actor=None,
        data=b"code;name;population\nBU1;Noord;12\nBU2;Zuid;1e400\n",
        file_name="b.csv",
    )
    assert summary["created"] == 1
    assert summary["rejected"][0]["field"] == "population"


# Finding 12.5: imports end, and resume after a lost worker


def test_a_parser_fault_fails_the_run_with_its_message(havenstad, monkeypatch) -> None:
    """Finding 12.5: any parser exception left the run "running" for ever."""
    from secu4all.incidents.importers import police_uk

    def broken(block, **kwargs):
        raise KeyError("Crime type")

    monkeypatch.setattr(police_uk, "parse_block", broken)
    run = execute(havenstad, POLICE_UK_HEADER + "\n" + police_uk_row("2024-01"), format="police-uk")
    run.refresh_from_db()
    assert run.status == "failed"
    assert "could not be read: KeyError: 'Crime type'" in run.message
    assert run.finished_at is not None


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: no handler in the import catches it."""


def test_a_run_whose_worker_died_is_recovered_and_resumes_without_duplicates(
    havenstad, monkeypatch, settings
) -> None:
    """Finding 12.5: a run left "running" by a dead worker is found stale, queued again and
    finished from its last committed batch: every row accounted for, none twice."""
    from secu4all.incidents import services, tasks

    settings.SECU4ALL_IMPORT_BATCH_ROWS = 3
    rows = [police_uk_row(f"2024-{1 + n % 12:02d}", f"id{n}") for n in range(20)]
    rows[4] = police_uk_row("0001-01", "bad")
    rows[9] = rows[8]  # two identical rows are two incidents
    text = "\n".join([POLICE_UK_HEADER, *rows])
    original, calls = services.insert_rows, {"n": 0}

    def dies_at_the_third_batch(model, fields, values):
        calls["n"] += 1
        if calls["n"] == 3:
            raise WorkerKilled
        return original(model, fields, values)

    monkeypatch.setattr(services, "insert_rows", dies_at_the_third_batch)
    run = import_run_create(
        organisation=havenstad,
        actor=None,
        file_name="big.csv",
        data=text.encode(),
        format="police-uk",
    )
    with pytest.raises(WorkerKilled):
        import_run_execute(run=run)
    run.refresh_from_db()
    assert (run.status, run.processed) == ("running", 1 + 6)
    assert tasks.import_runs_recover() == []  # not stale yet

    monkeypatch.setattr(services, "insert_rows", original)
    later = timezone.now() + timedelta(seconds=settings.SECU4ALL_IMPORT_STALE_SECONDS + 1)
    recovered = tasks.import_runs_recover(now=later)  # the immediate backend runs it
    assert [r.pk for r in recovered] == [run.pk]
    run.refresh_from_db()
    assert run.status == "done"
    assert (run.rows, run.imported, run.rejected, run.duplicates) == (20, 19, 1, 0)
    assert run.attempts == 2
    with scope(organisation=havenstad):
        assert Incident.objects.filter(import_run=run).count() == 19
        assert run.rejections.count() == 1


def test_a_run_that_keeps_losing_its_worker_is_failed_and_says_so(havenstad, settings) -> None:
    """Finding 12.5: after the allowed attempts a stalled run ends failed with a message."""
    from secu4all.incidents.tasks import import_runs_recover

    run = import_run_create(
        organisation=havenstad, actor=None, file_name="x.csv", data=b"x", format="police-uk"
    )
    ImportRun.objects.with_scope(organisation=havenstad).filter(pk=run.pk).update(
        status="running", attempts=settings.SECU4ALL_IMPORT_MAX_ATTEMPTS, processed=5, rows=10
    )
    later = timezone.now() + timedelta(seconds=settings.SECU4ALL_IMPORT_STALE_SECONDS + 1)
    import_runs_recover(now=later)
    run.refresh_from_db()
    assert run.status == "failed"
    assert "stopped 3 times (last at row 5 of 10)" in run.message


def test_a_run_stuck_from_before_heartbeats_is_recovered(havenstad, settings) -> None:
    """Finding 12.5: runs left "running" by a dead worker before this fix (no heartbeat) are
    taken up too, counted from when they were created."""
    from secu4all.incidents.tasks import import_runs_recover

    data = "\n".join([POLICE_UK_HEADER, police_uk_row("2024-01"), police_uk_row("2024-02")])
    run = import_run_create(
        organisation=havenstad,
        actor=None,
        file_name="old.csv",
        data=data.encode(),
        format="police-uk",
    )
    long_ago = timezone.now() - timedelta(days=30)
    ImportRun.objects.with_scope(organisation=havenstad).filter(pk=run.pk).update(
        status="running", heartbeat_at=None, created_at=long_ago
    )
    assert [r.pk for r in import_runs_recover()] == [run.pk]
    run.refresh_from_db()
    assert (run.status, run.imported) == ("done", 2)


def test_import_page_shows_a_stalled_run(client, havenstad, make_member, settings) -> None:
    """Finding 12.5: a run without a sign of life is marked as such on its pages."""
    client.force_login(make_member(havenstad, "analyst"))
    run = import_run_create(
        organisation=havenstad, actor=None, file_name="x.csv", data=b"x", format="police-uk"
    )
    old = timezone.now() - timedelta(seconds=settings.SECU4ALL_IMPORT_STALE_SECONDS + 60)
    ImportRun.objects.with_scope(organisation=havenstad).filter(pk=run.pk).update(
        status="running", heartbeat_at=old
    )
    url = f"/o/{havenstad.slug}/incidents/imports/{run.pk}/"
    assert "No sign of life from the worker" in client.get(url).content.decode()
    assert client.get(url + "?format=json").json()["stalled"] is True
    listing = client.get(f"/o/{havenstad.slug}/incidents/imports/").content.decode()
    assert "stalled" in listing


def test_a_worker_that_was_replaced_stops_writing(havenstad, settings) -> None:
    """Finding 12.5: a worker judged stalled and replaced must not write on beside the new
    one; its next batch finds the run is no longer its own, is rolled back, and it stops."""
    settings.SECU4ALL_IMPORT_BATCH_ROWS = 2
    rows = [police_uk_row("2024-01", f"id{n}") for n in range(6)]
    run = import_run_create(
        organisation=havenstad, actor=None, file_name="slow.csv", data=None, format="police-uk"
    )

    def replaced_meanwhile(done: int, total: int) -> None:
        # Another worker's recovery queued the run again while this one was slow.
        ImportRun.objects.with_scope(organisation=havenstad).filter(pk=run.pk).update(
            status="queued"
        )

    data = "\n".join([POLICE_UK_HEADER, *rows]).encode()
    run = import_run_execute(run=run, data=data, progress=replaced_meanwhile)
    assert run.status == "queued"
    with scope(organisation=havenstad):
        # The first batch stays, for the next worker to count; the second was rolled back.
        assert Incident.objects.filter(import_run=run).count() == 2


def test_a_slow_import_of_this_very_process_is_not_taken_for_lost(
    havenstad, settings, monkeypatch
) -> None:
    """Finding 12.5: a worker's own watch skips the import it is running (a long parse is no
    lost worker); a run stalled elsewhere is still taken up."""
    from secu4all.incidents import services, tasks

    run = import_run_create(
        organisation=havenstad, actor=None, file_name="x.csv", data=b"x", format="police-uk"
    )
    ImportRun.objects.with_scope(organisation=havenstad).filter(pk=run.pk).update(status="running")
    later = timezone.now() + timedelta(seconds=settings.SECU4ALL_IMPORT_STALE_SECONDS + 1)
    monkeypatch.setattr(services, "_running_here", {run.pk})
    assert tasks.import_runs_recover(now=later) == []
    monkeypatch.setattr(services, "_running_here", set())
    assert [r.pk for r in tasks.import_runs_recover(now=later)] == [run.pk]


@pytest.mark.parametrize(
    ("today", "latest"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 12, 15), date(2027, 1, 15)),
    ],
)
def test_the_plausible_range_ends_a_calendar_month_ahead(today, latest) -> None:
    """Finding 12.3: "a month ahead" holds at month ends and over the new year."""
    from secu4all.incidents.importers.base import DateRange

    assert DateRange.plausible(today=today) == DateRange(date(1990, 1, 1), latest)


def test_a_replaced_worker_that_then_fails_leaves_the_run_to_its_successor(
    havenstad, settings, monkeypatch
) -> None:
    """Finding 12.5: an error in a worker that was already replaced must not fail the run
    and delete what the worker now owning it relies on."""
    from secu4all.incidents import services

    settings.SECU4ALL_IMPORT_BATCH_ROWS = 2
    rows = [police_uk_row("2024-01", f"id{n}") for n in range(6)]
    run = import_run_create(
        organisation=havenstad, actor=None, file_name="slow.csv", data=None, format="police-uk"
    )
    original, calls = services.insert_rows, {"n": 0}

    def fails_the_second_time(model, fields, values):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("connection lost")
        return original(model, fields, values)

    def replaced_meanwhile(done: int, total: int) -> None:
        ImportRun.objects.with_scope(organisation=havenstad).filter(pk=run.pk).update(
            status="queued"
        )

    monkeypatch.setattr(services, "insert_rows", fails_the_second_time)
    data = "\n".join([POLICE_UK_HEADER, *rows]).encode()
    with pytest.raises(RuntimeError):
        import_run_execute(run=run, data=data, progress=replaced_meanwhile)
    run.refresh_from_db()
    assert run.status == "queued"
    with scope(organisation=havenstad):
        assert Incident.objects.filter(import_run=run).count() == 2
