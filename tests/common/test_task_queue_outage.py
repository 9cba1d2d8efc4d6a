"""Redis away while work is queued: the task is kept in the database and said to be late, then
moved to Redis when it is back; never lost, never a 500. The database queue does not care."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from secu4all.accounts.tasks import send_email
from secu4all.common.tasks import PARKING_BACKEND, enqueue_or_explain, relay_parked_tasks
from secu4all.incidents.models import ImportRun, ImportStatus
from secu4all.incidents.tasks import run_import

pytestmark = pytest.mark.django_db(transaction=True)

DATA = Path(__file__).parent.parent / "data" / "incidents"
RQ_TASKS = {
    "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
    PARKING_BACKEND: {"BACKEND": "django_tasks_db.DatabaseBackend"},
}


def closed_port() -> int:
    """A port nothing listens on: connecting is refused at once, as when Redis is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down():
    queues = {"default": {"URL": f"redis://127.0.0.1:{closed_port()}/0"}}
    with override_settings(TASK_BACKEND="rq", TASKS=RQ_TASKS, RQ_QUEUES=queues):
        yield


def parked(task) -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(backend_name=PARKING_BACKEND, task_path=task.module_path)
    )


def test_an_import_started_while_redis_is_down_is_kept_and_said_to_wait(
    client, havenstad, make_member, redis_down
) -> None:
    client.force_login(make_member(havenstad, "analyst"))
    upload = SimpleUploadedFile("sample.csv", (DATA / "police-uk-sample.csv").read_bytes())
    url = reverse("incidents:imports", args=[havenstad.slug])
    response = client.post(url, {"file": upload, "format": "police-uk"}, follow=True)
    assert response.status_code == 200
    assert "The task queue is unavailable at the moment" in response.content.decode()
    run = ImportRun.objects.with_scope(organisation=havenstad).get()
    assert run.status == ImportStatus.QUEUED
    [kept] = parked(run_import)
    assert kept.args_kwargs == {"args": [run.pk], "kwargs": {}}


def test_a_password_reset_mail_while_redis_is_down_is_kept(
    client, havenstad, make_member, redis_down
) -> None:
    user = make_member(havenstad, "analyst", username="ilze")
    response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302
    [kept] = parked(send_email)
    assert kept.args_kwargs["kwargs"]["to"] == [user.email]


@pytest.mark.redis
def test_kept_tasks_move_to_redis_once_it_is_back(redis_down, redis_server) -> None:
    import django_rq

    queued = enqueue_or_explain(send_email, subject="Later", body="Hello", to=["a@example.org"])
    assert queued.note
    assert relay_parked_tasks() == 0, "Redis is still down: nothing moves, nothing is lost"
    assert len(parked(send_email)) == 1

    with override_settings(RQ_QUEUES={"default": {"URL": redis_server}}):
        queue = django_rq.get_queue("default")
        before = set(queue.job_ids)
        assert relay_parked_tasks() == 1
        [job_id] = set(queue.job_ids) - before
        job = queue.fetch_job(job_id)
        try:
            assert job.func_name == send_email.module_path
            assert job.kwargs["subject"] == "Later"
        finally:
            job.delete()
    assert parked(send_email) == []


def test_the_database_queue_works_whatever_redis_does() -> None:
    queues = {"default": {"URL": f"redis://127.0.0.1:{closed_port()}/0"}}
    database = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASK_BACKEND="database", TASKS=database, RQ_QUEUES=queues):
        queued = enqueue_or_explain(send_email, subject="Now", body="Hello", to=["a@example.org"])
        assert queued.note == ""
        row = DBTaskResult.objects.get(pk=queued.result.id)
        assert (row.backend_name, row.status) == ("default", "READY")


def test_every_enqueue_goes_through_the_helper() -> None:
    """A task enqueued directly is lost, or a 500, while Redis is away."""
    source = Path(__file__).resolve().parents[2] / "src" / "secu4all"
    helpers = {source / "common" / "tasks.py"}
    direct = [
        f"{path.relative_to(source)}:{number}"
        for path in source.rglob("*.py")
        if path not in helpers
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ".enqueue(" in line or ".aenqueue(" in line
    ]
    assert direct == [], "use secu4all.common.tasks.enqueue_or_explain"
