"""A refused request (403, 401) is one line in the log, without a traceback, on the pages and
in the API; a real error keeps its traceback."""

from __future__ import annotations

import logging
import sys

import pytest

from secu4all.organisations.models import Role

pytestmark = pytest.mark.django_db


def _request_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django.request"]


@pytest.mark.parametrize(
    "path",
    [
        "/o/havenstad/audit/",
        "/o/havenstad/audit/export.csv",
        "/api/v1/organisations/havenstad/audit-events/",
        "/api/v1/organisations/havenstad/members/",
    ],
)
def test_a_403_is_one_line_without_traceback(client, havenstad, make_member, caplog, path) -> None:
    client.force_login(make_member(havenstad, Role.LEARNER))
    with caplog.at_level(logging.INFO):
        assert client.get(path).status_code == 403
    (record,) = _request_records(caplog)
    assert record.levelno == logging.WARNING
    assert path in record.getMessage()
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_401_is_one_line_without_traceback(client, havenstad, caplog) -> None:
    with caplog.at_level(logging.INFO):
        answer = client.get("/api/v1/organisations/havenstad/audit-events/")
    assert answer.status_code == 401
    (record,) = _request_records(caplog)
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_any_other_error_keeps_its_traceback(caplog) -> None:
    try:
        raise ValueError("a real bug")
    except ValueError:
        with caplog.at_level(logging.INFO):
            logging.getLogger("django.request").error("Internal Server Error", exc_info=True)
    (record,) = _request_records(caplog)
    assert record.exc_info is not None
    assert record.exc_info[0] is ValueError
    assert sys.exc_info()[0] is None
    assert "a real bug" in caplog.text
