"""Finding 12.20: schemathesis drives every API operation from its OpenAPI schema, with a real
token over the demo data, and fails on any 5xx or answer the schema does not describe."""

from __future__ import annotations

import contextlib

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import Failure, FailureGroup

from secu4all.accounts.services import api_token_rotate
from secu4all.organisations.models import Membership, Organisation, Role
from secu4all.organisations.services import membership_grant
from secu4all.shell.demo_loader import load_demo

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _real_ids(organisation: Organisation) -> dict[str, list[int]]:
    """Ids that exist in the organisation, by the collection a path's ``{id}`` belongs to."""
    from secu4all.assessments.models import Assessment, Site
    from secu4all.partnerships.models import Partnership, SharedItem
    from secu4all.perception.models import SurveyWave

    with scopes_disabled():
        return {
            "sites": list(
                Site.objects.filter(organisation=organisation).values_list("pk", flat=True)
            ),
            "versions": list(
                Assessment.objects.filter(organisation=organisation).values_list(
                    "version", flat=True
                )
            ),
            "survey-waves": list(
                SurveyWave.objects.filter(organisation=organisation).values_list("pk", flat=True)
            ),
            "partnerships": list(
                Partnership.objects.filter(organisation=organisation).values_list("pk", flat=True)
            ),
            "items": list(SharedItem.objects.values_list("pk", flat=True)),
        }


def _aim(case, ids: dict[str, list[int]]) -> None:
    """Point the generated case at the demo organisation and, for even draws, at a real object:
    odd draws keep the generated (often huge or negative) ids, which must answer 404 or 400."""
    parameters = case.path_parameters or {}
    if "org_slug" in parameters:
        parameters["org_slug"] = "havenstad"
    for name, value in list(parameters.items()):
        if not isinstance(value, int) or value % 2:
            continue
        if name == "id":
            collection = next((c for c in ids if f"/{c}/" in case.operation.path), "")
        else:
            collection = {"item_pk": "items", "version": "versions"}.get(name, "")
        known = ids.get(collection) or []
        if known:
            parameters[name] = known[value // 2 % len(known)]


def _fuzz(operation, *, headers: dict, ids: dict, failures: list[str]) -> int:
    """Send one operation its generated cases; a failure is recorded and ends that operation."""
    calls = 0

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def exercise(case) -> None:
        nonlocal calls
        _aim(case, ids)
        response = case.call(headers=headers)
        calls += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (Failure, FailureGroup) as error:
            failures.append(f"{operation.label}: {response.status_code} {error}"[:1500])
            raise

    with contextlib.suppress(Failure, FailureGroup):  # recorded in failures
        exercise()
    return calls


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request, which would end the
    test's transaction; Django's test client disconnects the same signal handlers."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.usefixtures("keep_connection")
def test_every_operation_answers_as_its_schema_says() -> None:
    load_demo()
    with scopes_disabled():
        havenstad = Organisation.objects.get(slug="havenstad")
        admin = Membership.objects.get(organisation=havenstad, role=Role.ORG_ADMIN).user
        for role in (Role.ANALYST, Role.SECURITY_ADVISER, Role.TRAINER, Role.LEARNER):
            membership_grant(actor=None, organisation=havenstad, user=admin, role=role)
    headers = {"Authorization": f"Token {api_token_rotate(user=admin)}"}
    ids = _real_ids(havenstad)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", WSGIHandler())

    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15, [op.label for op in operations]
    for operation in operations:
        calls = _fuzz(operation, headers=headers, ids=ids, failures=failures)
        assert calls > 0, f"{operation.label}: no request was sent"
    assert failures == [], "\n\n".join(failures)
