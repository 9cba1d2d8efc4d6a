"""A full disk during an upload: the reader is told on the form, no rows are saved and no
half-written file is left — for an incident import, the import assistant, an audit-walk photo,
a partnership attachment and a base map."""

from __future__ import annotations

import contextlib
import errno
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from PIL import Image

from secu4all.incidents.models import ImportRun
from secu4all.organisations.demo import DEMO_BASE_MAP
from secu4all.organisations.services import organisation_set_base_map
from secu4all.partnerships.models import SharedItem
from secu4all.perception.models import AuditPin
from secu4all.perception.services import audit_pin_add, audit_walk_create
from tests.support.full_storage import stored_files
from tests.support.partnerships import PDF_BYTES, partnership_world_make
from tests.support.perception import RATINGS, surveyed_town_make

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent.parent / "data" / "incidents"
NOT_STORED = "could not be stored: the server&#x27;s storage is full or unavailable"


@contextlib.contextmanager
def full_disk():
    storages = {
        "default": {"BACKEND": "tests.support.full_storage.FullStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield default_storage


@pytest.fixture(name="full_disk")
def full_disk_fixture():
    with full_disk() as storage:
        yield storage


def test_an_incident_import_on_a_full_disk(client, havenstad, make_member, full_disk) -> None:
    client.force_login(make_member(havenstad, "analyst"))
    upload = SimpleUploadedFile("sample.csv", (DATA / "police-uk-sample.csv").read_bytes())
    url = reverse("incidents:imports", args=[havenstad.slug])
    response = client.post(url, {"file": upload, "format": "police-uk"})
    assert response.status_code == 200
    assert "sample.csv " + NOT_STORED in response.content.decode()
    assert not ImportRun.objects.with_scope(organisation=havenstad).exists()
    assert stored_files(full_disk) == []


def test_the_import_assistant_on_a_full_disk(client, havenstad, make_member, full_disk) -> None:
    client.force_login(make_member(havenstad, "analyst"))
    upload = SimpleUploadedFile("mine.csv", b"date,category,x,y\n2024-01-02,theft,4.3,52.1\n")
    response = client.post(
        reverse("incidents:import_assistant", args=[havenstad.slug]), {"file": upload}
    )
    assert response.status_code == 200
    assert "mine.csv " + NOT_STORED in response.content.decode()
    assert stored_files(full_disk) == []


def test_an_audit_walk_photo_on_a_full_disk(havenstad, full_disk) -> None:
    town = surveyed_town_make(havenstad)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, format="JPEG")
    photo = SimpleUploadedFile("corner.jpg", buffer.getvalue(), content_type="image/jpeg")
    with scope(organisation=town["organisation"]):
        walk = audit_walk_create(
            organisation=havenstad,
            actor=None,
            area_code="BU01",
            route="Market",
            time_of_day="night",
            walked_on=date(2025, 3, 1),
            walkers=4,
        )
        with pytest.raises(ValidationError, match=r"corner\.jpg could not be stored"):
            audit_pin_add(walk=walk, actor=None, photo=photo, lon=4.3, lat=52.07, **RATINGS)
        assert not AuditPin.objects.exists()
    assert stored_files(full_disk) == []


def test_a_partnership_attachment_on_a_full_disk() -> None:
    world = partnership_world_make()
    with scopes_disabled():
        before = SharedItem.objects.count()
    client = Client()
    client.force_login(world.users["lead-adviser"])
    with full_disk() as storage:
        response = client.post(
            f"/o/havenstad/partnerships/{world.partnership.pk}/items/",
            {
                "kind": "document",
                "title": "Evacuation plan",
                "tlp": "TLP:GREEN",
                "attachment": SimpleUploadedFile("plan.pdf", PDF_BYTES),
            },
        )
        assert stored_files(storage) == []
    assert response.status_code == 400
    assert "plan.pdf " + NOT_STORED in response.content.decode()
    with scopes_disabled():
        assert SharedItem.objects.count() == before


def test_a_base_map_on_a_full_disk(client, havenstad, make_member, settings, tmp_path, monkeypatch):
    settings.BASE_MAP_ROOT = tmp_path / "basemaps"
    with scopes_disabled():
        organisation_set_base_map(actor=None, organisation=havenstad, source=DEMO_BASE_MAP)
    havenstad.refresh_from_db()
    kept = havenstad.base_map

    def copy_until_full(source, target):
        Path(target).write_bytes(Path(source).read_bytes()[:1000])
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(shutil, "copyfile", copy_until_full)
    client.force_login(make_member(havenstad, "org-admin"))
    # Another archive than the one in place, so it has to be written.
    other = DEMO_BASE_MAP.read_bytes() + b"\0"
    upload = SimpleUploadedFile("bigger.pmtiles", other)
    response = client.post(
        reverse("organisations:settings", args=[havenstad.slug]),
        {"base_map-file": upload, "base_map-attribution": "New"},
    )
    assert response.status_code == 200
    assert "bigger.pmtiles " + NOT_STORED in response.content.decode()
    havenstad.refresh_from_db()
    assert (havenstad.base_map, havenstad.base_map_attribution) == (kept, "")
    assert sorted(p.name for p in settings.BASE_MAP_ROOT.iterdir()) == [kept]


@pytest.fixture
def tiny_file_system(tmp_path):
    """A real file system of 64 KiB (tmpfs), where a larger upload fills the disk."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(  # noqa: S603
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],  # noqa: S607
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not allowed here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)  # noqa: S603, S607


def test_an_import_on_a_really_full_file_system(
    client, havenstad, make_member, tiny_file_system
) -> None:
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tiny_file_system)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client.force_login(make_member(havenstad, "analyst"))
    data = (DATA / "police-uk-sample.csv").read_bytes()
    big = data * (200_000 // len(data) + 1)
    with override_settings(STORAGES=storages):
        response = client.post(
            reverse("incidents:imports", args=[havenstad.slug]),
            {"file": SimpleUploadedFile("big.csv", big), "format": "police-uk"},
        )
    assert response.status_code == 200
    assert "big.csv " + NOT_STORED in response.content.decode()
    assert not ImportRun.objects.with_scope(organisation=havenstad).exists()
    assert [path for path in tiny_file_system.rglob("*") if path.is_file()] == []
