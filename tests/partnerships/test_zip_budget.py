"""Finding 12.14: a zip upload is judged by the bytes it really unpacks to, under a budget,
never by the sizes its headers claim; member count and nesting are capped too."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from secu4all.partnerships import uploads

DOCX = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def forge_sizes(data: bytes, claimed: int) -> bytes:
    """Every local and central header claims ``claimed`` bytes unpacked, whatever is inside."""
    out = bytearray(data)
    at = 0
    while (at := out.find(b"PK\x03\x04", at)) != -1:
        struct.pack_into("<I", out, at + 22, claimed)
        at += 4
    at = 0
    while (at := out.find(b"PK\x01\x02", at)) != -1:
        struct.pack_into("<I", out, at + 24, claimed)
        at += 4
    return bytes(out)


def test_a_bomb_with_forged_header_sizes_is_refused() -> None:
    """Finding 12.14: 40 MB of zeros whose headers claim 10 bytes each is not a DOCX."""
    bomb = forge_sizes(zip_bytes({**DOCX, "word/media/zeros.bin": b"\0" * (40 * 1024 * 1024)}), 10)
    assert len(bomb) < 100_000
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:  # what the headers say
        assert sum(m.file_size for m in archive.infolist()) == 30
    with pytest.raises(ValidationError):
        uploads.check_upload(SimpleUploadedFile("plan.docx", bomb))


def test_the_budget_counts_real_bytes(settings) -> None:
    """Finding 12.14: headers that claim the true sizes are held to the same budget."""
    settings.PARTNERSHIP_ZIP_MAX_UNCOMPRESSED = 100_000
    settings.PARTNERSHIP_ZIP_MAX_RATIO = 10**6
    big = zip_bytes({**DOCX, "word/media/zeros.bin": b"\0" * 200_000})
    with pytest.raises(ValidationError, match="zip bomb"):
        uploads.check_upload(SimpleUploadedFile("plan.docx", big))
    small = zip_bytes({**DOCX, "word/media/zeros.bin": b"\0" * 50_000})
    assert uploads.check_upload(SimpleUploadedFile("plan.docx", small)) == uploads.DOCX


def test_archives_nested_too_deep_are_refused() -> None:
    """Finding 12.14: a spreadsheet in a document passes; archives in archives in it do not."""
    xlsx = zip_bytes({"[Content_Types].xml": b"<T/>", "xl/workbook.xml": b"<w/>"})
    embedded = zip_bytes({**DOCX, "word/embeddings/sheet.xlsx": xlsx})
    assert uploads.check_upload(SimpleUploadedFile("a.docx", embedded)) == uploads.DOCX
    deeper = zip_bytes({**DOCX, "word/embeddings/deep.zip": zip_bytes({"inner.zip": xlsx})})
    with pytest.raises(ValidationError, match="nested more than 2 deep"):
        uploads.check_upload(SimpleUploadedFile("a.docx", deeper))


def test_nested_members_count_against_the_same_budget(settings) -> None:
    """Finding 12.14: a bomb hidden one level down is still counted."""
    settings.PARTNERSHIP_ZIP_MAX_UNCOMPRESSED = 100_000
    settings.PARTNERSHIP_ZIP_MAX_RATIO = 10**6
    inner = forge_sizes(zip_bytes({"zeros.bin": b"\0" * 1_000_000}), 10)
    outer = zip_bytes({**DOCX, "word/embeddings/x.docx": inner})
    with pytest.raises(ValidationError):
        uploads.check_upload(SimpleUploadedFile("a.docx", outer))
