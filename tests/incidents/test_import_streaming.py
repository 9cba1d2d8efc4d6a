"""Issue 16: police.uk files read in blocks and checked column by column, nothing lost."""

from __future__ import annotations

import hashlib

import pytest
from django_scopes import scope

from secu4all.incidents.models import ImportRun, Incident
from secu4all.incidents.services import import_run_create, import_run_execute

pytestmark = pytest.mark.django_db

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)


def row(n: int, month: str = "2024-01", lon: str = "", lat: str = "") -> str:
    lon = lon or f"{-0.1 + (n % 50) * 0.001:.4f}"
    lat = lat or f"{51.5 + (n % 40) * 0.001:.4f}"
    kind = "Burglary" if n % 3 else "Drugs"
    return f"id{n},{month},Met,Met,{lon},{lat},On or near X,E01000001,A 001A,{kind},,"


def execute(organisation, data: bytes) -> ImportRun:
    run = import_run_create(
        organisation=organisation, actor=None, file_name="big.csv", data=None, format="police-uk"
    )
    return import_run_execute(run=run, data=data)


def rejections(run: ImportRun) -> dict[int, tuple[str, str]]:
    with scope(organisation=run.organisation):
        return {r.row: (r.field, r.reason) for r in run.rejections.all()}


def test_a_malformed_row_in_the_middle_of_a_large_batch_is_reported_by_its_line(
    havenstad,
) -> None:
    lines = [HEADER] + [row(n) for n in range(6000)]
    # Line numbers count the header as line 1: lines[k] is on line k + 1.
    lines[2500] = "id2499,2024-01,Met,Met,-0.1,51.5,On or near X"  # too few fields
    lines[3000] = row(2999, month="2024-1x")
    lines[3500] = row(3499, lon="abc")
    lines[4000] = "id3999,2024-01,Met,Met,,,No location,E01000001,A 001A,Burglary,,"
    lines[4500] = ""  # a blank line is no row
    run = execute(havenstad, ("\n".join(lines) + "\n").encode())
    assert run.status == "done", run.message
    assert run.rows == 5999
    assert (run.imported, run.rejected, run.duplicates, run.no_location) == (5996, 3, 0, 1)
    assert rejections(run) == {
        2501: ("(row)", "has 7 fields, the header 12"),
        3001: ("Month", "“2024-1x” is not a month written as YYYY-MM"),
        3501: ("Longitude", "“abc” is not a number"),
    }
    with scope(organisation=havenstad):
        assert Incident.objects.get(source_row=4001).lon is None
        # A row's line survives the blank line before it.
        assert Incident.objects.get(source_row=4502).source_id == "id4500"


def test_a_later_block_in_another_encoding_fails_naming_its_line(havenstad, settings) -> None:
    settings.SECU4ALL_IMPORT_BLOCK_BYTES = 2000
    lines = [HEADER] + [row(n) for n in range(200)]
    data = ("\n".join(lines) + "\n").encode()
    data = data[::-1].replace(b"X raen ro nO", b"\xe9 raen ro nO", 1)[::-1]  # the last row
    run = execute(havenstad, data)
    assert run.status == "failed"
    assert "big.csv starts as UTF-8 text, but line 201 holds a byte that is not UTF-8" in (
        run.message
    )
    with scope(organisation=havenstad):
        assert Incident.objects.count() == 0


def test_a_file_with_the_wrong_delimiter_says_which_columns_it_has(havenstad) -> None:
    header = HEADER.replace(",", ":")
    run = execute(havenstad, f"{header}\n{row(1).replace(',', ':')}\n".encode())
    assert run.status == "failed"
    assert "big.csv lacks the required column(s) Month, Longitude, Latitude, Crime type" in (
        run.message
    )


def test_small_blocks_and_batches_give_what_one_batch_gives(havenstad, riverton, settings) -> None:
    lines = [HEADER] + [row(n % 700) for n in range(1000)]  # each row up to twice
    lines[10] = row(9, month="1900-01")
    lines[20] = 'q1,2024-02,Met,Met,-0.1,51.5,"On or near X, Y",E01000001,A 001A,Burglary,,'
    lines[30] = 'q2,2024-02,Met,Met,-0.1,51.5,"broken,E01000001,A 001A,Burglary,,'
    data = ("\r\n".join(lines) + "\r\n").encode()

    def outcome(organisation) -> tuple:
        run = execute(organisation, data)
        with scope(organisation=organisation):
            incidents = set(
                Incident.objects.values_list(
                    "source_row", "fingerprint", "occurred_on", "category", "lon", "lat", "x"
                )
            )
        counts = (run.status, run.rows, run.imported, run.rejected, run.duplicates)
        return counts, rejections(run), incidents

    whole = outcome(havenstad)
    settings.SECU4ALL_IMPORT_BLOCK_BYTES = 500
    settings.SECU4ALL_IMPORT_BATCH_ROWS = 7
    assert outcome(riverton) == whole
    counts, rejected, incidents = whole
    assert counts == ("done", 1000, 998, 2, 0)
    assert set(rejected) == {11, 31}
    assert len({fingerprint for _row, fingerprint, *_rest in incidents}) == 998


def test_fingerprints_are_those_of_earlier_imports(havenstad) -> None:
    """A file imported before the columnar reader adds nothing when imported again."""
    text = row(1)
    run = execute(havenstad, f"{HEADER}\n{text}\n{text}\n".encode())
    content = "\x1f".join(text.split(","))
    expected = [
        hashlib.sha256(f"police-uk\x1e{content}\x1e{n}".encode()).hexdigest()[:40] for n in (1, 2)
    ]
    with scope(organisation=havenstad):
        stored = list(Incident.objects.order_by("source_row").values_list("fingerprint", flat=True))
    assert run.imported == 2
    assert stored == expected
