"""Uploads kept in S3-compatible storage (SECU4ALL_STORAGE_URL=s3://...), so every web and worker
host sees them: an import's file is written to the bucket by the page and read back from it by
the task, and an import assistant's draft lives there too. Against a local S3 server (moto),
offline."""

from __future__ import annotations

import uuid
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from secu4all.common.storage_url import storage_from_url
from secu4all.incidents.models import ImportRun

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent.parent / "data" / "incidents"


@pytest.fixture
def bucket(monkeypatch):
    """A bucket on a local S3-compatible server; the objects in it, by key, on request."""
    from moto.server import ThreadedMotoServer

    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        monkeypatch.setenv(name, value)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    # moto keeps its buckets per process, across servers: each test has its own.
    name = f"secu4all-{uuid.uuid4().hex[:12]}"
    endpoint = f"http://127.0.0.1:{server.get_host_and_port()[1]}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-1")
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    storages = {
        "default": storage_from_url(
            f"s3://{name}/media?endpoint_url={endpoint}&region_name=eu-west-1"
        ),
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield lambda: {
            item["Key"]: item["Size"]
            for item in client.list_objects_v2(Bucket=name).get("Contents", [])
        }
    server.stop()


def test_an_import_file_goes_to_the_bucket_and_is_read_back(
    client, havenstad, make_member, bucket
) -> None:
    client.force_login(make_member(havenstad, "analyst"))
    data = (DATA / "police-uk-sample.csv").read_bytes()
    response = client.post(
        reverse("incidents:imports", args=[havenstad.slug]),
        {"file": SimpleUploadedFile("sample.csv", data), "format": "police-uk"},
    )
    assert response.status_code == 302
    run = ImportRun.objects.with_scope(organisation=havenstad).get()
    # The task (run at once in the tests) read the file from the bucket.
    assert run.status == "done"
    assert run.imported > 0
    assert bucket() == {f"media/{run.source.name}": len(data)}


def test_an_import_draft_waits_in_the_bucket(client, havenstad, make_member, bucket) -> None:
    client.force_login(make_member(havenstad, "analyst"))
    data = b"date,category,lon,lat\n2024-01-02,theft,4.3,52.1\n"
    response = client.post(
        reverse("incidents:import_assistant", args=[havenstad.slug]),
        {"file": SimpleUploadedFile("mine.csv", data)},
    )
    assert response.status_code == 200
    [(key, size)] = bucket().items()
    assert key.startswith(f"media/import-drafts/{havenstad.pk}/")
    assert size == len(data)
