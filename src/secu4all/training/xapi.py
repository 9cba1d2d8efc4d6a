"""Learning records: build xAPI 1.0.3 statements, store them, forward them to an LRS.

Every statement is validated before it is stored. When ``SECU4ALL_LRS_ENDPOINT`` is set,
statements are POSTed to ``<endpoint>/statements`` in batches; a failure leaves them pending
with a growing delay (30 s doubling up to an hour) and the next run sends them again, so
nothing is lost while the LRS is down.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from secu4all.engines.xapi import ADL_VERBS, VERSION, statement_errors
from secu4all.organisations.models import Organisation
from secu4all.training.models import XapiStatement

log = logging.getLogger(__name__)

BATCH = 50
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)
ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "item": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "scenario": "http://adlnet.gov/expapi/activities/simulation",
}
INTERACTIONS = {
    "single_choice": "choice",
    "multiple_choice": "choice",
    "true_false": "true-false",
    "matching": "matching",
    "ordering": "sequencing",
    "numeric": "numeric",
    "hotspot": "choice",
    "free_text": "long-fill-in",
}


def platform_url() -> str:
    return getattr(settings, "SECU4ALL_PLATFORM_URL", "http://localhost:8000").rstrip("/")


def actor_name(user: AbstractBaseUser) -> str:
    """A stable pseudonym: an LRS elsewhere learns no name or e-mail address."""
    key = getattr(settings, "SECU4ALL_XAPI_ACTOR_KEY", "") or settings.SECRET_KEY
    digest = hmac.new(key.encode(), f"user:{user.pk}".encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def activity(kind: str, key: str, name: str, language: str, **definition: object) -> dict:
    return {
        "objectType": "Activity",
        "id": f"{platform_url()}/xapi/activities/{kind}/{key}",
        "definition": {
            "type": ACTIVITY_TYPES[kind],
            "name": {language: name or key},
            **definition,
        },
    }


def build_statement(
    *,
    user: AbstractBaseUser,
    verb: str,
    target: dict,
    language: str,
    registration: uuid.UUID | None = None,
    result: dict | None = None,
    parent: dict | None = None,
    when: datetime | None = None,
) -> dict:
    context: dict = {"language": language, "platform": "Secu4All"}
    if registration is not None:
        context["registration"] = str(registration)
    if parent is not None:
        context["contextActivities"] = {"parent": [parent]}
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": platform_url(), "name": actor_name(user)},
        },
        "verb": {"id": ADL_VERBS[verb], "display": {"en-US": verb}},
        "object": target,
        "context": context,
        "timestamp": (when or timezone.now()).isoformat(),
        "version": VERSION,
    }
    if result is not None:
        statement["result"] = result
    return statement


def score_result(score: float, max_score: float, **extra: object) -> dict:
    scaled = score / max_score if max_score > 0 else 0.0
    return {
        "score": {
            "scaled": round(max(-1.0, min(1.0, scaled)), 4),
            "raw": score,
            "min": 0,
            "max": max_score if max_score > 0 else 1,
        },
        **extra,
    }


def record(
    *, organisation: Organisation, user: AbstractBaseUser, **kwargs: object
) -> XapiStatement:
    """Store one statement (inside the caller's transaction) and forward it after commit."""
    statement = build_statement(user=user, **kwargs)
    errors = statement_errors(statement)
    if errors:
        # A bug in the builder, never the learner's doing: fail loudly.
        raise ValueError(f"invalid xAPI statement: {errors}")
    stored = XapiStatement.objects.with_scope(organisation=organisation).create(
        organisation=organisation,
        statement_id=statement["id"],
        user=user,
        verb=kwargs["verb"],
        data=statement,
    )
    if lrs_configured():
        transaction.on_commit(_enqueue_forwarding)
    return stored


def lrs_configured() -> bool:
    return bool(getattr(settings, "SECU4ALL_LRS_ENDPOINT", ""))


def _enqueue_forwarding(run_after: datetime | None = None) -> None:
    from secu4all.training.tasks import forward_statements

    try:
        task = forward_statements
        if run_after is not None and task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        task.enqueue()
    except Exception:  # the statements stay pending; the next run or `xapi forward` sends them
        log.exception("could not enqueue the forwarding of learning records")


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
