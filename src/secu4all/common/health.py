"""Liveness and readiness for load balancers and orchestrators: /healthz and /readyz.

/healthz answers while the process can serve at all and touches nothing else, so a database
outage does not make an orchestrator restart every web process. /readyz checks what a request
needs: the database answers a query and the task queue accepts work. Both are public and
name no more than which part is down; the reason goes to the log.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database_ready() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("readiness: the database does not answer", exc_info=True)
        # The broken connection is not reused by the next request of this thread.
        connection.close_if_unusable_or_obsolete()
        return False


def queue_depths() -> dict[str, int]:
    """Tasks waiting for a worker, by queue; raises when the queue cannot be reached."""
    if settings.TASK_BACKEND == "rq":
        import django_rq

        return {name: django_rq.get_queue(name).count for name in settings.RQ_QUEUES}
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.ready().values("queue_name").annotate(n=Count("id"))
    depths = {"default": 0}
    depths.update({row["queue_name"]: row["n"] for row in rows})
    return depths


def task_queue_ready() -> bool:
    if settings.TASK_BACKEND == "rq":
        try:
            import django_rq

            return bool(django_rq.get_connection("default").ping())
        except Exception:
            logger.warning("readiness: the task queue (Redis) does not answer", exc_info=True)
            return False
    # The embedded queue is a table of the database checked above.
    return database_ready()


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": "ok" if database_ready() else "unavailable",
        "task_queue": "ok" if task_queue_ready() else "unavailable",
    }
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )
