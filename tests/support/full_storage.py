"""Storage on a full disk: it writes part of the file, then fails as the disk does (ENOSPC).

The test settings keep uploads in memory, where no disk can fill up; this is what a full disk
looks like to the platform, and mounting a tiny file system needs privileges CI may not have.
"""

from __future__ import annotations

import errno

from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage


class FullStorage(InMemoryStorage):
    def _save(self, name, content):
        data = content.read()
        super()._save(name, ContentFile(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device", name)


def stored_files(storage, folder: str = "") -> list[str]:
    """Every file in ``storage``, by its path."""
    folders, files = storage.listdir(folder)
    found = [f"{folder}/{name}".lstrip("/") for name in files]
    for sub in folders:
        found += stored_files(storage, f"{folder}/{sub}".lstrip("/"))
    return found
