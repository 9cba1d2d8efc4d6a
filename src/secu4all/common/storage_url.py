"""Where uploaded files are kept, from one environment variable, so several web and worker hosts
share them: ``SECU4ALL_STORAGE_URL``.

- empty: the data directory's ``media`` folder (or ``SECU4ALL_MEDIA_ROOT``, e.g. a directory
  every host mounts);
- ``file:///srv/secu4all/media``: that directory;
- ``s3://BUCKET/PREFIX?endpoint_url=https://s3.example.org&region_name=eu-west-1``: an
  S3-compatible bucket through django-storages; the keys come from boto3's own environment
  (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``), never from the URL.

Imported by the settings: no Django here.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit

# The S3 options a URL may set; anything else is a mistake worth stopping on.
S3_OPTIONS = {"endpoint_url", "region_name", "addressing_style", "signature_version"}


class StorageUrlError(ValueError):
    """SECU4ALL_STORAGE_URL names a storage the platform cannot use."""


def storage_from_url(url: str) -> dict:
    """The ``STORAGES["default"]`` entry the URL names."""
    url = url.strip()
    if not url:
        # MEDIA_ROOT, read when the storage is first used.
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme == "file":
        if parts.netloc or not parts.path:
            raise StorageUrlError(f"SECU4ALL_STORAGE_URL: {url!r} is not file:///an/absolute/path")
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": unquote(parts.path)},
        }
    if parts.scheme == "s3":
        if not parts.netloc:
            raise StorageUrlError(f"SECU4ALL_STORAGE_URL: {url!r} names no bucket")
        query = dict(parse_qsl(parts.query))
        unknown = sorted(set(query) - S3_OPTIONS)
        if unknown:
            raise StorageUrlError(
                f"SECU4ALL_STORAGE_URL: unknown option(s) {', '.join(unknown)}; "
                f"known: {', '.join(sorted(S3_OPTIONS))}"
            )
        options = {
            "bucket_name": parts.netloc,
            "location": unquote(parts.path).strip("/"),
            # Two uploads with one name must not overwrite each other, as on a disk.
            "file_overwrite": False,
            # Files are handed out by the platform's views (permissions, TLP), never by a
            # public bucket address.
            "default_acl": "private",
            "querystring_auth": True,
        }
        if "addressing_style" in query:
            options["addressing_style"] = query.pop("addressing_style")
        options.update(query)
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    raise StorageUrlError(
        f"SECU4ALL_STORAGE_URL: {url!r} is neither file:///path nor s3://bucket/prefix"
    )
