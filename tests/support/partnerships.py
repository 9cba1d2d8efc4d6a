"""A partnership world: a lead, members, a community with a client, an outsider and a leaver,
with one item shared under every TLP label; and who may read which item."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from secu4all.partnerships.services.members import partner_add, partner_remove, partnership_create
from secu4all.partnerships.services.sharing import shared_item_create
from tests.support.people import member_make, organisation_make

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    partnership: object
    orgs: dict
    users: dict
    items: dict = field(default_factory=dict)

    def refresh(self) -> World:
        """Reload every object from the database: a test may have changed one in memory."""
        with scopes_disabled():
            for instance in [self.partnership, *self.orgs.values(), *self.users.values()]:
                instance.refresh_from_db()
            for instance in self.items.values():
                instance.refresh_from_db()
        return self


def partnership_world_make() -> World:
    """A lead, partners, a community of two, an outsider and a leaver, and five items."""
    orgs = {
        "havenstad": organisation_make("havenstad", "Gemeente Havenstad"),
        "stadium": organisation_make("stadium", "Havenstad Stadion BV", kind="venue"),
        "police": organisation_make("police", "Politie Havenstad", kind="police"),
        "shops": organisation_make("shops", "Ondernemersvereniging", kind="business-association"),
        "guards": organisation_make("guards", "Securitas Havenstad", kind="private-security"),
        "riverton": organisation_make("riverton", "Riverton Town Council"),
        "fire": organisation_make("fire", "Brandweer Havenstad", kind="fire"),
    }
    users = {
        "lead-adviser": member_make(orgs["havenstad"], "security-adviser", "lead-adviser"),
        "lead-admin": member_make(orgs["havenstad"], "org-admin", "lead-admin"),
        "lead-learner": member_make(orgs["havenstad"], "learner", "lead-learner"),
        "lead-analyst": member_make(orgs["havenstad"], "analyst", "lead-analyst"),
        "stadium-partner": member_make(orgs["stadium"], "partner", "stadium-partner"),
        "police-adviser": member_make(orgs["police"], "security-adviser", "police-adviser"),
        "shops-partner": member_make(orgs["shops"], "partner", "shops-partner"),
        "guards-partner": member_make(orgs["guards"], "partner", "guards-partner"),
        "riverton-admin": member_make(orgs["riverton"], "org-admin", "riverton-admin"),
        "fire-adviser": member_make(orgs["fire"], "security-adviser", "fire-adviser"),
    }
    with scopes_disabled():
        p = partnership_create(
            actor=users["lead-adviser"], organisation=orgs["havenstad"], name="Stadium safety"
        )
        for key, kind, public in [
            ("stadium", "venue", False),
            ("police", "police", True),
            ("fire", "fire", True),
        ]:
            partner_add(actor=None, partnership=p, member=orgs[key], kind=kind, is_public=public)
        p.community.add(orgs["shops"], orgs["guards"])
        fire = p.members.get(member=orgs["fire"])
        partner_remove(actor=None, membership=fire)
        w = World(partnership=p, orgs=orgs, users=users)
        share = shared_item_create
        w.items["red"] = share(
            actor=users["lead-adviser"],
            acting_for=orgs["havenstad"],
            partnership=p,
            kind="message",
            title="Red threat note",
            tlp_label="TLP:RED",
            body="Named recipients only",
            recipient_users=[users["police-adviser"]],
            attachment=SimpleUploadedFile("red.pdf", PDF_BYTES),
        )
        w.items["strict"] = share(
            actor=users["lead-adviser"],
            acting_for=orgs["havenstad"],
            partnership=p,
            kind="assessment-excerpt",
            title="Strict gate weakness",
            tlp_label="TLP:AMBER+STRICT",
            recipient_organisations=[orgs["stadium"]],
            attachment=SimpleUploadedFile("strict.pdf", PDF_BYTES),
        )
        w.items["amber"] = share(
            actor=users["lead-adviser"],
            acting_for=orgs["havenstad"],
            partnership=p,
            kind="document",
            title="Amber stewarding plan",
            tlp_label="TLP:AMBER",
            recipient_organisations=[orgs["police"]],
            client_organisations=[orgs["guards"]],
            attachment=SimpleUploadedFile("amber.pdf", PDF_BYTES),
        )
        w.items["green"] = share(
            actor=users["stadium-partner"],
            acting_for=orgs["stadium"],
            partnership=p,
            kind="message",
            title="Green match calendar",
            tlp_label="TLP:GREEN",
            attachment=SimpleUploadedFile("green.pdf", PDF_BYTES),
        )
        w.items["clear"] = share(
            actor=users["police-adviser"],
            acting_for=orgs["police"],
            partnership=p,
            kind="message",
            title="Clear public advice",
            tlp_label="TLP:CLEAR",
            attachment=SimpleUploadedFile("clear.pdf", PDF_BYTES),
        )
    return w


# Who may read which item, written out by hand from the TLP 2.0 definitions (not computed by
# the policy under test). Users whose role or organisation keeps them out of the partnership
# pages are listed in NO_PAGES.
EXPECTED = {
    "lead-adviser": {"red", "strict", "amber", "green", "clear"},  # the sharer of three
    "lead-admin": {"strict", "amber", "green", "clear"},  # source organisation, not named
    "stadium-partner": {"strict", "green", "clear"},
    "police-adviser": {"red", "amber", "green", "clear"},
    "shops-partner": {"green", "clear"},  # community
    "guards-partner": {"amber", "green", "clear"},  # community, named as AMBER client
    "lead-learner": {"clear"},
    "lead-analyst": {"clear"},
    "riverton-admin": {"clear"},
    "fire-adviser": {"clear"},  # left the partnership
}
ORG_OF = {
    "lead-adviser": "havenstad",
    "lead-admin": "havenstad",
    "lead-learner": "havenstad",
    "lead-analyst": "havenstad",
    "stadium-partner": "stadium",
    "police-adviser": "police",
    "shops-partner": "shops",
    "guards-partner": "guards",
    "riverton-admin": "riverton",
    "fire-adviser": "fire",
}
# 403: a role without partnership access; 404: an organisation not in the partnership.
NO_PAGES = {"lead-learner": 403, "lead-analyst": 403, "riverton-admin": 404, "fire-adviser": 404}
