"""The one access policy for shared items under Traffic Light Protocol 2.0 (FIRST, 2022).

``can_read`` (one item, in Python) and ``readable_items`` (a queryset) state the same rule;
every page, the API, search, exports, attachment downloads and alert e-mails use one of them,
and ``tests/partnerships/test_policy.py`` proves they agree for every label, role and
organisation.

The rule, after https://www.first.org/tlp/ (TLP 2.0, August 2022):

* A user belongs to an organisation for this policy when they hold one of
  ``PARTNERSHIP_ROLES`` in it — except that the partner role in a municipality is a guest
  account the municipality gives an outside partner: it does not make them one of the
  municipality's people (they read as members of their own organisation).
* Only organisations that are in the partnership now (the lead, the active members and the
  community it defines) count; a partner that left loses every non-CLEAR item at once.
* TLP:CLEAR — anyone signed in.
* TLP:GREEN — the partnership's community: its lead, active members and community members.
* TLP:AMBER — members of the recipient organisations, of the source organisation, and of the
  clients the sharer named.
* TLP:AMBER+STRICT — members of the recipient organisations and of the source organisation.
* TLP:RED — only the users named as recipients.
* The user who shared an item always reads it while their organisation is in the partnership.
* Anything else (no label, an unknown label, an anonymous user) is refused.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from secu4all.audit.disclosure import Disclosure
from secu4all.audit.models import AuditEvent
from secu4all.common.tlp import TLP_WIDTH, Tlp
from secu4all.organisations.models import Organisation, Role
from secu4all.partnerships.models import Alert, Partnership, SharedItem
from secu4all.partnerships.roles import (
    PARTNERSHIP_ROLES,
    STAFF_ROLES,
    member_roles_filter,
    roles_for,
)
from secu4all.partnerships.selectors import (
    holds_role,
    partnership_organisation_ids,
    user_organisation_ids,
)

__all__ = [
    "AUDIT_PRIVATE_DETAIL",
    "PARTNERSHIP_ROLES",
    "STAFF_ROLES",
    "audit_disclosures",
    "audit_hidden_label",
    "audit_search_disclosures",
    "can_read",
    "can_relabel",
    "is_owner",
    "member_roles_filter",
    "partnership_organisation_ids",
    "readable_items",
    "roles_for",
    "user_organisation_ids",
    "widens",
]


def _inside(user: AbstractBaseUser, partnership: Partnership) -> frozenset[int]:
    """The user's organisations that are in the partnership now."""
    return user_organisation_ids(user) & partnership_organisation_ids(partnership)


def can_read(user: AbstractBaseUser, item: SharedItem) -> bool:
    """Whether ``user`` may read ``item`` (and its attachment) under its TLP label."""
    if not user.is_authenticated or item.tlp not in Tlp.values:
        return False
    if item.tlp == Tlp.CLEAR:
        return True
    inside = _inside(user, item.partnership)
    if not inside:
        return False
    if item.owner_id is not None and item.owner_id == user.pk:
        return True
    # Users and organisations are not tenant-scoped: these reads need no lifted scope.
    if item.tlp == Tlp.RED:
        return item.recipient_users.filter(pk=user.pk).exists()
    source = {item.owner_organisation_id}
    recipients = set(item.recipient_organisations.values_list("id", flat=True))
    if item.tlp == Tlp.AMBER_STRICT:
        return bool(inside & (source | recipients))
    if item.tlp == Tlp.AMBER:
        clients = set(item.client_organisations.values_list("id", flat=True))
        return bool(inside & (source | recipients | clients))
    return item.tlp == Tlp.GREEN


def readable_items(user: AbstractBaseUser, partnership: Partnership) -> QuerySet[SharedItem]:
    """The partnership's items ``user`` may read: ``can_read`` as one query."""
    items = SharedItem.objects.with_scope(organisation=partnership.organisation).filter(
        partnership=partnership
    )
    if not user.is_authenticated:
        return items.none()
    allowed = Q(tlp=Tlp.CLEAR)
    inside = _inside(user, partnership)
    if inside:
        # Sub-queries on the (unscoped) link tables, not joins, so an item is never
        # repeated once per recipient.
        through = SharedItem.recipient_organisations.through.objects
        to_recipient = through.filter(organisation_id__in=inside).values("shareditem_id")
        client_through = SharedItem.client_organisations.through.objects
        to_client = client_through.filter(organisation_id__in=inside).values("shareditem_id")
        named = SharedItem.recipient_users.through.objects.filter(user_id=user.pk).values(
            "shareditem_id"
        )
        from_source = Q(owner_organisation_id__in=inside)
        allowed |= (
            Q(owner_id=user.pk, tlp__in=Tlp.values)
            | Q(tlp=Tlp.GREEN)
            | Q(tlp=Tlp.RED, pk__in=named)
            | Q(tlp=Tlp.AMBER_STRICT) & (from_source | Q(pk__in=to_recipient))
            | Q(tlp=Tlp.AMBER) & (from_source | Q(pk__in=to_recipient) | Q(pk__in=to_client))
        )
    return items.filter(allowed)


