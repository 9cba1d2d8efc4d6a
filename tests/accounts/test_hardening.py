"""Issue 12: two-factor enrolment, recovery codes, API tokens, session and token together."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled
from rest_framework.authtoken.models import Token

from secu4all.audit.models import AuditEvent
from tests.support.accounts import current_code, login

pytestmark = pytest.mark.django_db


def token_header(user) -> dict[str, str]:
    token, _created = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


def enrol(client, user, django_capture_on_commit_callbacks) -> list[str]:
    """Turn on two factors from a fresh session; returns the recovery codes shown."""
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:two_factor_setup"), {"token": current_code(device)}
        )
    assert response.status_code == 200
    return response.context["codes"]


def test_password_only_session_cannot_enrol_a_new_device(client, havenstad, make_member) -> None:
    """Finding 12.1: with a confirmed device, the password alone opens no setup page."""
    user = make_member(havenstad, "analyst", username="ilze")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login(client, "ilze")
    response = client.get(reverse("accounts:two_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()
    # Nor can a forged POST with a code of a device the attacker made himself.
    attacker_device = TOTPDevice.objects.create(user=user, name="attacker", confirmed=False)
    client.post(reverse("accounts:two_factor_setup"), {"token": current_code(attacker_device)})
    attacker_device.refresh_from_db()
    assert not attacker_device.confirmed
    overview = reverse("organisations:overview", args=[havenstad.slug])
    assert client.get(overview).status_code == 302


def test_enrolment_gives_recovery_codes_audits_and_mails(
    client, havenstad, riverton, make_member, django_capture_on_commit_callbacks
) -> None:
    """Finding 12.1: enrolment shows recovery codes once, is audited in each organisation of the
    user, and mails the user."""
    user = make_member(havenstad, "analyst", username="ilze")
    make_member(riverton, "learner", username="ilze")
    login(client, "ilze")
    codes = enrol(client, user, django_capture_on_commit_callbacks)
    assert len(codes) == 10
    assert StaticDevice.objects.get(user=user).token_set.count() == 10
    with scopes_disabled():
        events = AuditEvent.objects.filter(detail__event="two-factor enrolled")
        assert {e.organisation.slug for e in events} == {"havenstad", "riverton"}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "turned on" in mail.outbox[0].body


def test_recovery_code_verifies_once_and_allows_replacing_the_device(
    client, havenstad, make_member, django_capture_on_commit_callbacks
) -> None:
    """Finding 12.1: a recovery code passes the second step once, then the device may be
    replaced; the replacement removes the old device, is audited and mailed."""
    user = make_member(havenstad, "analyst", username="ilze")
    login(client, "ilze")
    codes = enrol(client, user, django_capture_on_commit_callbacks)
    old_device = TOTPDevice.objects.get(user=user, confirmed=True)
    client.post(reverse("accounts:logout"))
    mail.outbox.clear()

    login(client, "ilze")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:two_factor_recovery"), {"code": codes[0]})
    assert response.status_code == 302
    assert "recovery code was used" in mail.outbox[0].body
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200
    new_device = TOTPDevice.objects.get(user=user, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:two_factor_setup"), {"token": current_code(new_device)})
    assert list(TOTPDevice.objects.filter(user=user, confirmed=True)) == [new_device]
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()
    with scopes_disabled():
        assert AuditEvent.objects.filter(detail__event="two-factor device replaced").exists()
        assert AuditEvent.objects.filter(detail__event="recovery code used").exists()
    assert "replaced the old one" in mail.outbox[-1].body

    # A spent code does not work a second time.
    client.post(reverse("accounts:logout"))
    login(client, "ilze")
    response = client.post(reverse("accounts:two_factor_recovery"), {"code": codes[0]})
    assert response.status_code == 200
    assert "not valid or was used already" in response.content.decode()


def test_recovery_codes_are_regenerated_only_from_a_verified_session(
    client, havenstad, make_member, django_capture_on_commit_callbacks
) -> None:
    """Finding 12.1: new recovery codes need the second factor; the old ones stop working."""
    user = make_member(havenstad, "analyst", username="ilze")
    login(client, "ilze")
    first = enrol(client, user, django_capture_on_commit_callbacks)
    response = client.post(reverse("accounts:recovery_codes"))
    second = response.context["codes"]
    assert set(first).isdisjoint(second)
    with scopes_disabled():
        assert AuditEvent.objects.filter(detail__event="recovery codes regenerated").exists()
    client.post(reverse("accounts:logout"))
    login(client, "ilze")
    # Password-only: the middleware sends the request to the second step first.
    response = client.post(reverse("accounts:recovery_codes"))
    assert response.status_code == 302
    assert set(StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True)) == (
        set(second)
    )


def test_expired_token_is_refused(client, havenstad, make_member, settings) -> None:
    """Finding 12.7: a token stops working API_TOKEN_MAX_AGE_DAYS after its creation."""
    user = make_member(havenstad, "analyst")
    header = token_header(user)
    assert client.get("/api/v1/", **header).status_code == 200
    Token.objects.filter(user=user).update(
        created=timezone.now() - timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS, seconds=1)
    )
    response = client.get("/api/v1/", **header)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_token_refused_while_required_two_factor_is_not_set_up(
    client, havenstad, make_member
) -> None:
    """Finding 12.7: a token does not bypass the organisation's two-factor requirement."""
    user = make_member(havenstad, "security-adviser")
    header = token_header(user)
    havenstad.require_two_factor = True
    havenstad.save()
    response = client.get(f"/api/v1/organisations/{havenstad.slug}/sites/", **header)
    assert response.status_code == 401
    assert "two-factor" in response.json()["detail"]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    assert client.get(f"/api/v1/organisations/{havenstad.slug}/sites/", **header).status_code == (
        200
    )


