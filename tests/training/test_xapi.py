"""xAPI 1.0.3 in training: built statements pass the validator (its own tests are in
tests/engines/xapi); statements are forwarded to an LRS that is down first and up later, and
none is lost."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from secu4all.engines.xapi import statement_errors
from secu4all.training import lrs, xapi
from secu4all.training.models import XapiStatement


def test_built_statement_is_valid_and_pseudonymous(db, make_member, havenstad, settings) -> None:
    settings.SECU4ALL_PLATFORM_URL = "https://training.example"
    user = make_member(havenstad, "learner", username="luca")
    statement = xapi.build_statement(
        user=user,
        verb="passed",
        target=xapi.activity("lesson", "m1-l1", "Lesson", "it"),
        language="it",
        result=xapi.score_result(7, 8, success=True),
    )
    assert statement_errors(statement) == []
    account = statement["actor"]["account"]
    assert account["homePage"] == "https://training.example"
    assert "luca" not in json.dumps(statement["actor"])
    assert user.email not in json.dumps(statement)
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert statement["result"]["score"] == {"scaled": 0.875, "raw": 7, "min": 0, "max": 8}


class FakeLrs(BaseHTTPRequestHandler):
    received: list[dict] = []
    headers_seen: list[dict] = []
    up = False

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if not FakeLrs.up:
            self.send_response(503)
            self.end_headers()
            return
        FakeLrs.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
        FakeLrs.received.extend(json.loads(body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"[]")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_lrs():
    FakeLrs.received, FakeLrs.headers_seen, FakeLrs.up = [], [], False
    server = HTTPServer(("127.0.0.1", 0), FakeLrs)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/xapi"
    server.shutdown()
    server.server_close()


def test_forwarding_retries_until_the_lrs_is_up(
    transactional_db, make_member, havenstad, settings, fake_lrs
) -> None:
    settings.SECU4ALL_LRS_ENDPOINT = fake_lrs
    settings.SECU4ALL_LRS_KEY, settings.SECU4ALL_LRS_SECRET = "key", "secret"
    user = make_member(havenstad, "learner", username="luca")
    for verb in ("launched", "experienced", "completed"):
        # Recording enqueues the forwarding after commit (immediate backend in tests): it fails.
        xapi.record(
            organisation=havenstad,
            user=user,
            verb=verb,
            target=xapi.activity("lesson", "m1-l1", "Lesson", "en"),
            language="en",
        )
    with scopes_disabled():
        pending = list(XapiStatement.objects.filter(forwarded_at__isnull=True))
    assert len(pending) == 3
    assert all(s.tries >= 1 and "503" in s.last_error for s in pending)
    assert FakeLrs.received == []

    # Not due yet: nothing is sent even though the LRS is up now.
    FakeLrs.up = True
    assert lrs.forward_pending(now=timezone.now()) == (0, 3)
    later = timezone.now() + timedelta(hours=2)
    assert lrs.forward_pending(now=later) == (3, 0)
    assert [s["id"] for s in FakeLrs.received] == [str(s.statement_id) for s in pending]
    assert FakeLrs.headers_seen[0]["x-experience-api-version"] == "1.0.3"
    assert FakeLrs.headers_seen[0]["authorization"] == "Basic a2V5OnNlY3JldA=="
    assert all(statement_errors(s) == [] for s in FakeLrs.received)
    # Sent once only.
    assert lrs.forward_pending(now=later + timedelta(hours=2)) == (0, 0)


def test_backoff_grows_with_each_failure(db, make_member, havenstad, settings, fake_lrs) -> None:
    settings.SECU4ALL_LRS_ENDPOINT = fake_lrs
    user = make_member(havenstad, "learner", username="luca")
    with scopes_disabled():
        xapi.record(
            organisation=havenstad,
            user=user,
            verb="launched",
            target=xapi.activity("lesson", "m1-l1", "Lesson", "en"),
            language="en",
        )
        now = timezone.now()
        delays = []
        for _ in range(3):
            lrs.forward_pending(now=now)
            statement = XapiStatement.objects.get()
            delays.append(statement.next_try_at - now)
            now = statement.next_try_at
    assert delays == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]


def test_worker_task_schedules_its_own_retry(db, make_member, havenstad, settings, fake_lrs):
    """With a backend that can defer (the database or Redis queue), a failed run enqueues the
    next one for when the first statement is due again."""
    from django_tasks import task_backends

    from secu4all.training.tasks import forward_statements

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.SECU4ALL_LRS_ENDPOINT = fake_lrs
    user = make_member(havenstad, "learner", username="luca")
    with scopes_disabled():
        xapi.record(
            organisation=havenstad,
            user=user,
            verb="launched",
            target=xapi.activity("lesson", "m1-l1", "Lesson", "en"),
            language="en",
        )
        backend = task_backends["default"]
        backend.clear()
        assert forward_statements.call() == {"sent": 0, "pending": 1}
        statement = XapiStatement.objects.get()
    (retry,) = backend.results
    assert retry.task.run_after == statement.next_try_at
