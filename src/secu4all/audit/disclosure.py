"""What one reader of the audit log may see of each event's object: the log is no side channel.

An event names its object by type and id. For most objects the stored ``object_repr`` and
``detail`` are shown as written. A capability whose objects carry their own need-to-know
(a TLP-labelled shared item) registers a policy for that object type; the page, the CSV and
the API then show such an object's title, and the detail keys it declares private, only to
a reader the policy lets read the object, and to anyone else only what the policy allows
(e.g. "a TLP:RED item"). This is decided at reading time, from the object as it is now,
because events are append-only and rows written before a policy existed may hold titles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model

from secu4all.audit.models import AuditEvent


@dataclass(frozen=True)
class Disclosure:
    """How one object is shown to one reader: its label, and whether the private detail is."""

    label: str
    readable: bool


# (reader, the organisation whose log is read, events of the type) -> Disclosure per event
# id; an event the policy leaves out gets ``hidden``.
ObjectPolicy = Callable[[AbstractBaseUser, Model, list[AuditEvent]], dict[int, Disclosure]]


@dataclass(frozen=True)
class _Registered:
    policy: ObjectPolicy
    private_detail: frozenset[str]
    hidden: Callable[[AuditEvent], str]


_POLICIES: dict[str, _Registered] = {}


def register(
    object_type: str,
    policy: ObjectPolicy,
    *,
    private_detail: Iterable[str],
    hidden: Callable[[AuditEvent], str],
) -> None:
    """Put ``object_type`` under ``policy``; ``private_detail`` are the ``detail`` keys shown
    only with the object, ``hidden`` labels an event whose object the policy does not cover
    (e.g. one that no longer exists)."""
    _POLICIES[object_type] = _Registered(policy, frozenset(private_detail), hidden)


def is_guarded(object_type: str) -> bool:
    """Whether events about this type are stored by reference only (no title written)."""
    return object_type in _POLICIES


def disclose(*, reader: AbstractBaseUser, organisation: Model, events: list[AuditEvent]):
    """Set ``shown_repr`` and ``shown_detail`` on each of ``events`` for ``reader``.

    One policy call per object type in the batch: pass a page or a chunk, not the whole log.
    """
    by_type: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in events:
        event.shown_repr = event.object_repr
        event.shown_detail = event.detail
        if event.object_type in _POLICIES:
            by_type[event.object_type].append(event)
    for object_type, typed in by_type.items():
        registered = _POLICIES[object_type]
        decided = registered.policy(reader, organisation, typed)
        for event in typed:
            disclosure = decided.get(event.pk)
            if disclosure is not None and disclosure.readable:
                event.shown_repr = disclosure.label
                continue
            event.shown_repr = disclosure.label if disclosure else registered.hidden(event)
            event.shown_detail = {
                key: value
                for key, value in (event.detail or {}).items()
                if key not in registered.private_detail
            }
    return events