def test_enrolling_a_device_revokes_the_token_issued_without_it(
    client, havenstad, make_member, django_capture_on_commit_callbacks
) -> None:
    """Finding 12.7: a token made before the second factor existed dies with its enrolment."""
    user = make_member(havenstad, "analyst", username="ilze")
    header = token_header(user)
    login(client, "ilze")
    enrol(client, user, django_capture_on_commit_callbacks)
    client.logout()
    assert client.get("/api/v1/", **header).status_code == 401


def test_password_reset_and_change_revoke_the_token(client, havenstad, make_member) -> None:
    """Finding 12.7: a password reset or change revokes the API token."""
    import re

    user = make_member(havenstad, "analyst", username="ilze")
    header = token_header(user)
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"https?://\S+/reset/\S+/", mail.outbox[0].body).group(0)
    form_page = client.get(link.split("testserver", 1)[1], follow=True)
    new = "a new long passphrase 42"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert client.get("/api/v1/", **header).status_code == 401

    header = token_header(user)
    user.refresh_from_db()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": new, "new_password1": new + "x", "new_password2": new + "x"},
    )
    assert response.status_code == 302, response.content
    assert response["Location"] == reverse("accounts:api_token")
    client.logout()
    assert client.get("/api/v1/", **header).status_code == 401


def test_owner_sees_expiry_and_revokes_token(client, havenstad, make_member) -> None:
    """Finding 12.7: the owner's account page lists the token with its expiry and revokes it."""
    user = make_member(havenstad, "analyst")
    header = token_header(user)
    client.force_login(user)
    page = client.get(reverse("accounts:api_token"))
    assert page.context["expires_at"] == Token.objects.get(user=user).created + timedelta(days=90)
    client.post(reverse("accounts:api_token"), {"action": "revoke"})
    assert not Token.objects.filter(user=user).exists()
    client.post(reverse("accounts:api_token"))
    with scopes_disabled():
        events = set(AuditEvent.objects.values_list("detail__event", flat=True))
    assert {"API token revoked", "API token created"} <= events
    client.post(reverse("accounts:api_token"), {"action": "revoke"})
    client.logout()
    assert client.get("/api/v1/", **header).status_code == 401


def test_member_list_api_is_for_admins_only(client, havenstad, make_member) -> None:
    """Finding 12.12: a learner or partner does not read the staff list through the API."""
    admin = make_member(havenstad, "org-admin")
    url = f"/api/v1/organisations/{havenstad.slug}/members/"
    for role in ("learner", "partner", "analyst"):
        response = client.get(url, **token_header(make_member(havenstad, role)))
        assert response.status_code == 403, role
        assert b"org-admin" not in response.content
    assert client.get(url, **token_header(admin)).status_code == 200


def test_session_of_one_user_and_token_of_another_is_refused(
    client, havenstad, riverton, make_member
) -> None:
    """Finding 12.17: one authentication per request; a session and a token of two users
    are refused, not mixed."""
    h_admin = make_member(havenstad, "org-admin")
    r_admin = make_member(riverton, "org-admin")
    client.force_login(h_admin)
    header = token_header(r_admin)
    for url in (
        "/api/v1/organisations/",
        f"/api/v1/organisations/{havenstad.slug}/members/",
        f"/api/v1/organisations/{riverton.slug}/members/",
    ):
        response = client.get(url, **header)
        assert response.status_code == 401, url
        assert "one of them only" in response.json()["detail"]
    # The same user's session and token together are fine.
    assert client.get("/api/v1/organisations/", **token_header(h_admin)).status_code == 200


def test_django_admin_needs_a_second_factor(client, admin_user) -> None:
    """Finding 12.1 (same class): a superuser's password alone does not open Django's admin,
    which reaches every organisation."""
    client.force_login(admin_user)
    response = client.get("/admin/organisations/membership/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_setup")
    TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    response = client.get("/admin/organisations/membership/")
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
