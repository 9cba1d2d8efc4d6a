"""Who belongs where now: the membership reads the TLP policy and the selectors both stand on.

Below ``tlp`` and ``selectors`` (which import it, never the other way round), so the policy
needs nothing from the module that reads shared items through it. Users, organisations and
memberships are not tenant-scoped in the partnership's sense: each read lifts the scope and
filters explicitly (one user, one partnership, or the organisations given).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django_scopes import scopes_disabled

from secu4all.organisations.models import Membership
from secu4all.partnerships.models import Partnership
from secu4all.partnerships.roles import member_roles_filter


def people_of(*, organisation_ids: Iterable[int]) -> QuerySet:
    """Active users who are one of these organisations' people for partnerships."""
    with scopes_disabled():
        user_ids = list(
            Membership.objects.filter(
                member_roles_filter(), organisation_id__in=list(organisation_ids)
            ).values_list("user_id", flat=True)
        )
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("username")


def user_organisation_ids(user: AbstractBaseUser) -> frozenset[int]:
    """Organisations of which the user is one of the people (``roles.member_roles_filter``)."""
    if not user.is_authenticated:
        return frozenset()
    with scopes_disabled():
        return frozenset(
            Membership.objects.filter(member_roles_filter(), user=user).values_list(
                "organisation_id", flat=True
            )
        )


def holds_role(*, user: AbstractBaseUser, organisation_id: int, role: str) -> bool:
    with scopes_disabled():
        return Membership.objects.filter(
            user=user, organisation_id=organisation_id, role=role
        ).exists()


def partnership_organisation_ids(partnership: Partnership) -> frozenset[int]:
    """The organisations in the partnership now: lead, active members, community."""
    with scopes_disabled():
        members = partnership.members.filter(left_on__isnull=True).values_list(
            "member_id", flat=True
        )
        community = partnership.community.values_list("id", flat=True)
        return frozenset({partnership.organisation_id, *members, *community})
