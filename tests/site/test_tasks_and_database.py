"""Background tasks on the database queue and on Redis, and the database the suite runs on."""

from __future__ import annotations

import os

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from secu4all.accounts.tasks import send_email


@pytest.mark.django_db(transaction=True)
def test_database_queue_runs_tasks_in_the_worker() -> None:
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        result = send_email.enqueue(subject="Queued", body="Hello", to=["a@example.org"])
        assert mail.outbox == []
        call_command("db_worker", batch=True, verbosity=0)
        result.refresh()
        assert result.status == "SUCCESSFUL"
        assert result.return_value == 1
        assert [m.subject for m in mail.outbox] == ["Queued"]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_redis_queue_runs_tasks_in_an_rq_worker(redis_server) -> None:
    import django_rq

    queues = {"default": {"URL": redis_server, "DEFAULT_TIMEOUT": 60}}
    backend = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with override_settings(RQ_QUEUES=queues, TASKS=backend):
        django_rq.get_queue("default").empty()
        result = send_email.enqueue(subject="Via Redis", body="Hello", to=["a@example.org"])
        assert mail.outbox == []
        # SimpleWorker runs jobs in this process, so the test's mail outbox sees them.
        call_command(
            "rqworker",
            "default",
            burst=True,
            job_class="django_tasks_rq.Job",
            worker_class="rq.worker.SimpleWorker",
        )
        result.refresh()
        assert result.status == "SUCCESSFUL"
        assert [m.subject for m in mail.outbox] == ["Via Redis"]


@pytest.mark.django_db
def test_database_is_the_one_the_environment_names() -> None:
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
