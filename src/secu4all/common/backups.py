"""A whole platform in one archive and back: the database, the uploaded files, the local key.

The archive is a gzipped tar holding ``manifest.json``, the database (``database.sqlite3``
made with SQLite's online backup API, or ``database.pgdump`` from ``pg_dump``), the uploaded
files (``media/``) and the organisations' base maps (``basemaps/``), and, outside
production, ``secret_key``. The manifest counts the rows of every table *in the
copy itself* (SQLite) or in the very snapshot ``pg_dump`` reads (PostgreSQL), so a restore
checks that it found every row, not roughly as many as there were.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

FORMAT = 1
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    engine: str
    rows: dict[str, int]
    files: int

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _sqlite(path: Path | str) -> closing[sqlite3.Connection]:
    # sqlite3's own context manager commits but does not close.
    return closing(sqlite3.connect(path))


def _sqlite_rows(path: Path) -> dict[str, int]:
    with _sqlite(path) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def _pg_rows(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    tables = [name for (name,) in cursor.fetchall()]
    rows = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
        rows[table] = cursor.fetchone()[0]
    return rows


def _pg_environment() -> dict[str, str]:
    """libpq's variables for the configured database, so no password is on a command line."""
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(command: list[str], *, env: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is not installed; install PostgreSQL's client tools"
        ) from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from error


def _dump_database(folder: Path) -> tuple[str, dict[str, int]]:
    engine = _engine()
    if engine == "sqlite":
        target = folder / SQLITE_FILE
        # The online backup API copies a consistent state while the platform keeps writing.
        with _sqlite(settings.DATABASES["default"]["NAME"]) as source, _sqlite(target) as copy:
            source.backup(copy)
        return engine, _sqlite_rows(target)
    # Count inside the very snapshot pg_dump reads, so the manifest is exact under writes.
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            rows = _pg_rows(cursor)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={folder / PG_FILE}",
                ],
                env=_pg_environment(),
            )
        finally:
            cursor.execute("COMMIT")
    return engine, rows


def _file_folders() -> dict[str, Path]:
    """The folders of uploaded files, by their name in the archive."""
    return {"media": Path(settings.MEDIA_ROOT), "basemaps": Path(settings.BASE_MAP_ROOT)}


def _files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


def backup_create(path: Path) -> BackupSummary:
    """Write the platform to ``path`` (readable by its owner only: it holds everything)."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="secu4all-backup-") as work:
        folder = Path(work)
        engine, rows = _dump_database(folder)
        folders = {name: (root, _files_in(root)) for name, root in _file_folders().items()}
        files = [file for _root, found in folders.values() for file in found]
        key = Path(settings.DATA_DIR) / "secret_key"
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "engine": engine,
            "rows": rows,
            "files": len(files),
            "secret_key": key.is_file(),
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(folder / "manifest.json", "manifest.json")
            database = SQLITE_FILE if engine == "sqlite" else PG_FILE
            archive.add(folder / database, database)
            for name, (root, found) in folders.items():
                for file in found:
                    archive.add(file, f"{name}/{file.relative_to(root).as_posix()}")
            if key.is_file():
                archive.add(key, "secret_key")
        partial.chmod(0o600)
        partial.replace(path)
    return BackupSummary(engine=engine, rows=rows, files=len(files))


@contextmanager
def _opened(path: Path) -> Iterator[tuple[tarfile.TarFile, dict]]:
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{path} is not a Secu4All backup: {error}") from error
    with archive:
        try:
            manifest = json.load(archive.extractfile("manifest.json"))
        except (KeyError, ValueError) as error:
            raise BackupError(f"{path} has no readable manifest.json") from error
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{path} is backup format {manifest.get('format')}, not {FORMAT}")
        yield archive, manifest


def _database_is_empty() -> bool:
    tables = connection.introspection.table_names()
    if "django_migrations" not in tables:
        return True
    # A migrated but unused database holds only what migrations write themselves.
    with connection.cursor() as cursor:
        for table in ("accounts_user", "organisations_organisation"):
            if table in tables:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
                if cursor.fetchone()[0]:
                    return False
    return True


def backup_restore(path: Path, *, replace: bool = False) -> BackupSummary:
    """Restore ``path`` into the configured database and data directory, then check that every
    table holds the rows the manifest counted."""
    engine = _engine()
    with _opened(Path(path)) as (archive, manifest):
        if manifest["engine"] != engine:
            raise BackupError(
                f"this backup is of a {manifest['engine']} database and the platform is "
                f"configured for {engine}; restore it into the same kind of database"
            )
        folders = _file_folders()
        if not replace:
            if not _database_is_empty():
                raise BackupError(
                    "the database already holds data; restore into an empty one, or pass "
                    "--replace to overwrite it"
                )
            for root in folders.values():
                if root.is_dir() and any(root.iterdir()):
                    raise BackupError(f"{root} is not empty; pass --replace to overwrite it")
        with tempfile.TemporaryDirectory(prefix="secu4all-restore-") as work:
            # The "data" filter refuses absolute paths, links out of the folder and devices.
            archive.extractall(work, filter="data")
            folder = Path(work)
            if engine == "sqlite":
                rows = _restore_sqlite(folder / SQLITE_FILE)
            else:
                rows = _restore_postgresql(folder / PG_FILE)
            for name, root in folders.items():
                if root.exists():
                    shutil.rmtree(root)
                if (folder / name).is_dir():
                    shutil.copytree(folder / name, root)
                else:
                    root.mkdir(parents=True, exist_ok=True)
            key = Path(settings.DATA_DIR) / "secret_key"
            # In production the key comes from the environment: the operator keeps it.
            if (folder / "secret_key").is_file() and not key.is_file():
                shutil.copyfile(folder / "secret_key", key)
                key.chmod(0o600)
    missing = {
        table: (count, rows.get(table))
        for table, count in manifest["rows"].items()
        if rows.get(table) != count
    }
    if missing:
        details = ", ".join(
            f"{t}: {want} in the backup, {got} restored" for t, (want, got) in missing.items()
        )
        raise BackupError(f"the restore is incomplete: {details}")
    files = sum(len(_files_in(root)) for root in folders.values())
    if files != manifest["files"]:
        raise BackupError(f"{manifest['files']} files in the backup, {files} restored")
    return BackupSummary(engine=engine, rows=rows, files=files)


def _restore_sqlite(database: Path) -> dict[str, int]:
    target = Path(settings.DATABASES["default"]["NAME"])
    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    with _sqlite(database) as source, _sqlite(target) as copy:
        # Copying page by page through the backup API replaces the whole database, WAL too.
        source.backup(copy)
    return _sqlite_rows(target)


def _restore_postgresql(dump: Path) -> dict[str, int]:
    connections.close_all()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={settings.DATABASES['default']['NAME']}",
            str(dump),
        ],
        env=_pg_environment(),
    )
    with connection.cursor() as cursor:
        return _pg_rows(cursor)
