"""Task workers that die mid-task (SIGKILL, out of memory, a host gone).

The database queue marks a task "running" when a worker claims it and only the same worker
marks it done, so a dead worker would leave it running for ever. Every worker therefore keeps a
sign of life in the shared cache (the database or Redis, seen by all hosts), and every worker,
as it starts and then periodically, ends the running tasks whose worker has shown none for
``SECU4ALL_TASK_WORKER_STALE_SECONDS``: failed, saying so, and queued again when the task is
safe to run twice (``SECU4ALL_TASKS_RETRIED_WHEN_LOST``). Imports have their own, finer
recovery from their last committed batch (``incidents.tasks.import_runs_recover``).

Redis workers need none of this: RQ moves a dead worker's job to its failed registry itself.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus

from secu4all.common.tasks import PARKING_BACKEND, enqueue_or_explain, relay_parked_tasks

logger = logging.getLogger(__name__)


class WorkerLostError(RuntimeError):
    """The worker running a task stopped without finishing it."""


def new_worker_id() -> str:
    return get_random_string(32)


def _sign_of_life_key(worker_id: str) -> str:
    return f"secu4all:task-worker:{worker_id}"


def worker_alive(worker_id: str) -> None:
    """Say that this worker is alive, for somewhat longer than until its next sign."""
    cache.set(
        _sign_of_life_key(worker_id),
        timezone.now().isoformat(),
        timeout=settings.SECU4ALL_TASK_WORKER_STALE_SECONDS,
    )


def end_lost_tasks(*, now: datetime | None = None) -> list[str]:
    """Fail the running tasks whose worker shows no sign of life, and queue again those safe
    to run twice; the ids of the tasks ended."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    started_before = now - timedelta(seconds=settings.SECU4ALL_TASK_WORKER_STALE_SECONDS)
    running = (
        DBTaskResult.objects.running()
        .exclude(backend_name=PARKING_BACKEND)
        .filter(started_at__lt=started_before)
    )
    ended = []
    for row in running:
        worker_id = row.worker_ids[-1] if row.worker_ids else ""
        if worker_id and cache.get(_sign_of_life_key(worker_id)) is not None:
            continue
        retried = row.task_path in settings.SECU4ALL_TASKS_RETRIED_WHEN_LOST
        error = WorkerLostError(
            f"The worker {worker_id or '(unknown)'} stopped while running this task "
            f"(started {row.started_at:%Y-%m-%d %H:%M:%S %Z}). "
            + (
                "It was queued again."
                if retried
                else "It was not run again, as it may have partly run; start it again if needed."
            )
        )
        # Only if still running as read: another worker ending it at the same moment wins once.
        if not DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{WorkerLostError.__module__}.{WorkerLostError.__qualname__}",
            traceback="".join(traceback.format_exception_only(error)),
        ):
            continue
        logger.warning("Task %s (%s): %s", row.pk, row.task_path, error)
        if retried:
            task = import_string(row.task_path).using(
                queue_name=row.queue_name, priority=row.priority
            )
            enqueue_or_explain(task, *row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        ended.append(str(row.pk))
    return ended


def watch(name: str, interval: float, *steps: Callable[[], object]) -> threading.Thread:
    """Run ``steps`` now, then every ``interval`` seconds beside the worker's own loop, in a
    daemon thread that ends with the worker."""

    def round_() -> None:
        for step in steps:
            try:
                step()
            except Exception:
                # The database or Redis away for a moment must not stop the worker nor the watch.
                logger.exception("%s failed; trying again later", name)

    def loop() -> None:
        while True:
            time.sleep(interval)
            round_()
            connection.close()

    round_()
    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    return thread


def watch_workers(worker_id: str) -> threading.Thread:
    """Give this worker's sign of life, end lost tasks and move parked ones, now and then
    every third of the stale timeout."""
    return watch(
        "task-worker-watch",
        max(settings.SECU4ALL_TASK_WORKER_STALE_SECONDS / 3, 0.5),
        lambda: worker_alive(worker_id),
        end_lost_tasks,
        relay_parked_tasks,
    )
