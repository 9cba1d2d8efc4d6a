"""Storing an uploaded file so that a full disk (or an unreachable shared directory) is a clear
refusal on the form, never a 500 and never a half-written file.

Django's file system storage writes the file in place and leaves what it wrote when the disk
fills up; the name is therefore settled first, and whatever was written under it is removed
when writing fails. The caller stores the file before it saves its rows, inside its
transaction, so a refused file leaves no rows either.
"""

from __future__ import annotations

import contextlib
import logging

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def not_stored(file_name: str) -> ValidationError:
    """The refusal a reader gets when the server cannot keep their file."""
    return ValidationError(
        _(
            "%(file)s could not be stored: the server's storage is full or unavailable. "
            "Nothing was saved. Try again later, or tell your administrator."
        )
        % {"file": file_name},
        code="storage_full",
    )


def storage_save(
    storage: Storage, name: str, content: File, *, max_length: int | None = None
) -> str:
    """``storage.save``, raising ``not_stored`` with nothing left behind when it fails."""
    name = storage.get_available_name(name, max_length=max_length)
    try:
        return storage.save(name, content, max_length=max_length)
    except OSError as error:
        logger.error("Could not store %s: %s", name, error)
        # What was written before the disk filled up.
        with contextlib.suppress(OSError):
            storage.delete(name)
        raise not_stored(getattr(content, "name", None) or name.rsplit("/", 1)[-1]) from error


def field_file_save(field_file: FieldFile, name: str, content: File) -> None:
    """``field_file.save(name, content, save=False)`` through ``storage_save``."""
    field = field_file.field
    target = field.generate_filename(field_file.instance, name)
    field_file.name = storage_save(field_file.storage, target, content, max_length=field.max_length)
    setattr(field_file.instance, field.attname, field_file.name)
    field_file._committed = True
