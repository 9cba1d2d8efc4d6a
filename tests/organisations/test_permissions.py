"""The permission registry: one answer to "who may do what", the same on pages, in the API
and in the navigation."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from secu4all.organisations.models import Role
from secu4all.organisations.permissions import (
    ROLES,
    Permission,
    permissions_of,
    roles_with,
    user_has_permission,
)
from secu4all.shell.capabilities import CAPABILITIES

pytestmark = pytest.mark.django_db


def token_header(user) -> dict[str, str]:
    token, _created = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


def test_every_permission_has_holders_and_the_admin_holds_them_all() -> None:
    assert set(ROLES) == set(Permission)
    for permission in Permission:
        assert ROLES[permission], permission
        assert Role.ORG_ADMIN in roles_with(permission), permission


def test_a_partner_account_in_a_municipality_is_a_guest_not_a_partnership_member(
    make_organisation, make_member
) -> None:
    town = make_organisation("town")
    police = make_organisation("police", kind="police")
    guest = make_member(town, Role.PARTNER)
    officer = make_member(police, Role.PARTNER)
    assert not user_has_permission(
        user=guest, organisation=town, permission=Permission.JOIN_PARTNERSHIPS
    )
    assert user_has_permission(
        user=officer, organisation=police, permission=Permission.JOIN_PARTNERSHIPS
    )
    assert Permission.JOIN_PARTNERSHIPS not in permissions_of(
        organisation=town, roles=frozenset({Role.PARTNER})
    )


@pytest.mark.parametrize("role", [Role.LEARNER, Role.PARTNER, Role.TRAINER, Role.ANALYST])
def test_the_member_list_is_for_admins_only_on_the_api_as_on_the_page(
    client, havenstad, make_member, role
) -> None:
    """A learner or a partner's guest must not read every staff member's name and roles."""
    make_member(havenstad, Role.SECURITY_ADVISER, username="adviser-with-a-name")
    reader = make_member(havenstad, role)
    api = client.get(f"/api/v1/organisations/{havenstad.slug}/members/", **token_header(reader))
    assert api.status_code == 403
    assert b"adviser-with-a-name" not in api.content
    assert "Organisation admin" in api.json()["detail"]
    client.force_login(reader)
    page = client.get(reverse("organisations:members", kwargs={"org_slug": havenstad.slug}))
    assert page.status_code == 403


def test_page_api_and_navigation_agree_for_every_role(client, havenstad, make_member) -> None:
    """The crime overview page, the incidents API and the navigation give one answer."""
    crime = next(c for c in CAPABILITIES if c.slug == "crime")
    for role in Role.values:
        member = make_member(havenstad, role)
        allowed = Role(role) in roles_with(Permission.VIEW_CRIME, havenstad)
        client.force_login(member)
        page = client.get(reverse("incidents:overview", kwargs={"org_slug": havenstad.slug}))
        api = client.get(f"/api/v1/organisations/{havenstad.slug}/incidents/")
        assert (page.status_code == 200) == allowed, role
        assert (api.status_code == 200) == allowed, role
        assert crime.opens_for(havenstad, frozenset({role})) == allowed, role
        client.logout()
