"""The database away (a PostgreSQL restart, a locked SQLite file): requests fail fast with a
clear 503 and when to try again, then the platform recovers by itself."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.test import Client

from tests.support.forwarder import Forwarder

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_outage(monkeypatch):
    """Cut and mend the way to the database: a real cut on PostgreSQL, a refused connection on
    SQLite (the in-memory test database stays open whatever is closed, so each use of it is
    refused instead)."""
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        hop = Forwarder((settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
        connection.close()
        monkeypatch.setitem(settings, "HOST", "127.0.0.1")
        monkeypatch.setitem(settings, "PORT", str(hop.port))
        yield hop
        hop.cut()
        connection.close()
        return

    class Refusal:
        def cut(self) -> None:
            def refuse(*args, **kwargs):
                # As Django raises it, wrapping the driver's error.
                raise OperationalError("unable to open database file")

            monkeypatch.setattr(connection, "ensure_connection", refuse)

        def mend(self) -> None:
            monkeypatch.undo()

    yield Refusal()


def test_pages_and_the_api_answer_503_then_recover(database_outage, django_user_model) -> None:
    # As a browser meets it: the error becomes the answer, not an exception in the test.
    client = Client(raise_request_exception=False)
    # Signed in, every request reads the session and the user from the database.
    client.force_login(django_user_model.objects.create_user("ilze", password="x" * 12))
    assert client.get("/").status_code == 200
    assert client.get("/readyz").status_code == 200

    database_outage.cut()
    page = client.get("/")
    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert "Nothing you sent was saved" in page.content.decode()
    api = client.get("/api/v1/")
    assert api.status_code == 503
    assert "unavailable" in api.json()["detail"]
    assert client.get("/readyz").status_code == 503
    # A probe brings no session: liveness does not depend on the database.
    assert Client().get("/healthz").status_code == 200

    database_outage.mend()
    assert client.get("/").status_code == 200, "recovered without restarting the platform"
    assert client.get("/readyz").status_code == 200
