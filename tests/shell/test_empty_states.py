"""An empty list page says what to do next and links to where it is done."""

from __future__ import annotations

import re

import pytest

from secu4all.organisations.models import Role
from tests.support.incidents import add_incidents

pytestmark = pytest.mark.django_db


def empty_state(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, path
    found = re.findall(r'<p class="empty-state">(.*?)</p>', page.content.decode(), re.S)
    assert len(found) == 1, path
    return found[0]


@pytest.mark.parametrize(
    ("path", "link"),
    [
        ("/o/havenstad/incidents/", 'href="/o/havenstad/incidents/imports/"'),
        ("/o/havenstad/sites/", 'href="#add-site"'),
        ("/o/havenstad/perception/", 'href="/o/havenstad/perception/waves/new/"'),
        ("/o/havenstad/partnerships/", 'href="#start-partnership"'),
        ("/o/havenstad/training/trainer/", 'href="#new-cohort"'),
        ("/o/havenstad/neighbourhoods/", 'href="#import-areas"'),
    ],
)
def test_an_admin_of_a_new_municipality_is_shown_the_next_step(
    client, havenstad, make_member, path, link
) -> None:
    client.force_login(make_member(havenstad, Role.ORG_ADMIN))
    state = empty_state(client, path)
    assert link in state
    # The anchor leads somewhere on the page.
    if link.startswith('href="#'):
        target = link.removeprefix('href="#').rstrip('"')
        assert f'id="{target}"' in client.get(path).content.decode()


def test_who_may_not_act_is_told_who_does(client, havenstad, make_member) -> None:
    client.force_login(make_member(havenstad, Role.SECURITY_ADVISER))
    state = empty_state(client, "/o/havenstad/incidents/")
    assert "an analyst or an organisation admin imports them" in state
    assert "href" not in state


def test_a_crime_overview_with_incidents_has_no_empty_state(client, havenstad, make_member) -> None:
    add_incidents(havenstad, {"W01": 2})
    client.force_login(make_member(havenstad, Role.ANALYST))
    assert "empty-state" not in client.get("/o/havenstad/incidents/").content.decode()
