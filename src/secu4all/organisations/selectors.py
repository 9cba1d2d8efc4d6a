"""Reading organisations, memberships and roles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from pmtiles.tile import MagicNumberNotFound, SpecVersionUnsupported, deserialize_header

from secu4all.organisations.models import (
    DataVersion,
    Membership,
    MembershipInvitation,
    Organisation,
    Role,
)


def organisation_list_for_user(*, user: AbstractBaseUser) -> QuerySet[Organisation]:
    """The organisations a user belongs to; nothing for an anonymous user."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(membership__user=user).distinct()


def organisation_for_member(*, user: AbstractBaseUser, slug: str) -> Organisation | None:
    """The organisation with this slug if the user belongs to it, else None.

    A non-member gets the same answer for an organisation that exists and one that
    does not, so slugs cannot be probed.
    """
    return organisation_list_for_user(user=user).filter(slug=slug).first()


def roles_of(*, user: AbstractBaseUser, organisation: Organisation) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    return frozenset(
        Membership.objects.with_scope(organisation=organisation)
        .filter(user=user)
        .values_list("role", flat=True)
    )


def admin_names(*, organisation: Organisation) -> list[str]:
    """The organisation's admins as a member would address them: full name, else username."""
    admins = (
        Membership.objects.with_scope(organisation=organisation)
        .filter(role=Role.ORG_ADMIN)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    return [m.user.get_full_name() or m.user.get_username() for m in admins]


def roles_by_organisation(*, user: AbstractBaseUser) -> dict[int, list[str]]:
    """The user's own roles in each of their organisations, by organisation id."""
    roles: dict[int, list[str]] = {}
    if not user.is_authenticated:
        return roles
    memberships = Membership.objects.with_scopes_disabled().filter(user=user)
    for organisation_id, role in memberships.values_list("organisation_id", "role"):
        roles.setdefault(organisation_id, []).append(role)
    return roles


@dataclass(frozen=True)
class Member:
    user_id: int
    username: str
    full_name: str
    email: str
    memberships: tuple[Membership, ...]

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(m.role for m in self.memberships)


def member_list(*, organisation: Organisation) -> list[Member]:
    """Members of one organisation, each with all their roles."""
    grouped: dict[int, list[Membership]] = {}
    memberships = (
        Membership.objects.with_scope(organisation=organisation)
        .select_related("user")
        .order_by("user__username", "role")
    )
    for membership in memberships:
        grouped.setdefault(membership.user_id, []).append(membership)
    return [
        Member(
            user_id=user_id,
            username=items[0].user.get_username(),
            full_name=items[0].user.get_full_name(),
            email=items[0].user.email,
            memberships=tuple(items),
        )
        for user_id, items in grouped.items()
    ]


def requires_two_factor(*, user: AbstractBaseUser) -> bool:
    """Whether any organisation of the user demands two factors for one of the user's roles."""
    if not user.is_authenticated:
        return False
    return (
        Membership.objects.with_scopes_disabled()
        .filter(
            user=user,
            organisation__require_two_factor=True,
            role__in=[Role.SECURITY_ADVISER, Role.ORG_ADMIN],
        )
        .exists()
    )


def membership_invitation_list_for_user(
    *, user: AbstractBaseUser
) -> QuerySet[MembershipInvitation]:
    """The invitations waiting for this user's answer, across organisations."""
    if not user.is_authenticated:
        return MembershipInvitation.objects.none()
    return (
        MembershipInvitation.objects.with_scopes_disabled()
        .filter(user=user)
        .select_related("organisation", "invited_by")
    )


@dataclass(frozen=True)
class BaseMap:
    """An organisation's base map: where its archive is and what it covers."""

    path: Path
    attribution: str
    public: bool
    # [[south, west], [north, east]] in degrees, as Leaflet takes them.
    bounds: list[list[float]]
    min_zoom: int
    max_zoom: int


def base_map_of(*, organisation: Organisation) -> BaseMap | None:
    """The organisation's base map, or None when it has none or its archive is missing."""
    if not organisation.base_map:
        return None
    path = Path(settings.BASE_MAP_ROOT) / organisation.base_map
    try:
        with path.open("rb") as handle:
            header = deserialize_header(handle.read(127))
    except (OSError, ValueError, MagicNumberNotFound, SpecVersionUnsupported):
        return None
    return BaseMap(
        path=path,
        attribution=organisation.base_map_attribution,
        public=organisation.base_map_public,
        bounds=[
            [header["min_lat_e7"] / 1e7, header["min_lon_e7"] / 1e7],
            [header["max_lat_e7"] / 1e7, header["max_lon_e7"] / 1e7],
        ],
        min_zoom=header["min_zoom"],
        max_zoom=header["max_zoom"],
    )


def organisation_with_public_base_map(*, slug: str) -> Organisation | None:
    """The organisation called ``slug`` if it opened its base map to everyone."""
    return Organisation.objects.filter(slug=slug, base_map_public=True).first()


def organisation_names_by_user(*, user_ids: Iterable[int]) -> dict[int, list[str]]:
    """The names of the organisations each of ``user_ids`` is a member of now, by user id:
    who someone in an audit log works for (a partner reads the host's items)."""
    names: dict[int, set[str]] = {}
    memberships = Membership.objects.with_scopes_disabled().filter(user_id__in=set(user_ids))
    for user_id, name in memberships.values_list("user_id", "organisation__name").distinct():
        names.setdefault(user_id, set()).add(name)
    return {user_id: sorted(found, key=str.casefold) for user_id, found in names.items()}


def data_version(*, organisation: Organisation | int, topic: str) -> int:
    """The organisation's version of ``topic``: 0 until its first change (see
    ``services.data_changed``)."""
    found = (
        DataVersion.objects.with_scope(organisation=organisation)
        .filter(topic=topic)
        .values_list("version", flat=True)
        .first()
    )
    return found or 0