def is_owner(user: AbstractBaseUser, item: SharedItem) -> bool:
    """The sharer, or an admin of the source organisation (which inherits items of a leaver)."""
    if not user.is_authenticated:
        return False
    if item.owner_id is not None and item.owner_id == user.pk:
        return True
    return holds_role(user=user, organisation_id=item.owner_organisation_id, role=Role.ORG_ADMIN)


def can_relabel(user: AbstractBaseUser, item: SharedItem, new_label: str) -> bool:
    """Only the owner changes a label, lowering it included; anyone else is refused."""
    return new_label in Tlp.values and can_read(user, item) and is_owner(user, item)


def widens(old_label: str, new_label: str) -> bool:
    return TLP_WIDTH[Tlp(new_label)] > TLP_WIDTH[Tlp(old_label)]


# Detail keys of audit events about an item that name who it went to: shown with the item only.
AUDIT_PRIVATE_DETAIL = ("recipients", "organisations", "clients", "recipient_users", "title")


def _unreadable_label(label: str) -> str:
    return _("a %(label)s item") % {"label": label}


def _with_outcome(event: AuditEvent, label: str) -> str:
    """A refusal says so, with its reason (which names labels and rules, never titles)."""
    if (event.detail or {}).get("outcome") != "refused":
        return label
    return _("%(object)s — refused: %(reason)s") % {
        "object": label,
        "reason": event.detail.get("reason", ""),
    }


def audit_hidden_label(event: AuditEvent) -> str:
    """An event about an item that no longer exists: at most the label it was recorded with."""
    recorded = (event.detail or {}).get("tlp")
    if isinstance(recorded, list) and recorded:
        recorded = recorded[-1]
    if recorded in Tlp.values:
        return _with_outcome(event, _unreadable_label(recorded))
    return _with_outcome(event, _("a shared item"))


def audit_disclosures(
    reader: AbstractBaseUser, organisation: Organisation, events: list[AuditEvent]
) -> dict[int, Disclosure]:
    """How the audit log names shared items (or their alerts) to ``reader``: the title only
    when ``readable_items`` lets them read the item now, else its label alone."""
    item_of_event: dict[int, int] = {}
    alert_ids = {int(e.object_id) for e in events if e.object_type == "partnerships.alert"}
    alerts = dict(
        Alert.objects.with_scope(organisation=organisation)
        .filter(pk__in=alert_ids)
        .values_list("pk", "item_id")
    )
    for event in events:
        if not event.object_id.isdigit():
            continue
        object_id = int(event.object_id)
        item_id = alerts.get(object_id) if event.object_type == "partnerships.alert" else object_id
        if item_id is not None:
            item_of_event[event.pk] = item_id
    items = {
        item.pk: item
        for item in SharedItem.objects.with_scope(organisation=organisation)
        .filter(pk__in=set(item_of_event.values()))
        .select_related("partnership")
    }
    by_partnership: dict[Partnership, set[int]] = defaultdict(set)
    for item in items.values():
        by_partnership[item.partnership].add(item.pk)
    readable: set[int] = set()
    for partnership, ids in by_partnership.items():
        readable |= set(
            readable_items(reader, partnership).filter(pk__in=ids).values_list("pk", flat=True)
        )
    decided = {}
    for event in events:
        item = items.get(item_of_event.get(event.pk))
        if item is None:
            continue
        label = str(item) if item.pk in readable else _unreadable_label(item.tlp)
        decided[event.pk] = Disclosure(
            label=_with_outcome(event, label), readable=item.pk in readable
        )
    return decided


# A search matched the words of its query against the items it found: the query says what
# they contain, so it is shown only to a reader who may read every item found.
AUDIT_SEARCH_PRIVATE_DETAIL = ("query", "items")


def audit_search_hidden_label(event: AuditEvent) -> str:
    return _("a search in shared items")


def audit_search_disclosures(
    reader: AbstractBaseUser, organisation: Organisation, events: list[AuditEvent]
) -> dict[int, Disclosure]:
    """How the audit log shows searches to ``reader``: the query and what it found only when
    ``readable_items`` lets them read every item found."""
    wanted = {
        pk
        for event in events
        for pk in (event.detail or {}).get("items", [])
        if isinstance(pk, int)
    }
    # The items found may be hosted by other organisations' partnerships.
    with scopes_disabled():
        items = list(SharedItem.objects.filter(pk__in=wanted).select_related("partnership"))
        by_partnership: dict[Partnership, set[int]] = defaultdict(set)
        for item in items:
            by_partnership[item.partnership].add(item.pk)
        readable: set[int] = set()
        for partnership, ids in by_partnership.items():
            readable |= set(
                readable_items(reader, partnership).filter(pk__in=ids).values_list("pk", flat=True)
            )
    decided = {}
    for event in events:
        detail = event.detail or {}
        found = detail.get("items", [])
        if not isinstance(found, list) or not all(pk in readable for pk in found):
            continue
        query = str(detail.get("query", event.object_repr))
        decided[event.pk] = Disclosure(
            label=_("search: %(query)s") % {"query": query[:200]}, readable=True
        )
    return decided
