"""The versioned REST API: root, schema, docs, token authentication and tenant scoping."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(havenstad, riverton, make_member):
    return {
        "h_admin": make_member(havenstad, "org-admin"),
        "h_analyst": make_member(havenstad, "analyst"),
        "r_admin": make_member(riverton, "org-admin"),
    }


def token_header(user) -> dict[str, str]:
    token, _created = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


def test_root_lists_resources(client, members) -> None:
    response = client.get("/api/v1/", **token_header(members["h_analyst"]))
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "v1"
    assert body["organisations"].endswith("/api/v1/organisations/")


def test_anonymous_is_refused(client, havenstad) -> None:
    assert client.get("/api/v1/organisations/").status_code in (401, 403)
    response = client.get(f"/api/v1/organisations/{havenstad.slug}/members/")
    assert response.status_code in (401, 403)


def test_bad_token_is_refused(client, havenstad) -> None:
    response = client.get("/api/v1/organisations/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401


def test_schema_and_docs_are_served_offline(client, db) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/organisations/{org_slug}/members/" in paths
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger" in html.lower()
    assert "cdn" not in html.lower()
    assert "https://" not in html


def test_organisation_list_shows_only_own(client, members) -> None:
    response = client.get("/api/v1/organisations/", **token_header(members["h_analyst"]))
    slugs = [org["slug"] for org in response.json()["results"]]
    assert slugs == ["havenstad"]
    assert response.json()["results"][0]["roles"] == ["analyst"]


def test_members_of_own_organisation(client, members, havenstad) -> None:
    response = client.get(
        f"/api/v1/organisations/{havenstad.slug}/members/", **token_header(members["h_admin"])
    )
    assert response.status_code == 200
    assert {m["username"] for m in response.json()} == {"havenstad-org-admin", "havenstad-analyst"}


def test_forged_organisation_slug_is_not_found(client, members, riverton) -> None:
    header = token_header(members["h_admin"])
    for path in ("members", "audit-events"):
        response = client.get(f"/api/v1/organisations/{riverton.slug}/{path}/", **header)
        assert response.status_code == 404
        assert b"riverton-org-admin" not in response.content


def test_audit_events_need_admin_role(client, members, havenstad) -> None:
    url = f"/api/v1/organisations/{havenstad.slug}/audit-events/"
    assert client.get(url, **token_header(members["h_analyst"])).status_code == 403
    response = client.get(url, **token_header(members["h_admin"]))
    assert response.status_code == 200
    actions = {event["action"] for event in response.json()["results"]}
    assert actions == {"create"}


def test_session_authentication_works_too(client, members, havenstad) -> None:
    client.force_login(members["h_admin"])
    response = client.get(f"/api/v1/organisations/{havenstad.slug}/members/")
    assert response.status_code == 200


def test_api_token_page_rotates_the_key(client, members) -> None:
    client.force_login(members["h_analyst"])
    first = client.post(reverse("accounts:api_token")).context["new_key"]
    second = client.post(reverse("accounts:api_token")).context["new_key"]
    assert first != second
    client.logout()
    assert client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 401
    assert client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 200
