"""Django's admin is for platform superusers; it runs without organisation scope."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_superuser_sees_memberships_of_every_organisation(
    admin_client, havenstad, riverton, make_member
) -> None:
    make_member(havenstad, "analyst")
    make_member(riverton, "analyst")
    page = admin_client.get("/admin/organisations/membership/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "havenstad-analyst" in html
    assert "riverton-analyst" in html


def test_audit_events_are_read_only_in_admin(admin_client, havenstad, make_member) -> None:
    make_member(havenstad, "analyst")
    assert admin_client.get("/admin/audit/auditevent/").status_code == 200
    assert admin_client.get("/admin/audit/auditevent/add/").status_code == 403


def test_organisation_admin_is_not_a_platform_admin(client, havenstad, make_member) -> None:
    client.force_login(make_member(havenstad, "org-admin"))
    response = client.get("/admin/organisations/membership/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
