"""Demo organisations and one demo user per role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model

from secu4all.organisations.models import Organisation, Role
from secu4all.organisations.selectors import base_map_of
from secu4all.organisations.services import membership_grant, organisation_set_base_map

DEMO_BASE_MAP = Path(__file__).parent / "demo_data" / "havenstad.pmtiles"


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    kind: str
    country: str


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    org_slug: str
    org_name: str
    role: Role


HAVENSTAD = DemoOrganisation("havenstad", "Gemeente Havenstad", "municipality", "NL")
STADIUM = DemoOrganisation("havenstad-stadion", "Havenstad Stadion BV", "venue", "NL")
RIVERTON = DemoOrganisation("riverton", "Riverton Town Council", "municipality", "GB")

DEMO_ORGANISATIONS = (HAVENSTAD, STADIUM, RIVERTON)
DEMO_PEOPLE = (
    DemoPerson("admin", "Anouk", "de Vries", HAVENSTAD.slug, HAVENSTAD.name, Role.ORG_ADMIN),
    DemoPerson("adviser", "Bram", "Jansen", HAVENSTAD.slug, HAVENSTAD.name, Role.SECURITY_ADVISER),
    DemoPerson("analyst", "Ilze", "Bērziņa", HAVENSTAD.slug, HAVENSTAD.name, Role.ANALYST),
    DemoPerson("trainer", "Marta", "Ferrer", HAVENSTAD.slug, HAVENSTAD.name, Role.TRAINER),
    DemoPerson("learner", "Luca", "Romano", HAVENSTAD.slug, HAVENSTAD.name, Role.LEARNER),
    DemoPerson("partner", "Sophie", "Laurent", STADIUM.slug, STADIUM.name, Role.PARTNER),
    DemoPerson("riverton", "Rhys", "Evans", RIVERTON.slug, RIVERTON.name, Role.ORG_ADMIN),
)


def load(*, password: str) -> bool:
    User = get_user_model()
    created_any = False
    organisations = {}
    for org in DEMO_ORGANISATIONS:
        organisations[org.slug], created = Organisation.objects.get_or_create(
            slug=org.slug, defaults={"name": org.name, "kind": org.kind, "country": org.country}
        )
        created_any |= created
    for person in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(
            username=person.username,
            defaults={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": f"{person.username}@{person.org_slug}.example",
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
            created_any = True
        membership_grant(
            actor=None, organisation=organisations[person.org_slug], user=user, role=person.role
        )
    # The stadium's partner also works with the municipality, as a partner only.
    partner = User.objects.get(username="partner")
    membership_grant(
        actor=None, organisation=organisations[HAVENSTAD.slug], user=partner, role=Role.PARTNER
    )
    havenstad = organisations[HAVENSTAD.slug]
    if base_map_of(organisation=havenstad) is None:
        # The fictional town's own base map, made by scripts/demo_base_map.py to match its data.
        organisation_set_base_map(
            actor=None,
            organisation=havenstad,
            source=DEMO_BASE_MAP,
            attribution="Secu4All demo town (fictional)",
        )
    return created_any
