"""Results too costly for a request, computed once in a background task and cached.

A *kind* of result (near repeats, a local Moran surface, ...) registers two functions: one
that reads the current version of its data, and one that computes the result from plain
parameters. A page asks for ``result(kind, scope=..., params=..., version=...)``:

- cached for the current version: it is shown, and nothing is computed;
- not yet: a task computes it (queued once however many readers ask), and the page shows the
  previous result, marked as being recomputed, or says that it is being computed.

Every process shares the cache (the database by default, Redis at scale), so the Monte
Carlo behind a page runs once per change of the data, never in a request. A computation that
cannot be done (a ``ValueError``, e.g. too few incidents) is cached as its reason, so a page
says why instead of asking again. A cheap kind may be computed in the request (``inline``)
and is then only cached.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.utils import timezone, translation
from django_tasks import task

from secu4all.common.tasks import enqueue_or_explain

log = logging.getLogger(__name__)

T = TypeVar("T")

# A result stays in the cache this long; a new version of the data replaces it sooner.
RESULT_SECONDS = 30 * 24 * 3600
# A queued computation is asked for again after this long, in case its worker died.
QUEUED_SECONDS = 15 * 60


@dataclass(frozen=True)
class Computed(Generic[T]):
    """What a page can show of a result.

    ``value`` is None when nothing was computed yet, or when the result is that there is
    nothing to show (then ``computed_at`` is set); ``error`` says why it cannot be computed.
    ``current`` is False while a result of older data is shown; ``pending`` while a task is
    (re)computing it.
    """

    value: T | None
    error: str = ""
    computed_at: datetime | None = None
    current: bool = False
    pending: bool = False

    @property
    def ready(self) -> bool:
        return self.computed_at is not None


@dataclass(frozen=True)
class Kind:
    version: Callable[[int, dict[str, Any]], Hashable]
    compute: Callable[[int, dict[str, Any]], Any]


_KINDS: dict[str, Kind] = {}


def register(
    name: str,
    *,
    version: Callable[[int, dict[str, Any]], Hashable],
    compute: Callable[[int, dict[str, Any]], Any],
) -> None:
    """Make ``name`` computable: ``version(scope, params)`` reads the data's version and
    ``compute(scope, params)`` the result (raising ValueError with a reason for the reader).
    Registered when the app is ready, so a worker process knows every kind."""
    _KINDS[name] = Kind(version=version, compute=compute)


def _key(name: str, scope: int, params: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()
    return f"computed:{name}:{scope}:{digest[:32]}"


def _versioned(base: str, version: Hashable) -> str:
    digest = hashlib.sha256(repr(version).encode()).hexdigest()[:16]
    return f"{base}:v{digest}"


def result(name: str, *, scope: int, params: dict[str, Any], inline: bool = False) -> Computed[Any]:
    """The result of ``name`` for the data as it is now, or what can be shown meanwhile.

    ``params`` must be JSON (the task receives them); ``scope`` is the organisation's id.
    """
    kind = _KINDS[name]
    base = _key(name, scope, params)
    version = kind.version(scope, params)
    entry = cache.get(_versioned(base, version))
    if entry is None and inline:
        entry = _compute_and_store(name, scope, params)
    if entry is None and _schedule(name, base, scope, params, version):
        # A queue that runs tasks at once (the tests' immediate backend) has stored it.
        entry = cache.get(_versioned(base, version))
    if entry is not None:
        return _shown(entry, current=True)
    previous = cache.get(f"{base}:latest")
    if previous is not None:
        # Older data's result, while the current one is computed.
        return _shown(previous, current=False)
    return Computed(value=None, pending=True)


def _shown(entry: dict[str, Any], *, current: bool) -> Computed[Any]:
    return Computed(
        value=entry["value"],
        error=entry["error"],
        computed_at=entry["at"],
        current=current,
        pending=not current,
    )


def precompute(name: str, *, scope: int, params: dict[str, Any]) -> None:
    """Queue ``name`` for the current data unless it is cached or queued: called after the
    data changed, for the views most readers open first."""
    kind = _KINDS[name]
    base = _key(name, scope, params)
    version = kind.version(scope, params)
    if cache.get(_versioned(base, version)) is None:
        _schedule(name, base, scope, params, version)


def _schedule(name: str, base: str, scope: int, params: dict[str, Any], version: Hashable) -> bool:
    """Queue the computation once per version; False when the queue refused it (it is asked
    for again by the next reader)."""
    queued = _versioned(base, version) + ":queued"
    if not cache.add(queued, True, QUEUED_SECONDS):
        return True
    try:
        enqueue_or_explain(compute_result, name, scope, params, translation.get_language() or "en")
    except Exception:
        # No queue takes it: nothing is computed in the request; the next reader tries again.
        cache.delete(queued)
        log.exception("Could not queue the computation of %s", name)
        return False
    return True


def _compute_and_store(name: str, scope: int, params: dict[str, Any]) -> dict[str, Any]:
    kind = _KINDS[name]
    base = _key(name, scope, params)
    # The version is read before the data: a change during the computation raises it, and
    # the next reader asks for the newer result instead of taking this one as current.
    version = kind.version(scope, params)
    try:
        entry = {"value": kind.compute(scope, params), "error": ""}
    except ValueError as problem:
        entry = {"value": None, "error": str(problem)}
    entry["at"] = timezone.now()
    cache.set_many({_versioned(base, version): entry, f"{base}:latest": entry}, RESULT_SECONDS)
    cache.delete(_versioned(base, version) + ":queued")
    return entry


@task()
def compute_result(name: str, scope: int, params: dict[str, Any], language: str) -> None:
    """Compute and cache one result (see ``result``). A reason why it cannot be computed is
    worded in the language of the reader who asked first."""
    with translation.override(language):
        _compute_and_store(name, scope, params)
