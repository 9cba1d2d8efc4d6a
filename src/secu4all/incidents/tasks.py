"""Background import: the web page queues the run, a worker executes it, and every worker
takes up the imports another worker left behind when it stopped."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from django_tasks import task

from secu4all.common.task_workers import watch
from secu4all.common.tasks import enqueue_or_explain
from secu4all.incidents.models import ImportRun, ImportStatus
from secu4all.incidents.services import (
    import_run_claim_stale,
    import_run_execute,
    import_run_is_running_here,
    import_run_undo,
)

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


def import_runs_recover(*, now: datetime | None = None) -> list[ImportRun]:
    """Take up the imports whose worker stopped: queue each again to resume from its last
    committed batch, or, after too many attempts, end it failed saying so.

    Run by every worker as it starts and then periodically; any organisation's runs.
    """
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.SECU4ALL_IMPORT_STALE_SECONDS)
    recovered = []
    with scopes_disabled():
        # Runs from before heartbeats were kept count from when they were created.
        stale = list(
            ImportRun.objects.filter(
                Q(heartbeat_at__lt=stale_before)
                | Q(heartbeat_at__isnull=True, created_at__lt=stale_before),
                status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING],
            ).select_related("organisation")
        )
        for run in stale:
            if import_run_is_running_here(run.pk):
                # Alive in this very process, only slow (a long parse): not lost.
                continue
            where = _("at row %(processed)s of %(rows)s") % {
                "processed": f"{run.processed:,}",
                "rows": f"{run.rows:,}",
            }
            if run.attempts >= settings.SECU4ALL_IMPORT_MAX_ATTEMPTS:
                # The run is claimed first, so a second worker recovering at the same
                # moment does not fail or queue it too.
                if import_run_claim_stale(run, now, ImportStatus.FAILED):
                    end_lost_tasks(run.pk)
                    import_run_undo(
                        run,
                        _(
                            "The import was stopped %(attempts)s times (last %(where)s) "
                            "without finishing, so it was given up and undone. The file may be "
                            "too large for the worker's memory: split it and import the parts."
                        )
                        % {"attempts": run.attempts, "where": where},
                    )
                    recovered.append(run)
                continue
            was_running = run.status == ImportStatus.RUNNING
            if import_run_claim_stale(run, now, ImportStatus.QUEUED):
                end_lost_tasks(run.pk)
                if was_running:
                    run.message = _(
                        "The worker stopped %(where)s; the import was queued again and "
                        "resumes from its last saved batch."
                    ) % {"where": where}
                else:
                    # Waiting behind a long import looks the same; a second task is harmless,
                    # as only one worker can claim the run.
                    run.message = _("No worker had taken the import up yet; it was queued again.")
                run.save(update_fields=["message"])
                enqueue_or_explain(run_import, run.pk)
                recovered.append(run)
    for run in recovered:
        logger.warning("Import run %s had lost its worker: %s", run.pk, run.message)
    return recovered


def watch_stalled_imports() -> threading.Thread:
    """Recover stalled imports now, then again every third of the stale timeout."""
    return watch(
        "import-watch", max(settings.SECU4ALL_IMPORT_STALE_SECONDS / 3, 1.0), import_runs_recover
    )
