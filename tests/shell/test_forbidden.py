"""The 403 page says who to ask, and names people only to members of their organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from secu4all.organisations.models import Role
from secu4all.shell.views import permission_denied

pytestmark = pytest.mark.django_db


@pytest.fixture
def town_admin(havenstad, make_member):
    admin = make_member(havenstad, Role.ORG_ADMIN, username="anouk")
    admin.first_name, admin.last_name = "Anouk", "de Vries"
    admin.save()
    return admin


def test_a_member_is_told_the_admins_by_name_and_the_roles_needed(
    client, havenstad, make_member, town_admin
) -> None:
    client.force_login(make_member(havenstad, Role.LEARNER))
    page = client.get("/o/havenstad/sites/")
    assert page.status_code == 403
    text = page.content.decode()
    assert "Anouk de Vries" in text
    assert "Security adviser" in text
    assert "Organisation admin" in text
    assert "Who to ask" in text


def test_an_outsider_learns_nothing_about_the_organisation(
    client, havenstad, riverton, make_member, town_admin
) -> None:
    client.force_login(make_member(riverton, Role.ORG_ADMIN))
    page = client.get("/o/havenstad/sites/")
    assert page.status_code == 404
    assert "Anouk" not in page.content.decode()
    assert "Gemeente Havenstad" not in page.content.decode()


def test_outside_an_organisation_the_text_is_generic(town_admin) -> None:
    request = RequestFactory().get("/somewhere/")
    request.user, request.organisation, request.roles = town_admin, None, frozenset()
    page = permission_denied(request, PermissionDenied())
    text = page.content.decode()
    assert page.status_code == 403
    assert "Ask an admin of the organisation you work for" in text
    assert "Anouk" not in text.replace('class="who">Anouk', "")


def test_the_api_keeps_its_json_answer(client, havenstad, make_member) -> None:
    client.force_login(make_member(havenstad, Role.LEARNER))
    answer = client.get(f"/api/v1/organisations/{havenstad.slug}/members/")
    assert answer.status_code == 403
    assert answer["Content-Type"].startswith("application/json")
