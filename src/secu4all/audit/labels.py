"""How an audit event's object and refusal reason are named to a reader, in the reader's language.

An event stores its object as a type label (``assessments.site``), an id and the title it had
when it was written, in the writer's language. A data-protection officer needs "Site: Market
Square", so the type is named by the model's translated ``verbose_name`` (or, for a page that is
no single row, by a name kept here), and the object by its title as it is now; an object that
no longer exists keeps the title it had and says that it is gone.

Objects are looked up by type and id through Django's app registry, as Django's own admin log
does (``LogEntry.get_edited_object``): the log names rows of every app, and an app below them
all cannot import their selectors. Only rows of the log's own organisation are named this way;
a type under a disclosure policy (``audit.disclosure``) keeps the label its policy gives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secu4all.audit import disclosure
from secu4all.audit.models import AuditEvent, AuditOutcome
from secu4all.common.forms import KEY_RANGE

# Audited reads of a page or an analysis rather than of one row: their type names no model.
PAGE_TYPES: dict[str, Promise] = {
    "audit.auditevent": gettext_lazy("Audit log"),
    "incidents.overview": gettext_lazy("Crime overview"),
    "incidents.hotspots": gettext_lazy("Hotspot map"),
    "incidents.table": gettext_lazy("Crime table"),
    "incidents.near_repeats": gettext_lazy("Near repeats"),
    "incidents.area": gettext_lazy("Neighbourhoods"),
    "partnerships.search": gettext_lazy("Search in partnerships"),
    "training.reviewqueue": gettext_lazy("Review queue"),
    "training.itemstatistics": gettext_lazy("Item statistics"),
}

# The reasons refusals are written with (``audit_refusal(reason=...)``), as a reader reads them.
REFUSAL_REASONS: dict[str, Promise] = {
    "role": gettext_lazy("no role that opens it"),
    "tlp": gettext_lazy("its TLP label does not allow it"),
    "not a partner": gettext_lazy("not a partner in this partnership"),
    "not the lead": gettext_lazy("not the lead of this partnership"),
    "community, not a partner": gettext_lazy("in the community, not a partner"),
    "no such item": gettext_lazy("no such item"),
    "no such record in this partnership": gettext_lazy("no such record in this partnership"),
    "not the owner": gettext_lazy("not the owner"),
}


def _model(object_type: str) -> type[Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    """The kind of object in the reader's language: "Site", "Crime overview"; "Record" for a
    type the platform no longer has (its stored title still shows)."""
    if object_type in PAGE_TYPES:
        return str(PAGE_TYPES[object_type])
    model = _model(object_type)
    if model is None:
        return _("Record")
    return str(capfirst(model._meta.verbose_name))


def refusal_reason(reason: str) -> str:
    """A refusal's stored reason as the reader reads it ("label RED" is a TLP label)."""
    if reason in REFUSAL_REASONS:
        return str(REFUSAL_REASONS[reason])
    if reason.startswith("label "):
        return _("its TLP label (%(label)s) does not allow it") % {
            "label": reason.removeprefix("label ").upper()
        }
    return reason


def _keys(model: type[Model], values: Iterable[str]) -> list[object]:
    """The ``values`` the model's key can hold; any other names no row of it."""
    keys = []
    for value in values:
        try:
            key = model._meta.pk.to_python(value)
        except ValidationError:
            continue
        if isinstance(key, int) and key not in KEY_RANGE:
            continue
        keys.append(key)
    return keys


def _current_titles(organisation: Model, events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """The title of each (type, id) of ``events`` that still exists, one query per type."""
    ids: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.object_id and not disclosure.is_guarded(event.object_type):
            ids[event.object_type].add(event.object_id)
    titles: dict[tuple[str, str], str] = {}
    for object_type, wanted in ids.items():
        model = _model(object_type)
        if model is None or object_type in PAGE_TYPES:
            continue
        # A title often names its parent (a membership its person): joined, not one query each.
        parents = [f.name for f in model._meta.fields if f.is_relation and f.many_to_one]
        rows = model._base_manager.filter(pk__in=_keys(model, wanted)).select_related(*parents)
        if any(f.name == "organisation" for f in model._meta.fields):
            # The log's own tenant only; the _base_manager is not scoped.
            rows = rows.filter(organisation=organisation)
        elif model is type(organisation):
            rows = rows.filter(pk=organisation.pk)
        for row in rows:
            titles[(object_type, str(row.pk))] = str(row)[:200]
    return titles


def label_events(*, organisation: Model, events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Set on each of ``events`` (already disclosed, ``audit.disclosure``): ``type_label``,
    ``object_label`` (the title now, or as written), ``object_gone`` (it no longer exists),
    ``label`` ("Site: Market Square") and ``refusal`` (the reason, or "")."""
    events = list(events)
    titles = _current_titles(organisation, events)
    for event in events:
        event.type_label = type_label(event.object_type)
        refused = event.outcome == AuditOutcome.REFUSED
        reason = str((event.detail or {}).get("reason", "")) if refused else ""
        event.refusal = refusal_reason(reason) if reason else ""
        event.object_gone = False
        # A guarded type's title is what its disclosure policy lets this reader see (a search
        # shows its query only to who may read all it found), page or not.
        if disclosure.is_guarded(event.object_type):
            title = event.shown_repr
        elif event.object_type in PAGE_TYPES:
            title = ""
        elif event.object_id and _model(event.object_type) is not None:
            title = titles.get((event.object_type, event.object_id), "")
            if not title:
                event.object_gone = True
                # A refusal's stored title is its reason, never the object's.
                title = "" if refused else event.shown_repr
        else:
            title = "" if refused else event.shown_repr
        event.object_label = title
        event.label = (
            _("%(type)s: %(title)s") % {"type": event.type_label, "title": title}
            if title
            else event.type_label
        )
    return events
