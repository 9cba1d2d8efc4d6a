"""The test database, opened to processes the test starts (a real worker, a real server).

On PostgreSQL they connect to the test database itself (the test must be
``django_db(transaction=True)`` so what it wrote is committed). SQLite's test database lives in
the test process's memory, so it is copied into a file they open; the test reads the outcome
from that file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.test import override_settings

# The shared cache the real processes use (a database table, as `secu4all migrate` makes it);
# the tests' own cache is the process's memory, so the test database lacks the table.
DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "secu4all_cache",
    }
}


def cache_table_create() -> None:
    """The shared cache's table in the test database, for the processes a test starts."""
    with override_settings(CACHES=DATABASE_CACHE):
        call_command("createcachetable", verbosity=0)


class LiveDatabase:
    def __init__(self, tmp_path: Path) -> None:
        cache_table_create()
        self.file: Path | None = None
        if connection.vendor == "sqlite":
            self.file = tmp_path / "live.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.file) as copy:
                connection.connection.backup(copy)
            self.url = f"sqlite:///{self.file}"
        else:
            s = connection.settings_dict
            self.url = (
                f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
            )

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Rows of a query (``%s`` placeholders) as the started processes left them."""
        if self.file is not None:
            with sqlite3.connect(self.file) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
