"""The TLP policy: hand-written expectations, and the Python rule equal to the queryset."""

from __future__ import annotations

import itertools

import pytest
from django_scopes import scopes_disabled

from secu4all.common.tlp import Tlp
from secu4all.organisations.models import Role
from secu4all.partnerships import tlp
from secu4all.partnerships.services.members import partner_remove
from secu4all.partnerships.services.sharing import shared_item_create
from tests.support.partnerships import EXPECTED


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_user_reads_exactly_what_the_labels_allow(world, username) -> None:
    user = world.users[username]
    with scopes_disabled():
        by_rule = {key for key, item in world.items.items() if tlp.can_read(user, item)}
        by_query = {
            key
            for key, item in world.items.items()
            if tlp.readable_items(user, world.partnership).filter(pk=item.pk).exists()
        }
    assert by_rule == EXPECTED[username]
    assert by_query == EXPECTED[username]


def test_rule_and_queryset_agree_for_every_label_role_and_organisation(world, make_member) -> None:
    """Every role in every organisation (lead, member, community, client, outsider, leaver)
    against items of every label from two sources with varied recipients."""
    orgs = world.orgs
    users = [
        make_member(org, role, f"{key}-{role}") for key, org in orgs.items() for role in Role.values
    ]
    named = world.users["stadium-partner"]
    users.append(named)
    recipient_sets = {
        Tlp.RED: [{"recipient_users": [named]}, {"recipient_users": [world.users["lead-admin"]]}],
        Tlp.AMBER_STRICT: [
            {"recipient_organisations": [orgs["stadium"]]},
            {"recipient_organisations": [orgs["police"], orgs["havenstad"]]},
        ],
        Tlp.AMBER: [
            {"recipient_organisations": [orgs["police"]], "client_organisations": [orgs["shops"]]},
            {"recipient_organisations": [orgs["stadium"]]},
        ],
        Tlp.GREEN: [{}],
        Tlp.CLEAR: [{}],
    }
    sources = [("lead-adviser", "havenstad"), ("stadium-partner", "stadium")]
    items = []
    with scopes_disabled():
        for (label, variants), (sharer, org) in itertools.product(recipient_sets.items(), sources):
            for variant in variants:
                items.append(
                    shared_item_create(
                        actor=world.users[sharer],
                        acting_for=orgs[org],
                        partnership=world.partnership,
                        kind="message",
                        title=f"{label} from {org}",
                        tlp_label=label,
                        **variant,
                    )
                )
        items += list(world.items.values())
        checked = 0
        for user in users:
            readable = set(tlp.readable_items(user, world.partnership).values_list("pk", flat=True))
            for item in items:
                assert tlp.can_read(user, item) == (item.pk in readable), (
                    user.username,
                    item.title,
                )
                checked += 1
    assert checked == len(users) * len(items) >= 42 * 20
    # The combinations are not trivially all-true or all-false.
    assert 0 < sum(tlp.can_read(named, i) for i in items) < len(items)


def test_anonymous_reads_nothing(world) -> None:
    from django.contrib.auth.models import AnonymousUser

    with scopes_disabled():
        assert not any(tlp.can_read(AnonymousUser(), i) for i in world.items.values())
        assert not tlp.readable_items(AnonymousUser(), world.partnership).exists()


def test_named_red_recipient_loses_access_when_their_organisation_leaves(world) -> None:
    police = world.users["police-adviser"]
    with scopes_disabled():
        assert tlp.can_read(police, world.items["red"])
        membership = world.partnership.members.get(member=world.orgs["police"])
        partner_remove(actor=world.users["lead-admin"], membership=membership)
        assert not tlp.can_read(police, world.items["red"])
        assert not tlp.can_read(police, world.items["amber"])
        assert tlp.can_read(police, world.items["clear"])
        assert set(
            tlp.readable_items(police, world.partnership).values_list("title", flat=True)
        ) == {"Clear public advice"}


def test_a_partner_guest_account_at_the_municipality_reads_as_its_own_organisation(
    world, make_member
) -> None:
    """The demo's stadium partner also holds the partner role at Havenstad: that guest account
    gives no access to what is shared with Havenstad, nor to Havenstad's partnership pages."""
    from django.test import Client

    guest = make_member(world.orgs["havenstad"], "partner", "stadium-partner")
    with scopes_disabled():
        readable = {k for k, i in world.items.items() if tlp.can_read(guest, i)}
    assert readable == {"strict", "green", "clear"}  # as before: the stadium's share only
    client = Client()
    client.force_login(guest)
    assert client.get("/o/havenstad/partnerships/").status_code == 403
    assert client.get(f"/o/havenstad/partnerships/{world.partnership.pk}/").status_code == 403
    assert client.get("/o/stadium/partnerships/").status_code == 200
