"""The first-run checklist on the organisation page: each step done or not, the next linked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secu4all.organisations.models import Role
from secu4all.shell.onboarding import checklist_for
from tests.support.incidents import add_incidents

pytestmark = pytest.mark.django_db


def test_a_new_municipality_has_every_step_to_do_and_boundaries_first(havenstad) -> None:
    checklist = checklist_for(havenstad)
    assert [step.done for step in checklist.steps] == [False] * 5
    assert checklist.next_step.url == reverse("neighbourhoods:areas", args=[havenstad.slug])
    assert checklist.done_count == 0
    assert not checklist.complete


def test_imported_crime_ticks_its_step_and_no_other(havenstad, riverton) -> None:
    add_incidents(havenstad, {"W01": 3})
    steps = checklist_for(havenstad).steps
    assert [step.done for step in steps] == [False, True, False, False, False]
    # Another municipality's data ticks nothing here.
    assert not any(step.done for step in checklist_for(riverton).steps)


def test_only_admins_see_the_checklist(client, havenstad, make_member) -> None:
    url = reverse("organisations:overview", args=[havenstad.slug])
    client.force_login(make_member(havenstad, Role.ORG_ADMIN))
    page = client.get(url).content.decode()
    assert "Getting started" in page
    assert "0 of 5 first steps done." in page
    assert f'href="/o/{havenstad.slug}/neighbourhoods/"' in page
    client.force_login(make_member(havenstad, Role.SECURITY_ADVISER))
    assert "Getting started" not in client.get(url).content.decode()
