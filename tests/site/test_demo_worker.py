"""`secu4all demo` takes its task worker down with it, whichever way it is stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

# The demo as `secu4all demo` runs it, minus loading the demo data (a minute) and
# collecting the static files.
DEMO = """
import sys
from secu4all import cli
cli._setup_django()
from secu4all.shell import demo_loader
demo_loader.load_demo = lambda: False
demo_loader.demo_credentials = lambda: []
call = cli._call
cli._call = lambda *args, **options: args[0] != "collectstatic" and call(*args, **options)
sys.exit(cli.main(["demo", "--port", sys.argv[1]]))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    """Running, and not merely a zombie waiting for its parent to collect it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_stopping_the_demo_stops_its_worker(tmp_path) -> None:
    """Finding 12.5: SIGTERM ended `secu4all demo` but left its worker running, orphaned."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "secu4all.site.settings.local",
        "SECU4ALL_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECU4ALL_TASK_BACKEND": "database",
    }
    demo = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", DEMO, str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and demo.poll() is None:
            workers = children(demo.pid)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            except OSError:
                time.sleep(0.5)
                continue
            if workers:
                break
        assert workers, "the demo started no worker"
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=60)
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(alive(pid) for pid in workers), "the worker outlived the demo"
    finally:
        # Only what this test started: the demo and the worker it left behind, if any.
        for pid in [*workers, demo.pid]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        demo.wait(timeout=30)
