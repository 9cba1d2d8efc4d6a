"""Where uploads are kept, from SECU4ALL_STORAGE_URL: a directory or an S3-compatible bucket."""

from __future__ import annotations

import pytest

from secu4all.common.storage_url import StorageUrlError, storage_from_url


def test_nothing_set_keeps_uploads_in_the_media_root() -> None:
    assert storage_from_url("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_shared_directory() -> None:
    assert storage_from_url("file:///srv/shared/media")["OPTIONS"] == {
        "location": "/srv/shared/media"
    }


def test_an_s3_compatible_bucket() -> None:
    storage = storage_from_url(
        "s3://uploads/secu4all/prod?endpoint_url=https://s3.example.org&region_name=eu-west-1"
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "uploads"
    assert options["location"] == "secu4all/prod"
    assert options["endpoint_url"] == "https://s3.example.org"
    assert options["region_name"] == "eu-west-1"
    # Never overwritten, never public: a view hands each file out.
    assert options["file_overwrite"] is False
    assert options["default_acl"] == "private"
    assert "access_key" not in options


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("s3:///prefix", "names no bucket"),
        ("s3://bucket?secret_key=x", "unknown option"),
        ("file://host/path", "not file:///an/absolute/path"),
        ("ftp://files.example.org/", "neither file:///path nor s3://bucket/prefix"),
    ],
)
def test_a_url_the_platform_cannot_use_is_refused_by_name(url: str, says: str) -> None:
    with pytest.raises(StorageUrlError, match=says):
        storage_from_url(url)
