"""xAPI 1.0.3: the validator rejects what the spec forbids."""

from __future__ import annotations

import copy

import pytest

from secu4all.engines.xapi import statement_errors

VALID = {
    "id": "6f0f2a5e-3c1b-4d5e-9f6a-1b2c3d4e5f60",
    "actor": {
        "objectType": "Agent",
        "account": {"homePage": "https://secu4all.example", "name": "a1b2c3"},
    },
    "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
    "object": {
        "objectType": "Activity",
        "id": "https://secu4all.example/xapi/activities/item/q1",
        "definition": {
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "name": {"en": "Question 1"},
            "interactionType": "choice",
        },
    },
    "result": {
        "score": {"scaled": 0.5, "raw": 1, "min": 0, "max": 2},
        "success": False,
        "completion": True,
    },
    "context": {"registration": "0b7b8a3e-2d8f-4d7e-9a51-6c3b2f1e0d9c", "language": "nl"},
    "timestamp": "2026-11-24T10:15:00+01:00",
    "version": "1.0.3",
}


def broken(path: str, value: object) -> dict:
    statement = copy.deepcopy(VALID)
    *parents, last = path.split(".")
    target = statement
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return statement


def test_valid_statement_passes() -> None:
    assert statement_errors(VALID) == []


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("id", "not-a-uuid", "id must be a UUID"),
        ("actor", KeyError, "actor is required"),
        ("actor.mbox", "mailto:x@example.org", "exactly one inverse functional identifier"),
        ("actor.account", {"homePage": "https://x.example"}, "account.name"),
        ("verb.id", "answered", "verb.id must be an IRI"),
        ("verb.display", {"not a tag!": "x"}, "not a language tag"),
        ("object.id", "q1", "object.id must be an IRI"),
        ("object.definition.interactionType", "drag-and-drop", "interactionType"),
        ("result.score.scaled", 1.5, "scaled must be between -1 and 1"),
        ("result.score.raw", 3, "raw must not be above max"),
        ("result.score.min", 2, "min must be less than max"),
        ("result.success", "yes", "result.success must be true or false"),
        ("context.registration", "12345", "context.registration must be a UUID"),
        ("timestamp", "2026-11-24 10:15", "ISO 8601"),
        ("timestamp", "2026-11-24T10:15:00", "ISO 8601"),  # no timezone
        ("timestamp", "2026-13-40T10:15:00Z", "not a real date"),
        ("version", "2.0.0", "version must be 1.0.x"),
        ("mood", "happy", "unknown properties"),
        ("result.response", None, "is null"),
    ],
)
def test_invalid_statements_are_rejected(path: str, value: object, message: str) -> None:
    errors = statement_errors(broken(path, value))
    assert any(message in error for error in errors), errors
