"""`secu4all backup` and `secu4all restore`: everything back in an empty data directory, on
SQLite and on PostgreSQL, through the real command in its own processes."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest

from tests.conftest import need_service

COMMAND = [sys.executable, "-m", "secu4all.cli"]

# A few rows in several apps and an uploaded file, written through the platform's services.
POPULATE = """
from pathlib import Path
from django.conf import settings
from django.contrib.auth import get_user_model
from secu4all.organisations.models import Role
from secu4all.organisations.services import membership_grant, organisation_create

org = organisation_create(slug="backup-town", name="Backup Town", kind="municipality")
user = get_user_model().objects.create_user("keeper", password="a-long-password-1")
membership_grant(actor=None, organisation=org, user=user, role=Role.SECURITY_ADVISER)
upload = Path(settings.MEDIA_ROOT) / "partnerships" / "plan.txt"
upload.parent.mkdir(parents=True, exist_ok=True)
upload.write_text("Evacuation plan, version 3")
base_map = Path(settings.BASE_MAP_ROOT) / "backup-town" / "region.pmtiles"
base_map.parent.mkdir(parents=True, exist_ok=True)
base_map.write_bytes(b"PMTiles archive of the region")
"""

CHECK = """
from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled
from secu4all.organisations.models import Membership
with scopes_disabled():
    m = Membership.objects.get(user__username="keeper")
keeper = get_user_model().objects.get(username="keeper")
print(m.organisation.name, m.role, keeper.check_password("a-long-password-1"))
"""


def _env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {**os.environ, "SECU4ALL_DATA_DIR": str(data_dir)}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _secu4all(env: dict[str, str], *args: str, check: bool = True):
    return subprocess.run(  # noqa: S603
        [*COMMAND, *args], env=env, capture_output=True, text=True, timeout=300, check=check
    )


def _round_trip(tmp_path: Path, source_url: str | None, target_url: str | None) -> dict:
    source = _env(tmp_path / "source", source_url)
    _secu4all(source, "migrate", "-v", "0")
    _secu4all(source, "manage", "shell", "-c", POPULATE)
    archive = tmp_path / "platform.tar.gz"
    made = _secu4all(source, "backup", str(archive))
    assert "uploaded files" in made.stdout
    assert archive.stat().st_mode & 0o077 == 0, "a backup is readable by its owner only"
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert "manifest.json" in names
    assert "media/partnerships/plan.txt" in names
    assert "basemaps/backup-town/region.pmtiles" in names

    target = _env(tmp_path / "target", target_url)
    restored = _secu4all(target, "restore", str(archive))
    assert "every table checked" in restored.stdout, restored.stderr
    check = _secu4all(target, "manage", "shell", "-c", CHECK).stdout.splitlines()[-1]
    assert check == "Backup Town security-adviser True"
    plan = tmp_path / "target" / "media" / "partnerships" / "plan.txt"
    assert plan.read_text() == "Evacuation plan, version 3"
    base_map = tmp_path / "target" / "basemaps" / "backup-town" / "region.pmtiles"
    assert base_map.read_bytes() == b"PMTiles archive of the region"
    return target


def test_backup_and_restore_on_sqlite(tmp_path: Path) -> None:
    target = _round_trip(tmp_path, None, None)
    archive = str(tmp_path / "platform.tar.gz")
    # A database with data is not overwritten by accident.
    again = _secu4all(target, "restore", archive, check=False)
    assert again.returncode == 1
    assert "already holds data" in again.stderr
    assert _secu4all(target, "restore", archive, "--replace").returncode == 0


@pytest.fixture
def two_postgres_databases():
    need_service("PostgreSQL", "127.0.0.1", 5432)
    names = [f"secu4all_backup_{os.getpid()}_{side}" for side in ("a", "b")]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        for name in names:
            db.execute(f"DROP DATABASE IF EXISTS {name}")
            db.execute(f"CREATE DATABASE {name}")
    yield [f"postgres://postgres@127.0.0.1:5432/{name}" for name in names]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        for name in names:
            db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_backup_and_restore_on_postgresql(tmp_path: Path, two_postgres_databases) -> None:
    _round_trip(tmp_path, *two_postgres_databases)


def test_what_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    env = _env(tmp_path, None)
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    refused = _secu4all(env, "restore", str(junk), check=False)
    assert refused.returncode == 1
    assert "is not a Secu4All backup" in refused.stderr
