"""Learning records: build xAPI 1.0.3 statements, store them, and have them forwarded.

Every statement is validated before it is stored. When an LRS is configured, storing one
enqueues the forwarding task (``tasks.forward_statements``, which sends them with ``lrs``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from secu4all.common.tasks import enqueue_or_explain
from secu4all.engines.xapi import ADL_VERBS, VERSION, statement_errors
from secu4all.training.lrs import lrs_configured
from secu4all.training.models import XapiStatement
from secu4all.training.tasks import forward_statements

if TYPE_CHECKING:
    # Only named in annotations: no read of the organisations app's models.
    from secu4all.organisations.models import Organisation

log = logging.getLogger(__name__)

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


def _enqueue_forwarding() -> None:
    try:
        enqueue_or_explain(forward_statements)
    except Exception:  # the statements stay pending; the next run or `xapi forward` sends them
        log.exception("could not enqueue the forwarding of learning records")
