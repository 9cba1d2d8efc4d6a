"""Finding 12.8: an assessment excerpt is never wider than its assessment, on every path that
sets its label — sharing, relabelling on the page, and the service itself."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_scopes import scopes_disabled

from secu4all.partnerships.services.sharing import shared_item_relabel

pytestmark = pytest.mark.django_db


@pytest.fixture
def excerpt(world):
    """An AMBER+STRICT assessment of the partnership's site, shared as an excerpt."""
    from secu4all.assessments.models import Assessment, Site

    lead = world.orgs["havenstad"]
    with scopes_disabled():
        site = Site.objects.create(organisation=lead, name="Stadion", kind="stadium")
        Assessment.objects.create(
            organisation=lead,
            site=site,
            version=1,
            data={},
            result={"scenarios": [{"id": "a", "name": "Arson", "risk": 120, "residual_risk": 90}]},
            total_risk=120,
            tlp="TLP:AMBER+STRICT",
        )
        world.partnership.site = site
        world.partnership.save()
    client = Client()
    client.force_login(world.users["lead-adviser"])
    shared = client.post(
        f"/o/havenstad/partnerships/{world.partnership.pk}/items/excerpt/",
        {
            "title": "Gate excerpt",
            "body": "Arson",
            "tlp": "TLP:AMBER+STRICT",
            "recipient_organisations": [world.orgs["stadium"].pk],
        },
    )
    assert shared.status_code == 302
    with scopes_disabled():
        item = world.partnership.shared_items.get(title="Gate excerpt")
    return client, item


@pytest.mark.parametrize("wider", ["TLP:AMBER", "TLP:GREEN", "TLP:CLEAR"])
def test_relabelling_an_excerpt_wider_than_its_assessment_is_refused(world, excerpt, wider):
    """Finding 12.8: share as AMBER+STRICT, then relabel CLEAR — refused, label kept."""
    client, item = excerpt
    url = f"/o/havenstad/partnerships/{world.partnership.pk}/items/{item.pk}/relabel/"
    answer = client.post(url, {"tlp": wider}, follow=True)
    assert answer.status_code == 200
    assert f"cannot be shared as {wider}" in answer.content.decode()
    with scopes_disabled():
        item.refresh_from_db()
    assert item.tlp == "TLP:AMBER+STRICT"


def test_the_service_refuses_a_wider_label_too(world, excerpt) -> None:
    """Finding 12.8: the rule sits in the service every path goes through."""

    _client, item = excerpt
    with scopes_disabled(), pytest.raises(ValidationError, match="cannot be shared as TLP:CLEAR"):
        shared_item_relabel(
            actor=world.users["lead-adviser"],
            item=item,
            new_label="TLP:CLEAR",
            acting_for=world.orgs["havenstad"],
        )


def test_a_stricter_relabel_of_an_excerpt_is_allowed(world, excerpt) -> None:
    """Finding 12.8: narrower than the assessment stays possible."""
    client, item = excerpt
    url = f"/o/havenstad/partnerships/{world.partnership.pk}/items/{item.pk}/relabel/"
    client.post(url, {"tlp": "TLP:RED"})
    with scopes_disabled():
        item.refresh_from_db()
    assert item.tlp == "TLP:RED"


def test_the_general_share_form_offers_no_excerpt_kind(world) -> None:
    """Finding 12.8: an "excerpt" typed into the general form would escape the rule."""
    client = Client()
    client.force_login(world.users["lead-adviser"])
    answer = client.post(
        f"/o/havenstad/partnerships/{world.partnership.pk}/items/",
        {"kind": "assessment-excerpt", "title": "Typed excerpt", "tlp": "TLP:CLEAR"},
    )
    assert answer.status_code in (200, 400)
    with scopes_disabled():
        assert not world.partnership.shared_items.filter(title="Typed excerpt").exists()
