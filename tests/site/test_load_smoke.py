"""The load test's users (bench/load) for a few seconds against a live server: each kind of
user walks its whole scenario once, every page answers, and nothing sent is lost."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test import override_settings
from django.test.testcases import LiveServerThread
from django_scopes import scopes_disabled

from secu4all.incidents.models import ImportRun, ImportStatus
from secu4all.shell.demo_loader import load_demo

LOAD = Path(__file__).resolve().parents[2] / "bench" / "load"
LOCUST = Path(sys.executable).with_name("locust")
USERS = ["Adviser", "Analyst", "Learner", "Partner", "Importer", "Respondent"]
# Every page and write of each scenario (the labels of bench/load/locustfile.py).
PAGES = {
    "sign-in": {"form", "sign in"},
    "staff": {
        "sites",
        "site",
        "assessment form",
        "save assessment",
        "partnerships",
        "partnership",
        "items",
        "share item",
        "neighbourhoods",
        "organisation",
        "crime overview and hotspot map",
        "hotspot layer",
        "near repeats",
        "perceived safety",
        "survey results",
        "fear gap",
        "course",
        "lesson",
        "start exercises",
        "answer exercise",
    },
    "partners": {"partnerships", "partnership", "items", "item"},
    "import": {"imports", "upload", "progress"},
    "survey": {"language", "start", "page"},
}


class OneRequestAtATime(WSGIServer):
    """Django's development server without threads, closing each connection after a request.

    The test database on SQLite lives in memory, one connection shared by every thread of a
    threaded live server, and concurrent requests on it fail with "database table is locked"
    (never on the real server, where each request has its own connection to a file). The
    users still run concurrently; the server takes their requests one after the other.
    """

    def __init__(self, *args, connections_override=None, **kwargs) -> None:
        # The server thread has already taken the shared connection (LiveServerThread.run).
        super().__init__(*args, **kwargs)


class SerialLiveServerThread(LiveServerThread):
    server_class = OneRequestAtATime


@pytest.fixture
def serial_live_server(transactional_db):
    shared = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread = SerialLiveServerThread("localhost", StaticFilesHandler, shared)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()
    for conn in shared.values():
        conn.dec_thread_sharing()


def _plan_module():
    # bench/ is not a package: load the plan module from its file.
    spec = importlib.util.spec_from_file_location("load_plan", LOAD / "plan.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not LOCUST.exists(), reason="locust is not installed (the dev extra)")
@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_every_scenario_runs_without_a_failure(serial_live_server: str, tmp_path: Path) -> None:
    load_demo()
    plan_module = _plan_module()
    plan = plan_module.build_plan(tmp_path, import_background=150, import_burglaries=50)
    wave = plan_module.open_wave()
    responses_before = plan_module.complete_responses(wave)
    summary = tmp_path / "summary.json"
    env = {
        **os.environ,
        "SECU4ALL_LOAD_PLAN": str(plan),
        "SECU4ALL_LOAD_SUMMARY": str(summary),
        "SECU4ALL_LOAD_SMOKE": str(len(USERS)),
        "SECU4ALL_LOAD_THINK": "0,0",
    }
    run = subprocess.run(  # noqa: S603 -- our own locust, our own arguments
        [
            str(LOCUST),
            "-f",
            str(LOAD / "locustfile.py"),
            "--headless",
            "--only-summary",
            "--users",
            str(len(USERS)),
            "--spawn-rate",
            str(len(USERS)),
            # An upper bound: the run ends when every user has walked its scenario.
            "--run-time",
            "90s",
            "--host",
            serial_live_server,
            *USERS,
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    result = json.loads(summary.read_text())
    scenarios = result["scenarios"]
    for name, pages in PAGES.items():
        assert scenarios[name]["failures"] == 0, (name, scenarios[name]["errors"], run.stderr)
        assert pages <= set(scenarios[name]["pages"]), (name, pages - set(scenarios[name]["pages"]))
    assert run.returncode == 0, run.stderr
    # Each citizen who saw the thank-you page left a complete response, and only those.
    assert result["respondents_done"] >= 1
    assert plan_module.complete_responses(wave) - responses_before == result["respondents_done"]
    with scopes_disabled():
        upload = ImportRun.objects.get(file_name="load-import.csv")
    assert upload.status == ImportStatus.DONE
    assert upload.imported == json.loads(plan.read_text())["import"]["rows"]
