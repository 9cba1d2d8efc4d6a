"""A capability's page offers only the organisations where the user's roles may open it."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def offered(client, slug: str) -> str:
    return client.get(reverse("capability", args=[slug])).content.decode()


def test_each_capability_offers_only_organisations_whose_pages_open(
    client, havenstad, make_organisation, make_member
) -> None:
    stadium = make_organisation("stadion", "Havenstad Stadion BV", kind="venue")
    learner = make_member(havenstad, "learner", username="sam")
    client.force_login(learner)
    assert "Gemeente Havenstad" in offered(client, "training")
    page = offered(client, "assessments")
    assert "Gemeente Havenstad" not in page
    assert "None of your roles opens this part" in page
    # Every organisation offered must really open: the links are followed.
    partner = make_member(stadium, "partner", username="sophie")
    make_member(havenstad, "partner", username="sophie")  # a guest at the municipality
    client.force_login(partner)
    page = offered(client, "partnerships")
    assert "Havenstad Stadion BV" in page
    assert "Gemeente Havenstad" not in page
    assert client.get(reverse("partnerships:list", args=["stadion"])).status_code == 200
    assert client.get(reverse("partnerships:list", args=["havenstad"])).status_code == 403
    adviser = make_member(havenstad, "security-adviser", username="bram")
    client.force_login(adviser)
    for slug in ("crime", "assessments", "perceived-safety", "partnerships", "training"):
        assert "Gemeente Havenstad" in offered(client, slug), slug
