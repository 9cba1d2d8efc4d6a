"""The navigation, the organisation page and the home page show only what the user's roles
open, and no link they show answers 403."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from secu4all.organisations.models import Role

pytestmark = pytest.mark.django_db

ALL = ["crime", "assessments", "perceived-safety", "partnerships", "training", "neighbourhoods"]
# Written out rather than derived from the registry, so a change there has to be meant here.
EXPECTED = {
    Role.ORG_ADMIN: ALL,
    Role.SECURITY_ADVISER: ALL,
    Role.ANALYST: ["crime", "perceived-safety", "training", "neighbourhoods"],
    Role.TRAINER: ["training"],
    Role.LEARNER: ["training"],
}
PATHS = {
    "crime": "/incidents/",
    "assessments": "/sites/",
    "perceived-safety": "/perception/",
    "partnerships": "/partnerships/",
    "training": "/training/",
    "neighbourhoods": "/neighbourhoods/",
}


def section(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def main_nav(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', section(html, 'id="main-nav"', "</nav>"))


def work_here(html: str) -> list[str]:
    return re.findall(r'<h3><a href="([^"]+)"', section(html, "Work here", "Your roles"))


def slugs_of(links: list[str], org_slug: str) -> list[str]:
    found = []
    for link in links:
        slug = next(s for s, tail in PATHS.items() if link == f"/o/{org_slug}{tail}")
        found.append(slug)
    return found


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_exactly_what_it_opens_and_every_link_opens(
    client, havenstad, make_member, role
) -> None:
    client.force_login(make_member(havenstad, role))
    page = client.get(reverse("organisations:overview", args=[havenstad.slug])).content.decode()
    assert slugs_of(main_nav(page), "havenstad") == EXPECTED[role]
    assert slugs_of(work_here(page), "havenstad") == EXPECTED[role]
    for link in set(main_nav(page) + work_here(page)):
        assert client.get(link).status_code == 200, link
    home = client.get("/").content.decode()
    offered = re.findall(r'<h3><a href="/([a-z-]+)/">', home)
    assert offered == EXPECTED[role]
    assert (
        re.findall(r'href="/([a-z-]+)/"', section(home, 'id="main-nav"', "</nav>"))
        == (EXPECTED[role])
    )


def test_a_partner_at_a_venue_sees_partnerships_and_training_only(
    client, make_organisation, make_member
) -> None:
    stadium = make_organisation("stadion", "Havenstad Stadion BV", kind="venue")
    client.force_login(make_member(stadium, Role.PARTNER))
    page = client.get(reverse("organisations:overview", args=["stadion"])).content.decode()
    assert slugs_of(main_nav(page), "stadion") == ["partnerships", "training"]
    assert slugs_of(work_here(page), "stadion") == ["partnerships", "training"]
    for link in main_nav(page):
        assert client.get(link).status_code == 200, link


def test_a_partner_guest_in_a_municipality_sees_no_partnerships(
    client, havenstad, make_member
) -> None:
    client.force_login(make_member(havenstad, Role.PARTNER))
    page = client.get(reverse("organisations:overview", args=[havenstad.slug])).content.decode()
    assert slugs_of(main_nav(page), "havenstad") == ["training"]


def test_anonymous_readers_get_the_public_descriptions(client, db) -> None:
    home = client.get("/").content.decode()
    assert re.findall(r'<h3><a href="/([a-z-]+)/">', home) == ALL
    assert "What the platform does" in home
    for slug in ALL:
        page = client.get(f"/{slug}/")
        assert page.status_code == 200
        assert "Sign in to use it" in page.content.decode()


def test_one_neighbourhoods_page_and_no_tab_in_the_crime_overview(
    client, havenstad, make_member
) -> None:
    client.force_login(make_member(havenstad, Role.ANALYST))
    crime = client.get(reverse("incidents:overview", args=[havenstad.slug])).content.decode()
    assert "/o/havenstad/neighbourhoods/" in section(crime, 'id="main-nav"', "</nav>")
    assert (
        "/o/havenstad/neighbourhoods/"
        not in crime.split('id="main-nav"', 1)[1].split("</nav>", 1)[1]
    )
    assert client.get("/o/havenstad/neighbourhoods/").status_code == 200
    # The public page of the capability sends the member to it, not to "not available yet".
    public = client.get("/neighbourhoods/").content.decode()
    assert 'href="/o/havenstad/neighbourhoods/"' in public
