"""CSV import of population margins and of responses: clear messages, nothing lost."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope

from secu4all.audit.models import AuditEvent
from secu4all.perception.imports import margins_import, responses_import
from secu4all.perception.models import PopulationMargin, RejectedResponseRow, Response
from tests.support.perception import margin_rows, margins_csv

pytestmark = pytest.mark.django_db


def test_complete_margins_replace_the_old_ones(town) -> None:
    organisation = town["organisation"]
    rows = [(c, a, s, n + 1) for c, a, s, n in margin_rows()]
    with scope(organisation=organisation):
        assert margins_import(organisation=organisation, actor=None, data=margins_csv(rows)) == 24
        assert PopulationMargin.objects.filter(wave=None).count() == 24
        assert (
            PopulationMargin.objects.get(area_code="BU01", age_band="65+", sex="male").population
            == 401
        )


def test_a_missing_stratum_and_a_wrong_total_refuse_the_file_and_keep_the_old(town) -> None:
    organisation = town["organisation"]
    # The full table with its totals, less one cell: BU02 misses 600 of its stated 4800.
    lines = margins_csv(margin_rows()).decode().splitlines()
    data = "\n".join(line for line in lines if not line.startswith("BU02,45-64,female")).encode()
    with scope(organisation=organisation), pytest.raises(ValidationError) as refused:
        margins_import(organisation=organisation, actor=None, data=data)
    messages = refused.value.messages
    assert "Stratum missing: BU02 × 45-64 × female has no row." in messages
    assert any("BU02: the cells add up to" in m and "the total column says" in m for m in messages)
    with scope(organisation=organisation):
        assert PopulationMargin.objects.filter(wave=None).count() == 24
        assert (
            PopulationMargin.objects.get(area_code="BU01", age_band="65+", sex="male").population
            == 400
        )


def test_bad_cells_are_named_by_row_and_field(town) -> None:
    organisation = town["organisation"]
    rows = margin_rows()
    data = margins_csv(rows, total=False).decode().splitlines()
    data[1] = "BU01,15-24,female,many"
    data[2] = "BU99,15-24,male,10"
    data[3] = "BU01,0-14,female,10"
    data.append("BU03,65+,male,200")  # twice
    with scope(organisation=organisation), pytest.raises(ValidationError) as refused:
        margins_import(organisation=organisation, actor=None, data="\n".join(data).encode())
    text = " | ".join(refused.value.messages)
    assert "Row 2, population: many is not a whole number" in text
    assert "Row 3, area_code: BU99 is not an area of the organisation" in text
    assert "Row 4, age_band: 0-14 is not one of" in text
    assert "Row 26: BU03 × 65+ × male is given twice (first in row 25)" in text


def test_margins_larger_than_the_area_are_refused(town) -> None:
    organisation = town["organisation"]
    rows = [(c, a, s, n * 2) for c, a, s, n in margin_rows()]  # 160 % of the inhabitants
    with scope(organisation=organisation), pytest.raises(ValidationError) as refused:
        margins_import(organisation=organisation, actor=None, data=margins_csv(rows, total=False))
    assert any("more than the 4000 inhabitants" in m for m in refused.value.messages)


def test_response_rows_with_errors_are_kept_and_the_rest_imported(town) -> None:
    wave = town["wave"]
    data = (
        b"language,age_band,sex,area_code,vm_feels_unsafe,vm_report_mark\n"
        b"nl,25-44,female,BU01,2,7\n"
        b"en,65+,male,BU02,9,7\n"
        b"xx,65+,male,BU02,1,11\n"
        b"de,,,,,\n"
    )
    with scope(organisation=wave.organisation):
        result = responses_import(wave=wave, actor=None, data=data, file_name="paper.csv")
        # Finding 12.19: a row without a single answer is no complete response either.
        assert (result.rows, result.imported) == (4, 1)
        rejected = list(RejectedResponseRow.objects.filter(wave=wave).order_by("row", "field"))
        assert [(r.row, r.field) for r in rejected] == [
            (3, "vm_feels_unsafe"),
            (4, "language"),
            (4, "vm_report_mark"),
            (5, "answers"),
        ]
        assert "How often do you feel unsafe, in general?" in rejected[0].reason
        assert "vm_feels_unsafe=9" in rejected[0].raw
        assert Response.objects.filter(wave=wave, imported=True).count() == 1
        assert AuditEvent.objects.filter(detail__import="responses").exists()


def test_unknown_columns_refuse_the_file(town) -> None:
    wave = town["wave"]
    with scope(organisation=wave.organisation), pytest.raises(ValidationError) as refused:
        responses_import(
            wave=wave, actor=None, data=b"language,favourite_colour\nnl,red\n", file_name="x.csv"
        )
    assert "favourite_colour" in refused.value.messages[0]


def test_margin_upload_page_reports_the_problems(client, town, make_member) -> None:
    client.force_login(make_member(town["organisation"], "security-adviser"))
    rows = margin_rows()[:-1]
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("margins.csv", margins_csv(rows), content_type="text/csv")
    page = client.post(
        reverse("perception:margins_import", args=["havenstad"]), {"file": upload}, follow=True
    )
    html = page.content.decode()
    assert "The margins were not loaded" in html
    assert "Stratum missing: BU03 × 65+ × male has no row." in html
