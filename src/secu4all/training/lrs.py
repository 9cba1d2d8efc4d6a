"""Forwarding stored learning records to the LRS.

When ``SECU4ALL_LRS_ENDPOINT`` is set, pending statements are POSTed to
``<endpoint>/statements`` in batches; a failure leaves them pending with a growing delay
(30 s doubling up to an hour) and the next run sends them again, so nothing is lost while
the LRS is down.
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from secu4all.engines.xapi import VERSION
from secu4all.training.models import XapiStatement

log = logging.getLogger(__name__)

BATCH = 50
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)


def lrs_configured() -> bool:
    return bool(getattr(settings, "SECU4ALL_LRS_ENDPOINT", ""))


def forward_pending(*, now: datetime | None = None) -> tuple[int, int]:
    """Send the due pending statements: (sent, still pending). Safe to run at any time."""
    endpoint = getattr(settings, "SECU4ALL_LRS_ENDPOINT", "").rstrip("/")
    if not endpoint:
        return 0, 0
    now = now or timezone.now()
    sent = 0
    with scopes_disabled():
        while True:
            sent_now, failed = _forward_batch(endpoint, now)
            sent += sent_now
            if failed or not sent_now:
                break
        pending = XapiStatement.objects.filter(forwarded_at__isnull=True).count()
    return sent, pending


@transaction.atomic
def _forward_batch(endpoint: str, now: datetime) -> tuple[int, bool]:
    """Send one batch of due statements: (how many were sent, whether the LRS failed).

    The rows are locked while they are sent (on PostgreSQL; SKIP LOCKED lets a second
    worker take the next batch instead of sending the same statements twice).
    """
    due = list(
        XapiStatement.objects.select_for_update(skip_locked=True)
        .filter(forwarded_at__isnull=True)
        .exclude(next_try_at__gt=now)
        .order_by("created_at", "pk")[:BATCH]
    )
    if not due:
        return 0, False
    error = _post(endpoint, [s.data for s in due])
    if error:
        for statement in due:
            statement.tries += 1
            delay = min(FIRST_DELAY * 2 ** (statement.tries - 1), MAX_DELAY)
            statement.next_try_at = now + delay
            statement.last_error = error[:500]
        XapiStatement.objects.bulk_update(due, ["tries", "next_try_at", "last_error"])
        log.warning("LRS refused or unreachable, %d statements wait: %s", len(due), error)
        return 0, True
    XapiStatement.objects.filter(pk__in=[s.pk for s in due]).update(forwarded_at=now, last_error="")
    return len(due), False


def next_retry_at() -> datetime | None:
    with scopes_disabled():
        first = (
            XapiStatement.objects.filter(forwarded_at__isnull=True)
            .order_by("next_try_at")
            .values_list("next_try_at", flat=True)
            .first()
        )
    return first


def _post(endpoint: str, statements: list[dict]) -> str:
    """POST the statements; '' on success, else what went wrong."""
    key = getattr(settings, "SECU4ALL_LRS_KEY", "")
    secret = getattr(settings, "SECU4ALL_LRS_SECRET", "")
    request = urllib.request.Request(  # noqa: S310 -- the endpoint is the operator's setting
        f"{endpoint}/statements",
        data=json.dumps(statements).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Experience-API-Version": VERSION,
            "Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode(),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            if 200 <= response.status < 300:
                return ""
            return f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        if error.code == 409:
            # The LRS already holds statements with these ids (an earlier send whose answer
            # was lost): they are there, so they count as sent rather than retried forever.
            return ""
        return f"HTTP {error.code}: {error.reason}"
    except (urllib.error.URLError, OSError) as error:
        return f"unreachable: {error}"
