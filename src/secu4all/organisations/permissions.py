"""Who may do what: the one registry of named permissions and the roles that hold them.

Pages (``access.permission_required``), API endpoints (``api.permissions``), the navigation
and services all ask for a permission by name; none of them lists roles. To change who may
do something, change it here.

A permission can depend on the kind of organisation as well as the role: in a municipality
the partner role is a guest account for an outside partner, which makes its holder none of
the municipality's own people in a partnership.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q
from django.http import HttpRequest

from secu4all.organisations.models import Membership, Organisation, OrganisationKind, Role


class Permission(StrEnum):
    VIEW_CRIME = "view_crime"
    IMPORT_CRIME = "import_crime"
    ASSESS_SITES = "assess_sites"
    VIEW_PERCEIVED_SAFETY = "view_perceived_safety"
    RUN_SURVEYS = "run_surveys"
    VIEW_NEIGHBOURHOODS = "view_neighbourhoods"
    JOIN_PARTNERSHIPS = "join_partnerships"
    LEAD_PARTNERSHIP = "lead_partnership"
    LEARN = "learn"
    TRAIN_COHORTS = "train_cohorts"
    MANAGE_ORGANISATION = "manage_organisation"


ANALYSTS = frozenset({Role.ANALYST, Role.SECURITY_ADVISER, Role.ORG_ADMIN})
ADVISERS = frozenset({Role.SECURITY_ADVISER, Role.ORG_ADMIN})

# Learners, trainers and analysts have no need to know what partners share.
ROLES: dict[Permission, frozenset[str]] = {
    Permission.VIEW_CRIME: ANALYSTS,
    Permission.IMPORT_CRIME: frozenset({Role.ANALYST, Role.ORG_ADMIN}),
    Permission.ASSESS_SITES: ADVISERS,
    Permission.VIEW_PERCEIVED_SAFETY: ANALYSTS,
    Permission.RUN_SURVEYS: ADVISERS,
    Permission.VIEW_NEIGHBOURHOODS: ANALYSTS,
    Permission.JOIN_PARTNERSHIPS: ADVISERS | {Role.PARTNER},
    Permission.LEAD_PARTNERSHIP: ADVISERS,
    Permission.LEARN: frozenset(Role.values),
    Permission.TRAIN_COHORTS: frozenset({Role.TRAINER, Role.ORG_ADMIN}),
    Permission.MANAGE_ORGANISATION: frozenset({Role.ORG_ADMIN}),
}

# Roles that hold a permission only outside a municipality (see the module's docstring).
NOT_IN_MUNICIPALITIES: dict[Permission, frozenset[str]] = {
    Permission.JOIN_PARTNERSHIPS: frozenset({Role.PARTNER}),
}


def roles_with(permission: Permission, organisation: Organisation | None = None) -> frozenset[str]:
    """The roles holding ``permission`` in ``organisation`` (with none: in any organisation)."""
    roles = ROLES[permission]
    if organisation is not None and organisation.kind == OrganisationKind.MUNICIPALITY:
        roles = roles - NOT_IN_MUNICIPALITIES.get(permission, frozenset())
    return roles


def permissions_of(*, organisation: Organisation, roles: frozenset[str]) -> frozenset[Permission]:
    """Every permission that someone holding ``roles`` in ``organisation`` has there."""
    return frozenset(p for p in Permission if roles & roles_with(p, organisation))


def has_permission(request: HttpRequest, permission: Permission) -> bool:
    """Whether the request's user holds ``permission`` in the URL's organisation."""
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return False
    return bool(request.roles & roles_with(permission, organisation))


def user_has_permission(
    *, user: AbstractBaseUser, organisation: Organisation, permission: Permission
) -> bool:
    if not user.is_authenticated:
        return False
    return (
        Membership.objects.with_scope(organisation=organisation)
        .filter(user=user, role__in=roles_with(permission, organisation))
        .exists()
    )


def membership_filter(permission: Permission) -> Q:
    """Memberships (in any organisation) that give ``permission``, as a query filter."""
    condition = Q(role__in=ROLES[permission] - NOT_IN_MUNICIPALITIES.get(permission, frozenset()))
    outside = NOT_IN_MUNICIPALITIES.get(permission)
    if outside:
        condition |= Q(role__in=outside) & ~Q(organisation__kind=OrganisationKind.MUNICIPALITY)
    return condition
