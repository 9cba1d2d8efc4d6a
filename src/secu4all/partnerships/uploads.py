"""Checking an attachment by what it contains, not by what its name or browser claim.

The type is read from the file's first bytes (its "magic number") and must be on the
allow-list; zip-based formats (DOCX, XLSX, ODT) are unpacked in a stream, counting the bytes
really produced (the sizes in the headers can be forged), and refused when they unpack to too
much, at too high a ratio, hold too many members or archives nested too deep (a zip bomb).
Limits are the settings ``PARTNERSHIP_UPLOAD_MAX_BYTES``, ``PARTNERSHIP_ZIP_MAX_UNCOMPRESSED``,
``PARTNERSHIP_ZIP_MAX_RATIO``, ``PARTNERSHIP_ZIP_MAX_MEMBERS`` and ``PARTNERSHIP_ZIP_MAX_DEPTH``.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULTS = {
    "PARTNERSHIP_UPLOAD_MAX_BYTES": 10 * 1024 * 1024,
    "PARTNERSHIP_ZIP_MAX_UNCOMPRESSED": 50 * 1024 * 1024,
    "PARTNERSHIP_ZIP_MAX_RATIO": 100,
    "PARTNERSHIP_ZIP_MAX_MEMBERS": 1000,
    "PARTNERSHIP_ZIP_MAX_DEPTH": 2,
}


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str


PDF = Sniffed("application/pdf", "pdf")
PNG = Sniffed("image/png", "png")
JPEG = Sniffed("image/jpeg", "jpg")
DOCX = Sniffed("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = Sniffed("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
ODT = Sniffed("application/vnd.oasis.opendocument.text", "odt")
TEXT = Sniffed("text/plain", "txt")
CSV = Sniffed("text/csv", "csv")


def allowed_names() -> str:
    return "PDF, PNG, JPEG, DOCX, XLSX, ODT, " + _("plain text") + ", CSV"


def _zip_kind(archive: zipfile.ZipFile) -> Sniffed | None:
    names = set(archive.namelist())
    if "mimetype" in names:
        if archive.read("mimetype").strip() == ODT.content_type.encode():
            return ODT
        return None
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return DOCX
        if any(n.startswith("xl/") for n in names):
            return XLSX
    return None


ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 64 * 1024


class _Budget:
    """Bytes that may still be unpacked, over every member of every nested archive."""

    def __init__(self, total: int) -> None:
        self.total = self.left = total

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise ValidationError(
                _("The archive would unpack to more than %(size)s: refused as a zip bomb.")
                % {"size": filesizeformat(self.total)}
            )


def _unpack(archive: zipfile.ZipFile, budget: _Budget, depth: int) -> None:
    """Decompress every member, counting real bytes (never the sizes the headers claim), and
    nested archives the same way down to ``PARTNERSHIP_ZIP_MAX_DEPTH`` levels."""
    members = archive.infolist()
    if len(members) > limit("PARTNERSHIP_ZIP_MAX_MEMBERS"):
        raise ValidationError(
            _("The archive holds %(n)d files; at most %(max)d are accepted.")
            % {"n": len(members), "max": limit("PARTNERSHIP_ZIP_MAX_MEMBERS")}
        )
    for member in members:
        with archive.open(member) as stream:
            chunk = stream.read(CHUNK)
            nested = io.BytesIO() if chunk.startswith(ZIP_MAGIC) else None
            if nested is not None and depth >= limit("PARTNERSHIP_ZIP_MAX_DEPTH"):
                raise ValidationError(
                    _("The archive holds archives nested more than %(max)d deep.")
                    % {"max": limit("PARTNERSHIP_ZIP_MAX_DEPTH")}
                )
            while chunk:
                budget.take(len(chunk))
                if nested is not None:
                    nested.write(chunk)
                chunk = stream.read(CHUNK)
        if nested is not None:
            nested.seek(0)
            with zipfile.ZipFile(nested) as inner:
                _unpack(inner, budget, depth + 1)


def _check_zip(upload: UploadedFile, size: int) -> Sniffed:
    upload.seek(0)
    budget = _Budget(
        min(
            limit("PARTNERSHIP_ZIP_MAX_UNCOMPRESSED"),
            limit("PARTNERSHIP_ZIP_MAX_RATIO") * max(size, 1),
        )
    )
    try:
        with zipfile.ZipFile(upload) as archive:
            _unpack(archive, budget, depth=1)
            kind = _zip_kind(archive)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        # A forged size ends in a CRC or length error when the member is really unpacked.
        raise ValidationError(_("The file looks like a zip archive but is damaged.")) from error
    except (NotImplementedError, RuntimeError) as error:
        # An unsupported compression method, or an encrypted member.
        raise ValidationError(
            _("The archive is encrypted or compressed in a way that cannot be checked.")
        ) from error
    if kind is None:
        raise ValidationError(
            _("This zip archive is not a DOCX, XLSX or ODT document. Accepted: %(types)s.")
            % {"types": allowed_names()}
        )
    return kind


MARKUP = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character may be cut at the end of the sample.
        if error.start < len(head) - 3:
            return False
    return True


def check_upload(upload: UploadedFile) -> Sniffed:
    """The real type of ``upload``, or a ValidationError saying why it is refused."""
    size = upload.size or 0
    if size > limit("PARTNERSHIP_UPLOAD_MAX_BYTES"):
        raise ValidationError(
            _("The file is %(mb).1f MB; at most %(max).1f MB is accepted.")
            % {"mb": size / 1e6, "max": limit("PARTNERSHIP_UPLOAD_MAX_BYTES") / 1e6}
        )
    if size == 0:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith(b"PK\x03\x04"):
        found = _check_zip(upload, size)
    elif _looks_like_text(head):
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(MARKUP):
            # A browser opening it could run what is inside: not plain text for us.
            raise ValidationError(
                _("HTML, SVG and XML files are not accepted. Accepted: %(types)s.")
                % {"types": allowed_names()}
            )
        found = CSV if PurePath(upload.name or "").suffix.lower() == ".csv" else TEXT
    else:
        raise ValidationError(
            _("This file's content is not of an accepted type. Accepted: %(types)s.")
            % {"types": allowed_names()}
        )
    upload.seek(0)
    return found


def safe_name(name: str, sniffed: Sniffed) -> str:
    """A download name with the extension of the real type, whatever the upload was called."""
    stem = "".join(c for c in PurePath(name or "attachment").stem if c.isalnum() or c in "-_ ")
    return f"{stem.strip()[:80] or 'attachment'}.{sniffed.extension}"
