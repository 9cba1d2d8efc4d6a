"""Finding 12.15: sign-in and reset back off per account and per network; idle sessions end."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse

from secu4all.accounts import throttling
from secu4all.accounts.middleware import RENEWED_KEY
from tests.support.people import PASSWORD

pytestmark = pytest.mark.django_db


def login_from(client, address: str, username: str, password: str = PASSWORD):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_failures_from_many_networks_still_hold_the_account(client, havenstad, make_member) -> None:
    """Finding 12.15: an account's failures count wherever they come from (not per address)."""
    make_member(havenstad, "analyst", username="ilze")
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        login_from(client, f"198.51.{attempt}.7", "ilze", "wrong password")
    response = login_from(client, "203.0.113.9", "ilze")
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 60
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_one_person_behind_a_nat_does_not_lock_out_the_others(
    client, havenstad, make_member
) -> None:
    """Finding 12.15: the network allowance is far larger than one account's."""
    make_member(havenstad, "analyst", username="ilze")
    make_member(havenstad, "analyst", username="bram")
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT + 2):
        login_from(client, "192.0.2.10", "ilze", "wrong password")
    assert login_from(client, "192.0.2.10", "bram").status_code == 302


def test_spraying_usernames_from_one_network_is_slowed(client, havenstad, make_member) -> None:
    """Finding 12.15: many usernames tried from one /24, from varying addresses, back off."""
    make_member(havenstad, "analyst", username="bram")
    allowance = settings.SECU4ALL_BACKOFF["sign-in-network"]["wait_from"]
    for attempt in range(allowance):
        login_from(client, f"192.0.2.{attempt % 250}", f"user{attempt}", "Summer2026!")
    response = login_from(client, "192.0.2.251", "bram")
    assert response.status_code == 429
    # Another network is not held back by it.
    assert login_from(client, "192.0.3.1", "bram").status_code == 302


def test_ipv6_clients_count_per_64() -> None:
    """Finding 12.15: an IPv6 client cannot escape by changing the low 64 bits."""
    from django.test import RequestFactory

    factory = RequestFactory()
    first = factory.get("/", REMOTE_ADDR="2001:db8:1:2::1")
    second = factory.get("/", REMOTE_ADDR="2001:db8:1:2:ffff:ffff:ffff:ffff")
    other = factory.get("/", REMOTE_ADDR="2001:db8:1:3::1")
    assert throttling.network_of(first) == throttling.network_of(second) == "2001:db8:1:2::/64"
    assert throttling.network_of(other) != throttling.network_of(first)
    assert throttling.network_of(factory.get("/", REMOTE_ADDR="::ffff:10.1.2.3")) == "10.1.2.0/24"


def test_the_wait_doubles_with_each_further_failure(
    client, havenstad, make_member, monkeypatch
) -> None:
    """Finding 12.15: exponential back-off, up to its ceiling."""
    make_member(havenstad, "analyst", username="ilze")
    now = [1_000_000.0]
    monkeypatch.setattr(throttling.time, "time", lambda: now[0])
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        login_from(client, "198.51.100.1", "ilze", "wrong password")
    waits = []
    for _round in range(8):
        response = login_from(client, "198.51.100.1", "ilze", "wrong password")
        waits.append(int(response["Retry-After"]))
        now[0] += waits[-1]
        login_from(client, "198.51.100.1", "ilze", "wrong password")
    assert waits[:4] == [60, 120, 240, 480]
    assert max(waits) == 3600
    # After the wait the right password gets in and clears the account's counter.
    now[0] += 3600
    assert login_from(client, "198.51.100.1", "ilze").status_code == 302


def test_password_reset_backs_off_per_account(client, havenstad, make_member) -> None:
    """Finding 12.15: reset mails for one account are limited (17 a minute before)."""
    user = make_member(havenstad, "analyst", username="ilze")
    statuses = [
        client.post(
            reverse("accounts:password_reset"), {"email": user.email}, REMOTE_ADDR=f"10.{i}.0.1"
        ).status_code
        for i in range(6)
    ]
    assert statuses == [302, 302, 302, 429, 429, 429]
    assert len(mail.outbox) == 3


def test_password_reset_backs_off_per_network(client, havenstad, make_member) -> None:
    """Finding 12.15: one network asking resets for many addresses is slowed too."""
    user = make_member(havenstad, "analyst", username="ilze")
    allowance = settings.SECU4ALL_BACKOFF["reset-network"]["wait_from"]
    for i in range(allowance):
        client.post(
            reverse("accounts:password_reset"),
            {"email": f"someone{i}@example.org"},
            REMOTE_ADDR=f"10.9.9.{i}",
        )
    response = client.post(
        reverse("accounts:password_reset"), {"email": user.email}, REMOTE_ADDR="10.9.9.200"
    )
    assert response.status_code == 429
    assert "Too many password reset requests" in response.content.decode()
    assert mail.outbox == []


def test_session_ends_after_idle_time_and_each_request_renews_it(
    client, havenstad, make_member
) -> None:
    """Finding 12.15: sessions have an idle timeout, refreshed on activity — at most once a
    minute, so a page in between writes nothing (#16)."""
    make_member(havenstad, "analyst", username="ilze")
    login_from(client, "127.0.0.1", "ilze")
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert client.session.get_expiry_age() == 30 * 60
    client.get(reverse("home"))
    # Two minutes later, a request renews the session: a new expiry, a new cookie.
    session = client.session
    session[RENEWED_KEY] -= 120
    session.save()
    stored = Session.objects.get(session_key=session.session_key).expire_date
    response = client.get(reverse("home"))
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60
    renewed = Session.objects.get(session_key=session.session_key).expire_date
    assert renewed > stored
    # At once after, the session is read, not written.
    response = client.get(reverse("home"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert Session.objects.get(session_key=session.session_key).expire_date == renewed
