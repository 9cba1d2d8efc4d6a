"""An organisation's base map: set from a PMTiles archive, served to members in byte ranges."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

from secu4all.audit.models import AuditEvent, SecurityEvent
from secu4all.cli import main
from secu4all.common.byte_ranges import UnsatisfiableRangeError, parse_range
from secu4all.organisations.demo import DEMO_BASE_MAP
from secu4all.organisations.selectors import base_map_of
from secu4all.organisations.services import organisation_set_base_map

pytestmark = pytest.mark.django_db


def small_archive(path: Path, tile_type: TileType = TileType.MVT) -> Path:
    """A valid PMTiles v3 archive with one tile, around Havenstad."""
    with path.open("wb") as handle:
        writer = Writer(handle)
        writer.write_tile(zxy_to_tileid(0, 0, 0), gzip.compress(b"\x1a\x00", mtime=0))
        writer.finalize(
            {
                "tile_type": tile_type,
                "tile_compression": Compression.GZIP,
                "min_lon_e7": 42_000_000,
                "min_lat_e7": 520_000_000,
                "max_lon_e7": 44_000_000,
                "max_lat_e7": 522_000_000,
                "center_zoom": 0,
                "center_lon_e7": 43_000_000,
                "center_lat_e7": 521_000_000,
            },
            {},
        )
    return path


@pytest.fixture
def base_map_root(settings, tmp_path) -> Path:
    settings.BASE_MAP_ROOT = tmp_path / "basemaps"
    return settings.BASE_MAP_ROOT


@pytest.fixture
def town_with_map(havenstad, base_map_root):
    with scopes_disabled():
        organisation_set_base_map(actor=None, organisation=havenstad, source=DEMO_BASE_MAP)
    return havenstad


# --- parsing the Range header ---


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-10", (990, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=990-5000", (990, 999)),
        ("bytes=0-1,5-6", None),
        ("items=0-1", None),
    ],
)
def test_parse_range(header, expected) -> None:
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5-2", "bytes=-0", "bytes=-", "bytes=a-b"])
def test_unsatisfiable_ranges(header) -> None:
    with pytest.raises(UnsatisfiableRangeError):
        parse_range(header, 1000)


# --- the archive view ---


def test_member_gets_the_whole_archive_with_validators(client, town_with_map, make_member):
    client.force_login(make_member(town_with_map, "learner"))
    response = client.get(reverse("organisations:base_map", args=[town_with_map.slug]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == DEMO_BASE_MAP.read_bytes()
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    assert response["Content-Type"] == "application/vnd.pmtiles"


def test_partial_and_suffix_ranges(client, town_with_map, make_member):
    client.force_login(make_member(town_with_map, "analyst"))
    url = reverse("organisations:base_map", args=[town_with_map.slug])
    data = DEMO_BASE_MAP.read_bytes()
    size = len(data)

    head = client.get(url, HTTP_RANGE="bytes=0-126")
    assert head.status_code == 206
    assert head["Content-Range"] == f"bytes 0-126/{size}"
    assert head["Content-Length"] == "127"
    assert b"".join(head.streaming_content) == data[:127]

    tail = client.get(url, HTTP_RANGE="bytes=-100")
    assert tail.status_code == 206
    assert tail["Content-Range"] == f"bytes {size - 100}-{size - 1}/{size}"
    assert b"".join(tail.streaming_content) == data[-100:]


def test_bad_range_is_416(client, town_with_map, make_member):
    client.force_login(make_member(town_with_map, "analyst"))
    url = reverse("organisations:base_map", args=[town_with_map.slug])
    size = DEMO_BASE_MAP.stat().st_size
    response = client.get(url, HTTP_RANGE=f"bytes={size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_conditional_requests(client, town_with_map, make_member):
    client.force_login(make_member(town_with_map, "analyst"))
    url = reverse("organisations:base_map", args=[town_with_map.slug])
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # An If-Range of another version: the whole (new) file, never a mix of two versions.
    stale = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old"')
    assert stale.status_code == 200
    assert client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag).status_code == 206


def test_another_organisation_is_refused_and_logged(client, town_with_map, riverton, make_member):
    client.force_login(make_member(riverton, "org-admin"))
    url = reverse("organisations:base_map", args=[town_with_map.slug])
    response = client.get(url, HTTP_RANGE="bytes=0-126")
    assert response.status_code == 404
    assert SecurityEvent.objects.filter(path=url).count() == 1


def test_anonymous_reader_is_sent_to_sign_in(client, town_with_map):
    response = client.get(reverse("organisations:base_map", args=[town_with_map.slug]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_public_address_only_when_the_organisation_opens_it(client, havenstad, base_map_root):
    url = reverse("base_map_public", args=[havenstad.slug])
    with scopes_disabled():
        organisation_set_base_map(actor=None, organisation=havenstad, source=DEMO_BASE_MAP)
    assert client.get(url, HTTP_RANGE="bytes=0-126").status_code == 404
    with scopes_disabled():
        organisation_set_base_map(
            actor=None, organisation=havenstad, source=DEMO_BASE_MAP, public=True
        )
    assert client.get(url, HTTP_RANGE="bytes=0-126").status_code == 206


def test_no_base_map_is_404(client, havenstad, base_map_root, make_member):
    client.force_login(make_member(havenstad, "analyst"))
    response = client.get(reverse("organisations:base_map", args=[havenstad.slug]))
    assert response.status_code == 404


# --- setting it ---


def test_setting_reads_bounds_and_audits(havenstad, base_map_root, tmp_path):
    source = small_archive(tmp_path / "region.pmtiles")
    with scopes_disabled():
        organisation_set_base_map(
            actor=None, organisation=havenstad, source=source, attribution="© OSM"
        )
        base_map = base_map_of(organisation=havenstad)
        assert AuditEvent.objects.filter(organisation=havenstad, action="change").exists()
    assert base_map.bounds == [[52.0, 4.2], [52.2, 4.4]]
    assert base_map.attribution == "© OSM"
    assert base_map.path.parent == base_map_root


def test_a_new_archive_replaces_the_old_file(havenstad, base_map_root, tmp_path):
    with scopes_disabled():
        organisation_set_base_map(actor=None, organisation=havenstad, source=DEMO_BASE_MAP)
        first = base_map_of(organisation=havenstad).path
        source = small_archive(tmp_path / "region.pmtiles")
        organisation_set_base_map(actor=None, organisation=havenstad, source=source)
        second = base_map_of(organisation=havenstad).path
    assert first != second
    assert second.exists()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"GIF89a not an archive", "is not a PMTiles archive"), (b"PMTiles\x02" + bytes(130), "ver")],
)
def test_not_an_archive_is_refused_by_name(havenstad, base_map_root, tmp_path, content, fragment):
    source = tmp_path / "streets.pmtiles"
    source.write_bytes(content)
    with pytest.raises(ValidationError) as error, scopes_disabled():
        organisation_set_base_map(actor=None, organisation=havenstad, source=source)
    assert "streets.pmtiles" in error.value.messages[0]
    assert fragment in error.value.messages[0]


def test_image_tiles_are_refused(havenstad, base_map_root, tmp_path):
    source = small_archive(tmp_path / "photo.pmtiles", TileType.PNG)
    with pytest.raises(ValidationError, match="vector tiles"), scopes_disabled():
        organisation_set_base_map(actor=None, organisation=havenstad, source=source)


def test_admin_uploads_on_the_settings_page(client, havenstad, base_map_root, make_member):
    client.force_login(make_member(havenstad, "org-admin"))
    url = reverse("organisations:settings", args=[havenstad.slug])
    upload = SimpleUploadedFile("town.pmtiles", DEMO_BASE_MAP.read_bytes())
    response = client.post(
        url,
        {"base_map-file": upload, "base_map-attribution": "Demo", "base_map-public": "on"},
    )
    assert response.status_code == 302
    havenstad.refresh_from_db()
    assert havenstad.base_map_public is True
    assert havenstad.base_map_attribution == "Demo"
    page = client.get(url)
    assert b"Open to everyone." in page.content


def test_settings_page_names_a_bad_upload(client, havenstad, base_map_root, make_member):
    client.force_login(make_member(havenstad, "org-admin"))
    url = reverse("organisations:settings", args=[havenstad.slug])
    upload = SimpleUploadedFile("town.pmtiles", b"not a map")
    response = client.post(url, {"base_map-file": upload, "base_map-attribution": ""})
    assert response.status_code == 200
    assert "town.pmtiles is not a PMTiles archive" in response.content.decode()


def test_the_command_line_sets_it(havenstad, base_map_root, capsys):
    assert main(["org", "basemap", havenstad.slug, str(DEMO_BASE_MAP), "--public"]) == 0
    havenstad.refresh_from_db()
    assert havenstad.base_map_public is True
    assert main(["org", "basemap", "nowhere", str(DEMO_BASE_MAP)]) == 2
    assert "no organisation is called nowhere" in capsys.readouterr().err


def test_demo_archive_is_small() -> None:
    assert DEMO_BASE_MAP.stat().st_size < 2 * 1024**2
    assert io.BytesIO(DEMO_BASE_MAP.read_bytes()).read(7) == b"PMTiles"
