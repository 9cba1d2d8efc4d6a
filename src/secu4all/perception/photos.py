"""Audit-walk photos: accepted only when Pillow can decode them, re-encoded without metadata."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def clean_photo(upload: UploadedFile) -> tuple[str, bytes]:
    """The photo as (file name, bytes) with EXIF, GPS and every other metadata removed.

    Re-encoding from the decoded pixels is what strips metadata; copying the file would keep
    the camera's GPS position of whoever took it.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is %(size)d MB; the limit is %(limit)d MB.")
            % {"size": upload.size // (1024 * 1024), "limit": MAX_PHOTO_BYTES // (1024 * 1024)}
        )
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in FORMATS:
            raise ValidationError(_("Send a JPEG, PNG or WebP photo."))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("The photo has too many pixels."))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not an image that can be read.")) from None
    fmt = image.format
    # Apply the EXIF rotation before dropping EXIF, so the photo stays upright.
    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.info = {}  # no ICC profile, comment, XMP or EXIF carried over
    out = io.BytesIO()
    image.save(out, format=fmt)
    return f"pin.{FORMATS[fmt]}", out.getvalue()
