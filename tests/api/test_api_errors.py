"""Finding 12.20: the API answers in JSON as its schema documents it — errors, lists, GeoJSON —
and refuses empty parameters."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_token(havenstad, make_member) -> dict[str, str]:
    token, _created = Token.objects.get_or_create(user=make_member(havenstad, "analyst"))
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


@pytest.fixture
def schema(client, db) -> dict:
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    return response.json()


def test_an_unknown_organisation_is_a_json_404(client, analyst_token) -> None:
    response = client.get("/api/v1/organisations/nowhere/incidents/", **analyst_token)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_an_unknown_api_path_is_a_json_404(client, analyst_token) -> None:
    response = client.get("/api/v1/no-such-thing/", **analyst_token)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_pages_outside_the_api_keep_their_html_404(client, havenstad, make_member) -> None:
    client.force_login(make_member(havenstad, "analyst"))
    response = client.get("/o/nowhere/incidents/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_empty_parameter_is_refused_by_name(client, havenstad, analyst_token) -> None:
    response = client.get(
        f"/api/v1/organisations/{havenstad.slug}/incidents/?category=&area=x", **analyst_token
    )
    assert response.status_code == 400
    assert list(response.json()) == ["category"]


def test_every_operation_documents_its_json_errors(schema) -> None:
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404"):
                content = operation["responses"][status]["content"]
                assert "application/json" in content, (method, path, status)


def test_every_operation_documents_its_answer(schema) -> None:
    """The assessment version, the wave estimates and posting a response had no schema."""
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            success = next(
                body for status, body in operation["responses"].items() if status.startswith("2")
            )
            assert success.get("content"), (method, path)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations/{org_slug}/partnerships/",
        "/api/v1/organisations/{org_slug}/partnerships/{id}/items/",
        "/api/v1/organisations/{org_slug}/members/",
    ],
)
def test_lists_are_documented_as_lists(schema, path: str) -> None:
    body = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    assert body["schema"]["type"] == "array"


def test_the_hotspot_layer_is_served_as_geojson(client, havenstad, analyst_token) -> None:
    response = client.get(f"/api/v1/organisations/{havenstad.slug}/hotspots/", **analyst_token)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response.json()["type"] == "FeatureCollection"
