"""Every API operation documents what it answers: no success answer is a bare "object", and
the audit log's filters are documented parameters."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict[str, Any]:
    answer = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert answer.status_code == 200
    return answer.json()


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _free_form(schema: dict, node: dict, path: str, depth: int = 0) -> list[str]:
    """Where ``node`` (to a few levels) is an object with nothing said about its fields."""
    node = _resolve(schema, node)
    if depth > 4:
        return []
    found = []
    if node.get("type") == "object" and not node.get("properties"):
        extra = node.get("additionalProperties")
        if not isinstance(extra, dict) or not extra:
            found.append(path)
    for name, child in (node.get("properties") or {}).items():
        found += _free_form(schema, child, f"{path}.{name}", depth + 1)
    if node.get("type") == "array":
        found += _free_form(schema, node.get("items", {}), f"{path}[]", depth + 1)
    return found


def test_every_success_answer_has_a_schema(schema) -> None:
    undocumented = []
    operations = 0
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for status, response in operation["responses"].items():
                if not status.startswith("2"):
                    continue
                operations += 1
                content = response.get("content") or {}
                if not content:
                    undocumented.append(f"{method.upper()} {path} {status}: no body")
                for media, body in content.items():
                    where = f"{method.upper()} {path} {status} {media}"
                    undocumented += _free_form(schema, body.get("schema", {}), where)
    assert operations >= 15
    assert undocumented == []


def test_the_checker_finds_a_bare_object(schema) -> None:
    assert _free_form(schema, {"type": "object", "additionalProperties": {}}, "x") == ["x"]
    assert _free_form(schema, {"type": "object", "properties": {"a": {"type": "object"}}}, "y") == [
        "y.a"
    ]


def test_the_audit_log_filters_are_documented(schema) -> None:
    operation = schema["paths"]["/api/v1/organisations/{org_slug}/audit-events/"]["get"]
    names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    assert {"action", "outcome", "person", "object_type", "object_id", "since", "until"} <= names


def test_the_hotspot_layer_and_progress_are_described(schema) -> None:
    hotspots = schema["paths"]["/api/v1/organisations/{org_slug}/hotspots/"]["get"]
    layer = _resolve(
        schema, hotspots["responses"]["200"]["content"]["application/geo+json"]["schema"]
    )
    assert set(layer["properties"]) == {"type", "properties", "features"}
    progress = schema["paths"]["/api/v1/organisations/{org_slug}/training/progress/"]["get"]
    body = _resolve(schema, progress["responses"]["200"]["content"]["application/json"]["schema"])
    assert "modules" in body["properties"]
