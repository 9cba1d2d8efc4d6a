"""Serving a file with HTTP range requests (RFC 9110 §14), as a PMTiles reader asks for it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, parse_http_date_safe

_SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class UnsatisfiableRangeError(ValueError):
    """The Range header names no byte of the file (answered with 416)."""


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The inclusive (first, last) byte a ``Range`` header asks for in a file of ``size`` bytes.

    None means "send the whole file": no header, a unit other than bytes, or several ranges
    (which a server may ignore, RFC 9110 §14.2; a PMTiles reader never asks for them).
    Raises UnsatisfiableRangeError for a range outside the file or malformed numbers.
    """
    header = header.strip()
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    match = _SINGLE_RANGE.match(header.replace(" ", ""))
    if not match or match.groups() == ("", ""):
        raise UnsatisfiableRangeError(header)
    first, last = match.groups()
    if first == "":  # a suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise UnsatisfiableRangeError(header)
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        raise UnsatisfiableRangeError(header)
    return start, end


def _chunks(handle: BinaryIO, length: int, size: int = 256 * 1024) -> Iterator[bytes]:
    """``length`` bytes from the handle's position, in pieces, so an open range such as
    ``bytes=0-`` on a large archive is not read into memory at once."""
    with handle:
        while length > 0:
            piece = handle.read(min(size, length))
            if not piece:
                return
            length -= len(piece)
            yield piece


def file_etag(path: Path) -> str:
    """A strong validator from the file's name, size and modification time (not its bytes:
    hashing a large archive on every request would cost more than serving it)."""
    stat = path.stat()
    digest = hashlib.sha256(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return f'"{digest.hexdigest()[:32]}"'


def range_file_response(request: HttpRequest, path: Path, *, content_type: str) -> HttpResponse:
    """The file, or the part of it the request's Range asks for (206), with its validators.

    304 when If-None-Match / If-Modified-Since still hold; 416 with ``Content-Range: bytes
    */size`` for a range outside the file; an If-Range that no longer matches gets the whole
    file, so a reader never mixes bytes of two versions of an archive.
    """
    stat = path.stat()
    size = stat.st_size
    etag = file_etag(path)
    modified = http_date(stat.st_mtime)
    validators = {"ETag": etag, "Last-Modified": modified, "Accept-Ranges": "bytes"}

    if_none_match = request.headers.get("If-None-Match")
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if (if_none_match and etag in [t.strip() for t in if_none_match.split(",")]) or (
        not if_none_match and since is not None and int(stat.st_mtime) <= since
    ):
        response = HttpResponse(status=304)
        for name, value in validators.items():
            response[name] = value
        return response

    header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    if if_range and if_range not in (etag, modified):
        header = ""
    try:
        wanted = parse_range(header, size)
    except UnsatisfiableRangeError:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        for name, value in validators.items():
            response[name] = value
        return response

    handle = path.open("rb")
    if wanted is None:
        response = FileResponse(handle, content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        first, last = wanted
        handle.seek(first)
        response = StreamingHttpResponse(
            _chunks(handle, last - first + 1), content_type=content_type, status=206
        )
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    for name, value in validators.items():
        response[name] = value
    # Tiles are not secret from the members who may read them, but never from a shared cache.
    response["Cache-Control"] = "private, max-age=3600"
    return response
