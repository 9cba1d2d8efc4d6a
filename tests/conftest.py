"""Fixtures shared by the platform's tests: organisations, members, and reachable services."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable

import pytest

from tests.support.people import member_make, organisation_make

# Under .ci/run the servers must be there: a missing server fails instead of skipping.
REQUIRE_SERVICES = os.environ.get("SECU4ALL_REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests of PostgreSQL itself (a restart under the served platform) belong to the run on
    PostgreSQL: `.ci/run` runs the suite on both databases, and on SQLite they are left out
    as not this run's, rather than collected and skipped."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def need_service(name: str, host: str, port: int) -> None:
    if reachable(host, port):
        return
    message = f"{name} is not reachable at {host}:{port}"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message}, and SECU4ALL_REQUIRE_SERVICES=1 forbids skipping.")
    pytest.skip(f"SKIPPED: {message}; start it to run this test.")


@pytest.fixture
def redis_server() -> str:
    need_service("Redis", "127.0.0.1", 6379)
    return "redis://127.0.0.1:6379/15"


@pytest.fixture
def make_organisation(db: None) -> Callable:
    return organisation_make


@pytest.fixture
def havenstad(make_organisation: Callable):
    return make_organisation("havenstad", "Gemeente Havenstad")


@pytest.fixture
def riverton(make_organisation: Callable):
    return make_organisation("riverton", "Riverton Town Council")


@pytest.fixture
def make_member(db: None) -> Callable:
    """A user holding ``role`` in ``organisation``, created once per username."""
    return member_make


@pytest.fixture(autouse=True)
def fresh_backoff_counters() -> None:
    """Sign-in and reset back-off counters live in the cache; no test inherits another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def admin_client(client, admin_user):
    """A platform superuser whose session passed the second factor, as Django's admin needs."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=admin_user, name="authenticator", confirmed=True)
    client.force_login(admin_user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
