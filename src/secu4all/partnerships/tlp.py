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

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q, QuerySet

from secu4all.organisations.models import Role
from secu4all.partnerships.models import TLP_WIDTH, Partnership, SharedItem, Tlp
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
    "PARTNERSHIP_ROLES",
    "STAFF_ROLES",
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
