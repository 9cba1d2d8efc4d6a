"""A real task worker killed in the middle of a large import, and the worker after it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROWS = 100_000
BATCH_ROWS = 2_000
STALE_SECONDS = 5
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)
SETUP = """
import sys
import django
django.setup()
from django_scopes import scopes_disabled
from secu4all.incidents.services import import_run_create
from secu4all.incidents.tasks import run_import
from secu4all.organisations.services import organisation_create

with scopes_disabled():
    organisation = organisation_create(slug="havenstad", name="Havenstad", kind="municipality")
    data = open(sys.argv[1], "rb").read()
    run = import_run_create(
        organisation=organisation, actor=None, file_name="big.csv", data=data, format="police-uk"
    )
run_import.enqueue(run.pk)
print(run.pk)
"""


def write_police_uk_file(path: Path) -> int:
    """A street-level crime file of ROWS rows, some with impossible months; returns how
    many of them are such rejects."""
    lines, bad = [HEADER], 0
    for n in range(ROWS):
        month = f"20{10 + n % 14}-{1 + n % 12:02d}"
        if n % 997 == 0:
            month, bad = "0001-01", bad + 1
        lon, lat = -0.2 + (n % 400) * 0.001, 51.45 + (n % 300) * 0.001
        lines.append(
            f"id{n},{month},Met,Met,{lon:.4f},{lat:.4f},On or near X,E01000001,A,"
            f"{'Burglary' if n % 3 else 'Drugs'},,"
        )
    path.write_text("\n".join(lines) + "\n")
    return bad


class Database:
    """The database the worker processes share with the test, read with plain SQL."""

    def __init__(self, tmp_path: Path) -> None:
        settings = connection.settings_dict
        self.postgres = connection.vendor == "postgresql"
        if self.postgres:
            # The suite's own test database: the test runs outside a transaction, so the
            # workers see what it writes and it sees theirs.
            user = quote(settings["USER"] or "")
            password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
            host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
            self.url = f"postgres://{user}{password}@{host}/{settings['NAME']}"
        else:
            # The suite's SQLite database lives in memory; the workers get a file of their own.
            self.path = tmp_path / "db.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def query(self, sql: str, *params: object) -> list[tuple]:
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        with sqlite3.connect(self.path, isolation_level=None, timeout=30) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()

    def run(self, run_id: int) -> dict:
        columns = ["status", "rows", "processed", "imported", "rejected", "duplicates"]
        columns += ["attempts", "message"]
        row = self.query(
            f"SELECT {', '.join(columns)} FROM incidents_importrun WHERE id = %s",  # noqa: S608
            run_id,
        )[0]
        return dict(zip(columns, row, strict=True))


def cli(env: dict, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "secu4all.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_an_import_the_next_worker_finishes(tmp_path) -> None:
    """Finding 12.5: a worker killed with SIGKILL in the middle of a large import left the
    run "running" for ever with most rows missing. The next worker finds it stale and
    finishes it from its last committed batch: every row imported or rejected, none twice."""
    database = Database(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "secu4all.site.settings.local",
        "SECU4ALL_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": database.url,
        "SECU4ALL_TASK_BACKEND": "database",
        "SECU4ALL_IMPORT_BATCH_ROWS": str(BATCH_ROWS),
    }
    if not database.postgres:
        cli(env, "migrate", "-v", "0")
    source = tmp_path / "big.csv"
    bad = write_police_uk_file(source)
    setup = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETUP, str(source)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    run_id = int(setup.stdout.strip().splitlines()[-1])

    worker = subprocess.Popen(
        [sys.executable, "-m", "secu4all.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            state = database.run(run_id)
            if state["status"] == "running" and state["processed"] >= bad + 5 * BATCH_ROWS:
                break
            assert state["status"] in {"queued", "running"}, state
            time.sleep(0.02)
        else:
            pytest.fail(f"the worker made no progress: {database.run(run_id)}")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    at_kill = database.run(run_id)
    assert at_kill["status"] == "running"
    assert bad < at_kill["processed"] < ROWS, at_kill

    # The next worker, with a stale timeout the killed one has exceeded by the time it starts.
    time.sleep(STALE_SECONDS + 0.5)
    cli({**env, "SECU4ALL_IMPORT_STALE_SECONDS": str(STALE_SECONDS)}, "worker", "--burst")

    done = database.run(run_id)
    assert done["status"] == "done", done
    assert done["attempts"] == 2
    assert done["rows"] == ROWS
    assert (done["imported"], done["rejected"], done["duplicates"]) == (ROWS - bad, bad, 0)
    [(incidents, distinct_rows, distinct_ids)] = database.query(
        "SELECT COUNT(*), COUNT(DISTINCT source_row), COUNT(DISTINCT source_id) "
        "FROM incidents_incident WHERE import_run_id = %s",
        run_id,
    )
    assert incidents == distinct_rows == distinct_ids == ROWS - bad
    [(rejected_rows,)] = database.query(
        "SELECT COUNT(*) FROM incidents_rejectedrow WHERE run_id = %s", run_id
    )
    assert rejected_rows == bad
    # The killed worker's task record is failed, naming why, not "running" for ever.
    tasks = database.query(
        "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult"
    )
    assert ("FAILED", "secu4all.incidents.tasks.WorkerLostError") in tasks
    assert all(status != "RUNNING" for status, _path in tasks)
