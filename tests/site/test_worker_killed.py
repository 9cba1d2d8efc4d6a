"""A task worker killed mid-task (SIGKILL: no chance to clean up) on the database queue: the
next worker to start ends the task as failed, saying why, instead of leaving it running for
ever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import override_settings

from secu4all.accounts.tasks import send_email
from tests.support.live_database import LiveDatabase

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
STALE_SECONDS = 2
STATUS = "SELECT status, traceback FROM django_tasks_database_dbtaskresult WHERE task_path = %s"


def worker(env: dict[str, str], *extra: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "secu4all.cli", "worker", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_a_task_whose_worker_was_killed_ends_failed_with_a_message(tmp_path: Path) -> None:
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        send_email.enqueue(subject="Stuck", body="Hello", to=["a@example.org"])
    database = LiveDatabase(tmp_path)
    stalled = tmp_path / "stalled"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "secu4all.site.settings.local",
        "SECU4ALL_DATA_DIR": str(tmp_path),
        "DATABASE_URL": database.url,
        "SECU4ALL_TASK_BACKEND": "database",
        "SECU4ALL_TASK_WORKER_STALE_SECONDS": str(STALE_SECONDS),
        "EMAIL_BACKEND": "tests.support.stalling_mail.StallingBackend",
        "SECU4ALL_TEST_STALLED": str(stalled),
    }
    first = worker(env)
    try:
        deadline = time.monotonic() + 120
        while not stalled.exists():
            if first.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(first.stdout.read().decode())
            time.sleep(0.2)
        assert database.rows(STATUS, [send_email.module_path])[0][0] == "RUNNING"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert database.rows(STATUS, [send_email.module_path])[0][0] == "RUNNING"

    # Its sign of life runs out; the next worker to start sees that.
    time.sleep(STALE_SECONDS + 0.5)
    second = worker(env, "--burst")
    output = second.communicate(timeout=120)[0].decode()
    assert second.returncode == 0, output
    [(status, message)] = database.rows(STATUS, [send_email.module_path])
    assert status == "FAILED"
    assert "stopped while running this task" in message
    assert "It was not run again, as it may have partly run" in message
