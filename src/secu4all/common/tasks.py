"""Putting work on the task queue without losing it while the queue is away.

With the Redis queue (``SECU4ALL_TASK_BACKEND=rq``) Redis can be gone for a moment: a restart,
a network cut. A task enqueued then is kept ("parked") in the database queue instead, and the
workers move it to Redis once Redis answers again (``relay_parked_tasks``): late, never lost.
The embedded database queue has no outage of its own; when the database itself is away the
request gets the 503 page (``common.errors``), and nothing was stored.

Every ``.enqueue(`` of the platform goes through ``enqueue_or_explain``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import redis.exceptions
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks.base import Task, TaskResult, TaskResultStatus

logger = logging.getLogger(__name__)

# The alias of the database backend that keeps tasks while Redis is away (settings.TASKS).
PARKING_BACKEND = "parked"

# What the Redis client raises when Redis cannot be reached or does not answer in time.
QUEUE_AWAY = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


@dataclass(frozen=True)
class Queued:
    """A task on its way: ``note`` is empty, or tells the reader it will run late."""

    result: TaskResult
    note: str = ""


def enqueue_or_explain(task: Task, *args: Any, **kwargs: Any) -> Queued:
    """Enqueue ``task``; if its queue (Redis) is away, park it in the database queue and say
    that it will run when the queue is back."""
    try:
        return Queued(task.enqueue(*args, **kwargs))
    except QUEUE_AWAY:
        if PARKING_BACKEND not in settings.TASKS:
            raise
        logger.warning("The task queue is away; %s is kept in the database", task.module_path)
    parked = task.using(backend=PARKING_BACKEND).enqueue(*args, **kwargs)
    return Queued(
        parked,
        _(
            "The task queue is unavailable at the moment. Your request is saved and will be "
            "carried out as soon as the queue is back."
        ),
    )


def relay_parked_tasks() -> int:
    """Move the parked tasks to their own queue, oldest first; how many were moved. Stops at
    the first that cannot be moved (the queue is still away) and leaves the rest parked.

    A task is removed from the database in the transaction that moved it; if the process dies
    between the two, the task is moved again (at least once, never lost).
    """
    from django_tasks_db.models import DBTaskResult

    if PARKING_BACKEND not in settings.TASKS:
        return 0
    parked = DBTaskResult.objects.filter(
        backend_name=PARKING_BACKEND, status=TaskResultStatus.READY
    ).order_by("enqueued_at")
    moved = 0
    while True:
        with transaction.atomic():
            # Locked, so two workers relaying at once do not move the same task twice.
            row = parked.select_for_update(skip_locked=True).first()
            if row is None:
                return moved
            declared: Task = import_string(row.task_path)
            task = declared.using(queue_name=row.queue_name, priority=row.priority)
            if row.task.run_after is not None:
                task = task.using(run_after=row.run_after)
            try:
                task.enqueue(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
            except QUEUE_AWAY:
                logger.info("The task queue is still away; %s tasks stay parked", parked.count())
                return moved
            row.delete()
        moved += 1
