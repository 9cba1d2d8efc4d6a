"""Background work of training: forwarding learning records to the LRS."""

from __future__ import annotations

from django_tasks import task

from secu4all.common.tasks import enqueue_or_explain
from secu4all.training import lrs


@task()
def forward_statements() -> dict:
    """Send pending statements; while some wait for a retry, schedule the next run."""
    sent, pending = lrs.forward_pending()
    if pending:
        retry_at = lrs.next_retry_at()
        if retry_at is not None and forward_statements.get_backend().supports_defer:
            enqueue_or_explain(forward_statements.using(run_after=retry_at))
    return {"sent": sent, "pending": pending}
