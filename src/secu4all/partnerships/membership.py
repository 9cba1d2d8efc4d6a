"""Who belongs where now: the membership reads the TLP policy and the selectors both stand on.

Below ``tlp`` and ``selectors`` (which import it, never the other way round), so the policy
needs nothing from the module that reads shared items through it. Someone is one of an
organisation's people for partnerships when they hold ``Permission.JOIN_PARTNERSHIPS`` there
(a partner-role guest of a municipality is not). Users, organisations and memberships are not
tenant-scoped in the partnership's sense: each read lifts the scope and filters explicitly
(one user, one partnership, or the organisations given).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q, QuerySet
from django_scopes import scopes_disabled

from secu4all.organisations.models import Organisation
from secu4all.organisations.permissions import Permission, membership_filter, roles_with
from secu4all.partnerships.models import Partnership


def people_of(*, organisation_ids: Iterable[int]) -> QuerySet:
    """Active users who are one of these organisations' people for partnerships."""
    people = Q(pk__in=[])
    with scopes_disabled():
        for organisation in Organisation.objects.filter(pk__in=list(organisation_ids)):
            people |= Q(
                memberships__organisation=organisation,
                memberships__role__in=roles_with(Permission.JOIN_PARTNERSHIPS, organisation),
            )
        user_ids = list(get_user_model().objects.filter(people).values_list("pk", flat=True))
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("username")


def user_organisation_ids(user: AbstractBaseUser) -> frozenset[int]:
    """Organisations of which the user is one of the people (``JOIN_PARTNERSHIPS`` there)."""
    if not user.is_authenticated:
        return frozenset()
    with scopes_disabled():
        return frozenset(
            user.memberships.filter(membership_filter(Permission.JOIN_PARTNERSHIPS)).values_list(
                "organisation_id", flat=True
            )
        )


def partnership_organisation_ids(partnership: Partnership) -> frozenset[int]:
    """The organisations in the partnership now: lead, active members, community."""
    with scopes_disabled():
        members = partnership.members.filter(left_on__isnull=True).values_list(
            "member_id", flat=True
        )
        community = partnership.community.values_list("id", flat=True)
        return frozenset({partnership.organisation_id, *members, *community})
