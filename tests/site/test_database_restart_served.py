"""PostgreSQL restarted under load, as the real server meets it: `secu4all serve` (gunicorn,
several processes, persistent connections) answers 503 at once while the database is away,
then serves again with the same processes, without being restarted."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from tests.support.forwarder import Forwarder
from tests.support.live_database import cache_table_create

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
PATHS = ("/", "/readyz")
# Well under the server's own 60 s timeout, and under a reader's patience.
FAST = 5.0


def get(port: int, path: str, cookie: str = "") -> tuple[int, float, dict[str, str], str]:
    """Status (0: no answer), seconds, headers and body of one request."""
    started = time.monotonic()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            status, headers, body = answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, dict(error.headers), error.read()
    except OSError as error:
        status, headers, body = 0, {}, str(error).encode()
    return status, time.monotonic() - started, headers, body.decode(errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> set[int]:
    return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


class Load:
    """Readers asking for pages without pause; each answer kept with when it was asked."""

    def __init__(self, port: int, cookie: str, readers: int = 4) -> None:
        self.port, self.cookie = port, cookie
        self.answers: list[tuple[float, str, int, float, dict[str, str], str]] = []
        self.running = True
        self.threads = [threading.Thread(target=self._read, daemon=True) for _ in range(readers)]
        for thread in self.threads:
            thread.start()

    def _read(self) -> None:
        turn = 0
        while self.running:
            path = PATHS[turn % len(PATHS)]
            turn += 1
            asked = time.monotonic()
            self.answers.append((asked, path, *get(self.port, path, self.cookie)))

    def asked_after(self, moment: float) -> list[tuple]:
        return [answer for answer in list(self.answers) if answer[0] >= moment]

    def wait_for(self, count: int, moment: float, *, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while len(self.asked_after(moment)) < count and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self) -> None:
        self.running = False
        for thread in self.threads:
            thread.join(timeout=60)


def summary(answers: list[tuple]) -> list[tuple[str, int, float]]:
    return [(path, status, round(seconds, 2)) for _, path, status, seconds, _, _ in answers]


@pytest.mark.postgres
def test_served_platform_answers_503_then_recovers_without_restart(
    tmp_path: Path, django_user_model
) -> None:
    # Marked postgres: collected only in the run on PostgreSQL (tests/conftest.py).
    assert connection.vendor == "postgresql"
    cache_table_create()
    # Signed in: every page reads the session and the user from the database.
    browser = Client()
    browser.force_login(django_user_model.objects.create_user("ilze", password="x" * 12))
    cookie = f"sessionid={browser.cookies['sessionid'].value}"
    settings = connection.settings_dict
    hop = Forwarder((settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "tests.support.served_settings",
        "SECU4ALL_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"postgres://{settings['USER']}@127.0.0.1:{hop.port}/{settings['NAME']}",
        # Connections kept between requests: the harder case, as they break under the server.
        "DATABASE_CONN_MAX_AGE": "60",
        "SECU4ALL_TASK_BACKEND": "database",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    # A file, not a pipe: each 503 logs its cause, and a pipe nobody reads fills up and
    # blocks the server's writes.
    log = tmp_path / "server.log"
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "secu4all.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    load = None
    try:
        deadline = time.monotonic() + 180
        # Every page once, so what the server compiles on first use is not counted below.
        while not all(get(port, path, cookie)[0] == 200 for path in PATHS):
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(log.read_text(errors="replace")[-5000:])
            time.sleep(0.3)
        workers = children(server.pid)
        assert len(workers) == 2

        load = Load(port, cookie)
        started = time.monotonic()
        load.wait_for(8, started)
        before = load.asked_after(started)
        assert {status for _, _, status, *_ in before} == {200}, summary(before)
        cut_at = time.monotonic()
        hop.cut()
        load.wait_for(8, cut_at + 0.2)
        during = load.asked_after(cut_at + 0.2)
        mended_at = time.monotonic()
        hop.mend()
        load.wait_for(8, mended_at + 0.5)
        after = load.asked_after(mended_at + 0.5)
        load.stop()

        assert len(during) >= 8, summary(load.asked_after(cut_at))
        assert {status for _, _, status, *_ in during} == {503}, summary(during)
        assert max(seconds for _, _, _, seconds, *_ in during) < FAST, summary(during)
        pages = [(headers, body) for _, path, _, _, headers, body in during if path == "/"]
        assert pages
        for headers, body in pages:
            assert headers["Retry-After"] == "30"
            assert "Nothing you sent was saved" in body
        assert len(after) >= 8
        assert {status for _, _, status, *_ in after} == {200}, summary(after)
        assert children(server.pid) == workers, "the same processes serve: none was restarted"
    finally:
        if load is not None:
            load.stop()
        hop.cut()
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
