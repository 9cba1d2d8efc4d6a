"""Background import: the web page queues the run, a worker executes it, and every worker
takes up the imports another worker left behind when it stopped."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connection
from django_scopes import scopes_disabled
from django_tasks import task

from secu4all.incidents.models import ImportRun
from secu4all.incidents.services import import_run_execute, import_runs_recover

logger = logging.getLogger(__name__)


@task()
def run_import(run_id: int) -> dict:
    with scopes_disabled():
        run = ImportRun.objects.select_related("organisation", "created_by").filter(pk=run_id)
        run = run.first()
    if run is None:
        return {"status": "gone"}
    run = import_run_execute(run=run)
    return {"status": run.status, "imported": run.imported, "rejected": run.rejected}


class WorkerLostError(RuntimeError):
    """The worker running a task stopped without finishing it."""


def end_lost_tasks(run_id: int) -> int:
    """Mark as failed the database queue's records of this run's import that a stopped worker
    left "running" for ever; how many there were. (Redis workers clean up after their own.)"""
    from django_tasks_db.models import DBTaskResult

    lost = 0
    running = DBTaskResult.objects.running().filter(task_path=run_import.module_path)
    for result in running:
        if result.args_kwargs.get("args") == [run_id]:
            result.set_failed(WorkerLostError(f"The worker stopped while importing run {run_id}."))
            lost += 1
    return lost


def watch_stalled_imports() -> threading.Thread:
    """Recover stalled imports now, then again every third of the stale timeout, beside the
    worker's own loop (a daemon thread: it ends with the worker)."""
    interval = max(settings.SECU4ALL_IMPORT_STALE_SECONDS / 3, 1.0)

    def recover() -> None:
        try:
            import_runs_recover()
        except Exception:
            # A database that is away for a moment, or not yet migrated, must not stop the
            # worker's other tasks nor end the watch.
            logger.exception("Recovering stalled imports failed; trying again later")

    def watch() -> None:
        while True:
            time.sleep(interval)
            recover()
            connection.close()

    recover()

    thread = threading.Thread(target=watch, name="import-watch", daemon=True)
    thread.start()
    return thread
