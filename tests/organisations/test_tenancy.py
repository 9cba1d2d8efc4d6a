"""Through HTTP: a member of one municipality never reads or changes another's data."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import ScopeError, scopes_disabled

from secu4all.organisations.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_towns(havenstad, riverton, make_member):
    return {
        "h_admin": make_member(havenstad, "org-admin"),
        "h_learner": make_member(havenstad, "learner"),
        "r_admin": make_member(riverton, "org-admin"),
        "r_analyst": make_member(riverton, "analyst"),
    }


def riverton_membership(riverton) -> Membership:
    with scopes_disabled():
        return Membership.objects.get(organisation=riverton, role="analyst")


def test_unscoped_query_on_tenant_model_raises() -> None:
    with pytest.raises(ScopeError):
        list(Membership.objects.all())


@pytest.mark.parametrize("name", ["overview", "members", "settings", "audit_log"])
def test_other_organisations_pages_are_not_found(client, two_towns, riverton, name) -> None:
    client.force_login(two_towns["h_admin"])
    response = client.get(reverse(f"organisations:{name}", args=[riverton.slug]))
    assert response.status_code == 404
    assert b"Riverton" not in response.content


def test_unknown_and_foreign_slug_answer_alike(client, two_towns, riverton) -> None:
    client.force_login(two_towns["h_admin"])
    foreign = client.get(reverse("organisations:overview", args=[riverton.slug]))
    unknown = client.get(reverse("organisations:overview", args=["no-such-town"]))
    assert foreign.status_code == unknown.status_code == 404


def test_own_pages_are_served(client, two_towns, havenstad) -> None:
    client.force_login(two_towns["h_admin"])
    response = client.get(reverse("organisations:members", args=[havenstad.slug]))
    assert response.status_code == 200
    assert b"havenstad-learner" in response.content
    assert b"riverton-analyst" not in response.content


def test_forged_membership_id_cannot_remove_another_towns_member(
    client, two_towns, havenstad, riverton
) -> None:
    client.force_login(two_towns["h_admin"])
    target = riverton_membership(riverton)
    # The id is real, but it belongs to Riverton: through Havenstad's URL it does not exist.
    response = client.post(
        reverse("organisations:membership_delete", args=[havenstad.slug, target.pk])
    )
    assert response.status_code == 404
    with scopes_disabled():
        assert Membership.objects.filter(pk=target.pk).exists()


def test_forged_membership_id_through_foreign_slug(client, two_towns, riverton) -> None:
    client.force_login(two_towns["h_admin"])
    target = riverton_membership(riverton)
    response = client.post(
        reverse("organisations:membership_delete", args=[riverton.slug, target.pk])
    )
    assert response.status_code == 404
    with scopes_disabled():
        assert Membership.objects.filter(pk=target.pk).exists()


def test_admin_removes_own_member(client, two_towns, havenstad) -> None:
    client.force_login(two_towns["h_admin"])
    with scopes_disabled():
        target = Membership.objects.get(organisation=havenstad, role="learner")
    response = client.post(
        reverse("organisations:membership_delete", args=[havenstad.slug, target.pk])
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert not Membership.objects.filter(pk=target.pk).exists()


def test_last_admin_cannot_be_removed(client, two_towns, havenstad) -> None:
    client.force_login(two_towns["h_admin"])
    with scopes_disabled():
        target = Membership.objects.get(organisation=havenstad, role="org-admin")
    response = client.post(
        reverse("organisations:membership_delete", args=[havenstad.slug, target.pk]),
        follow=True,
    )
    assert "at least one admin" in response.content.decode()
    with scopes_disabled():
        assert Membership.objects.filter(pk=target.pk).exists()


def test_learner_may_not_manage_members(client, two_towns, havenstad) -> None:
    client.force_login(two_towns["h_learner"])
    response = client.get(reverse("organisations:members", args=[havenstad.slug]))
    assert response.status_code == 403
    assert "Organisation admin" in response.content.decode()


def test_anonymous_is_sent_to_login(client, havenstad) -> None:
    response = client.get(reverse("organisations:overview", args=[havenstad.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_admin_grants_role_to_existing_user(client, two_towns, havenstad) -> None:
    client.force_login(two_towns["h_admin"])
    response = client.post(
        reverse("organisations:members", args=[havenstad.slug]),
        {"username": "riverton-analyst", "role": "analyst"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Membership.objects.filter(
            organisation=havenstad, user=two_towns["r_analyst"], role="analyst"
        ).exists()


def test_grant_to_unknown_user_names_the_user(client, two_towns, havenstad) -> None:
    client.force_login(two_towns["h_admin"])
    response = client.post(
        reverse("organisations:members", args=[havenstad.slug]),
        {"username": "nobody-here", "role": "analyst"},
    )
    assert response.status_code == 200
    assert "There is no user called nobody-here." in response.content.decode()
