"""Crime data through HTTP before any is there: who may see and import it, and uploads that
run in the task queue or are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from secu4all.incidents.models import ImportRun

DATA = Path(__file__).parent.parent / "data" / "incidents"
pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(havenstad, make_member):
    return make_member(havenstad, "analyst")


def url(name: str, org, *args) -> str:
    return reverse(f"incidents:{name}", args=[org.slug, *args])


def test_upload_runs_in_the_task_queue_and_reports_rows(client, analyst, havenstad) -> None:
    client.force_login(analyst)
    upload = SimpleUploadedFile("sample.csv", (DATA / "police-uk-sample.csv").read_bytes())
    response = client.post(url("imports", havenstad), {"file": upload, "format": "police-uk"})
    run = ImportRun.objects.with_scope(organisation=havenstad).get()
    assert response["Location"] == url("import_detail", havenstad, run.pk)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert run.status == "done"
    assert "2024-13" in html
    progress = client.get(response["Location"], {"format": "json"}).json()
    assert progress["percent"] == 100
    assert progress["imported"] + progress["rejected"] + progress["duplicates"] == progress["rows"]
    rejected = client.get(url("rejected_export", havenstad, run.pk)).content.decode()
    assert len(rejected.splitlines()) == 1 + run.rejected


def test_csv_upload_without_mapping_is_refused(client, analyst, havenstad) -> None:
    client.force_login(analyst)
    upload = SimpleUploadedFile("x.csv", b"a,b\n1,2\n")
    response = client.post(url("imports", havenstad), {"file": upload, "format": "csv"})
    assert "This format needs a column mapping." in response.content.decode()


def test_learner_and_partner_cannot_see_crime_data(client, havenstad, make_member) -> None:
    for role in ("learner", "partner", "trainer"):
        client.force_login(make_member(havenstad, role))
        assert client.get(url("overview", havenstad)).status_code == 403


def test_adviser_sees_but_does_not_import(client, havenstad, make_member) -> None:
    client.force_login(make_member(havenstad, "security-adviser"))
    assert client.get(url("overview", havenstad)).status_code == 200
    assert client.get(url("imports", havenstad)).status_code == 403
