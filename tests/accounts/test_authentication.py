"""Sign-in, lockout, password reset through the task queue, and two-factor authentication."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.support.accounts import current_code, login

pytestmark = pytest.mark.django_db


def test_argon2_is_the_first_hasher_in_base_settings() -> None:
    from secu4all.site.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_login_and_logout(client, havenstad, make_member) -> None:
    make_member(havenstad, "analyst", username="ilze")
    response = login(client, "ilze")
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].username == "ilze"
    client.post(reverse("accounts:logout"))
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_wrong_password_gets_a_clear_error(client, havenstad, make_member) -> None:
    make_member(havenstad, "analyst", username="ilze")
    response = login(client, "ilze", "wrong password")
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_lockout_after_repeated_failures(client, havenstad, make_member) -> None:
    make_member(havenstad, "analyst", username="ilze")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "ilze", "wrong password")
    # Even the right password is refused while the account is locked.
    response = login(client, "ilze")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_password_reset_mail_goes_through_task_queue(client, havenstad, make_member) -> None:
    user = make_member(havenstad, "analyst", username="ilze")
    response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a new long passphrase 42", "new_password2": "a new long passphrase 42"},
    )
    assert response.status_code == 302
    assert login(client, "ilze", "a new long passphrase 42").status_code == 302


def test_password_reset_for_unknown_address_sends_nothing(client, db) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_two_factor_is_required_by_organisation_policy(client, havenstad, make_member) -> None:
    havenstad.require_two_factor = True
    havenstad.save()
    user = make_member(havenstad, "security-adviser", username="bram")
    login(client, "bram")
    response = client.get(reverse("organisations:overview", args=[havenstad.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_setup")

    setup = client.get(reverse("accounts:two_factor_setup"))
    assert b"<svg" in setup.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("accounts:two_factor_setup"), {"token": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    response = client.get(reverse("organisations:overview", args=[havenstad.slug]))
    assert response.status_code == 200


def test_learner_is_not_forced_into_two_factor(client, havenstad, make_member) -> None:
    havenstad.require_two_factor = True
    havenstad.save()
    make_member(havenstad, "learner", username="luca")
    login(client, "luca")
    response = client.get(reverse("organisations:overview", args=[havenstad.slug]))
    assert response.status_code == 200


def test_user_with_device_must_enter_code_after_password(client, havenstad, make_member) -> None:
    user = make_member(havenstad, "analyst", username="ilze")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login(client, "ilze")
    overview = reverse("organisations:overview", args=[havenstad.slug])
    response = client.get(overview)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    response = client.post(
        reverse("accounts:two_factor_verify"), {"token": current_code(device), "next": overview}
    )
    assert response.status_code == 302
    assert response["Location"] == overview
    assert client.get(overview).status_code == 200


def test_two_factor_next_cannot_leave_the_site(client, havenstad, make_member) -> None:
    user = make_member(havenstad, "analyst", username="ilze")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login(client, "ilze")
    response = client.post(
        reverse("accounts:two_factor_verify"),
        {"token": current_code(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"


def test_wrong_code_is_refused_and_throttles_the_next_try(client, havenstad, make_member) -> None:
    user = make_member(havenstad, "analyst", username="ilze")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login(client, "ilze")
    response = client.post(reverse("accounts:two_factor_verify"), {"token": wrong_code(device)})
    assert "not valid" in response.content.decode()
    # Right after a failure even the right code waits: guessing six digits stays slow.
    response = client.post(reverse("accounts:two_factor_verify"), {"token": current_code(device)})
    assert response.status_code == 200
    assert "not valid" in response.content.decode()


def test_code_that_is_not_six_digits_is_named(client, havenstad, make_member) -> None:
    user = make_member(havenstad, "analyst", username="ilze")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login(client, "ilze")
    response = client.post(reverse("accounts:two_factor_verify"), {"token": "12ab56"})
    assert "The code has six digits." in response.content.decode()
