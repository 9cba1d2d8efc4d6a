"""Which roles make someone one of an organisation's people for partnerships."""

from __future__ import annotations

from django.db.models import Q

from secu4all.organisations.models import Organisation, OrganisationKind, Role

# Learners, trainers and analysts have no need to know what partners share.
PARTNERSHIP_ROLES = (Role.ORG_ADMIN, Role.SECURITY_ADVISER, Role.PARTNER)
STAFF_ROLES = (Role.ORG_ADMIN, Role.SECURITY_ADVISER)


def roles_for(organisation: Organisation) -> tuple[str, ...]:
    """The partner role in a municipality is a guest account for an outside partner: it does
    not make them one of the municipality's people."""
    if organisation.kind == OrganisationKind.MUNICIPALITY:
        return STAFF_ROLES
    return PARTNERSHIP_ROLES


def member_roles_filter() -> Q:
    """``roles_for`` as a filter on memberships."""
    return Q(role__in=STAFF_ROLES) | (
        Q(role=Role.PARTNER) & ~Q(organisation__kind=OrganisationKind.MUNICIPALITY)
    )
