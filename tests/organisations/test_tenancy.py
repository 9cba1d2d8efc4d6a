"""Through HTTP: a member of one municipality never reads or changes another's data."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_scopes import ScopeError, scopes_disabled
from rest_framework.authtoken.models import Token

from secu4all.audit.models import AuditEvent
from secu4all.organisations.models import Membership, MembershipInvitation
from tests.support.people import PASSWORD

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


def test_admin_invites_existing_user_who_must_accept(client, two_towns, havenstad) -> None:
    """Finding 12.9: adding another tenant's user is an invitation; no role until accepted."""
    client.force_login(two_towns["h_admin"])
    response = client.post(
        reverse("organisations:members", args=[havenstad.slug]),
        {"identifier": "riverton-analyst", "role": "security-adviser"},
    )
    assert response.status_code == 302
    havenstad.require_two_factor = True
    havenstad.save()
    with scopes_disabled():
        assert not Membership.objects.filter(
            organisation=havenstad, user=two_towns["r_analyst"]
        ).exists()
    # The invited user is not yet bound by Havenstad's two-factor rule.
    client.force_login(two_towns["r_analyst"])
    assert client.get(reverse("home")).status_code == 200
    # Signing in shows the invitation; accepting it makes the membership.
    client.logout()
    response = client.post(
        reverse("accounts:login"), {"username": "riverton-analyst", "password": PASSWORD}
    )
    assert response["Location"].startswith(reverse("accounts:invitations"))
    page = client.get(response["Location"])
    (invitation,) = page.context["invitations"]
    assert "Gemeente Havenstad" in page.content.decode()
    client.post(reverse("accounts:invitations"), {"invitation": invitation.pk, "answer": "accept"})
    with scopes_disabled():
        assert Membership.objects.filter(
            organisation=havenstad, user=two_towns["r_analyst"], role="security-adviser"
        ).exists()
        assert AuditEvent.objects.filter(
            organisation=havenstad, detail__event="invitation accepted"
        ).exists()


def test_invited_user_may_decline(client, two_towns, havenstad) -> None:
    """Finding 12.9: a declined invitation leaves no membership and is audited."""
    client.force_login(two_towns["h_admin"])
    client.post(
        reverse("organisations:members", args=[havenstad.slug]),
        {"identifier": "riverton-analyst@example.org", "role": "analyst"},
    )
    client.force_login(two_towns["r_analyst"])
    (invitation,) = client.get(reverse("accounts:invitations")).context["invitations"]
    client.post(reverse("accounts:invitations"), {"invitation": invitation.pk, "answer": "decline"})
    assert client.get(reverse("accounts:invitations")).context["invitations"] == []
    with scopes_disabled():
        assert not Membership.objects.filter(
            organisation=havenstad, user=two_towns["r_analyst"]
        ).exists()
        assert AuditEvent.objects.filter(detail__event="invitation declined").exists()


def test_another_users_invitation_cannot_be_answered(client, two_towns, havenstad) -> None:
    """Finding 12.9: a forged invitation id of someone else changes nothing."""
    client.force_login(two_towns["h_admin"])
    client.post(
        reverse("organisations:members", args=[havenstad.slug]),
        {"identifier": "riverton-analyst", "role": "analyst"},
    )
    with scopes_disabled():
        invitation = MembershipInvitation.objects.get()
    client.force_login(two_towns["r_admin"])
    client.post(reverse("accounts:invitations"), {"invitation": invitation.pk, "answer": "accept"})
    with scopes_disabled():
        assert not Membership.objects.filter(organisation=havenstad, role="analyst").exists()
        assert MembershipInvitation.objects.filter(pk=invitation.pk).exists()


def test_invite_answers_alike_whether_the_user_exists_or_not(client, two_towns, havenstad) -> None:
    """Finding 12.9: the member form does not enumerate usernames."""
    client.force_login(two_towns["h_admin"])
    url = reverse("organisations:members", args=[havenstad.slug])
    answers = []
    for name in ("riverton-analyst", "nobody-here"):
        response = client.post(url, {"identifier": name, "role": "analyst"}, follow=True)
        page = re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode())
        answers.append(page.replace(name, "NAME"))
    assert answers[0] == answers[1]
    assert "has an account, they are invited" in answers[0]


def test_admin_revokes_a_members_api_token(client, two_towns, havenstad) -> None:
    """Finding 12.7: the organisation admin sees members' tokens and revokes one."""
    learner = two_towns["h_learner"]
    Token.objects.create(user=learner)
    client.force_login(two_towns["h_admin"])
    page = client.get(reverse("organisations:members", args=[havenstad.slug]))
    assert {m.username: t for m, t in page.context["members"]}["havenstad-learner"]
    client.post(reverse("organisations:member_api_token_revoke", args=[havenstad.slug, learner.pk]))
    assert not Token.objects.filter(user=learner).exists()
    # Another organisation's member is out of reach.
    Token.objects.create(user=two_towns["r_admin"])
    response = client.post(
        reverse(
            "organisations:member_api_token_revoke", args=[havenstad.slug, two_towns["r_admin"].pk]
        )
    )
    assert response.status_code == 404
    assert Token.objects.filter(user=two_towns["r_admin"]).exists()
