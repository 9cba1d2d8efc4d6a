"""Tasks a dead worker left running on the database queue: ended as failed with a message, and
queued again when safe to run twice; a live worker's tasks are left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from secu4all.accounts.tasks import send_email
from secu4all.common.task_workers import end_lost_tasks, worker_alive
from secu4all.training.tasks import forward_statements

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def running(task, worker_id: str, *, minutes_ago: int, **kwargs) -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=task.enqueue(**kwargs).id)
    row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return row


@override_settings(TASKS=DATABASE_QUEUE, SECU4ALL_TASK_WORKER_STALE_SECONDS=120)
def test_a_dead_workers_tasks_end_failed_or_queued_again() -> None:
    mail = {"subject": "S", "body": "B", "to": ["a@example.org"]}
    lost_mail = running(send_email, "dead-1", minutes_ago=10, **mail)
    lost_forwarding = running(forward_statements, "dead-2", minutes_ago=10)
    worker_alive("alive")
    busy = running(send_email, "alive", minutes_ago=10, **mail)
    # Its worker may simply not have said it lives yet.
    just_started = running(send_email, "new", minutes_ago=0, **mail)

    ended = end_lost_tasks()

    assert sorted(ended) == sorted([str(lost_mail.pk), str(lost_forwarding.pk)])
    lost_mail.refresh_from_db()
    assert lost_mail.status == "FAILED"
    assert "The worker dead-1 stopped while running this task" in lost_mail.traceback
    assert "not run again" in lost_mail.traceback
    assert lost_mail.exception_class_path.endswith("WorkerLostError")
    lost_forwarding.refresh_from_db()
    assert lost_forwarding.status == "FAILED"
    assert "queued again" in lost_forwarding.traceback
    again = DBTaskResult.objects.filter(task_path=forward_statements.module_path, status="READY")
    assert again.count() == 1
    for row in (busy, just_started):
        row.refresh_from_db()
        assert row.status == "RUNNING"
    assert end_lost_tasks() == [], "each lost task is ended once"
