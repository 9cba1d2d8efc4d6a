"""Demo sites of Gemeente Havenstad, assessed, one of them twice to show what improved."""

from __future__ import annotations

from secu4all.assessments.models import Site, SiteZone
from secu4all.assessments.services import assessment_create, default_data
from secu4all.engines import risk
from secu4all.organisations.models import Organisation

SITES = [
    {
        "name": "Havenstad Stadion",
        "kind": "stadium",
        "capacity": 24000,
        "crowd_density": 3.5,
        "is_event": False,
        "entry_checks": True,
        "lon": 4.3160,
        "lat": 52.0700,
        "opening_times": "Match days, about 20 a year, 2 hours before kick-off until 1 hour after",
        "zones": [
            ("North gate", "entrance"),
            ("Turnstile queue east", "queue"),
            ("Fan zone square", "gathering"),
        ],
    },
    {
        "name": "Grote Plein with the Christmas market",
        "kind": "market",
        "capacity": 6000,
        "crowd_density": 2.5,
        "is_event": True,
        "entry_checks": False,
        "lon": 4.2942,
        "lat": 52.0802,
        "opening_times": "Late November to 31 December, 11:00–22:00",
        "zones": [("Access from Winkelstraat", "entrance"), ("Skating rink", "gathering")],
    },
    {
        "name": "Winkelstraat",
        "kind": "shopping-street",
        "capacity": 3500,
        "crowd_density": 1.5,
        "is_event": False,
        "entry_checks": False,
        "lon": 4.3051,
        "lat": 52.0766,
        "opening_times": "Shops 09:00–18:00, late opening on Thursdays until 21:00",
        "zones": [("Pedestrian zone entrance at the canal", "entrance")],
    },
    {
        "name": "Havenstad Four-Day Walk",
        "kind": "event",
        "capacity": 40000,
        "crowd_density": 2.0,
        "is_event": True,
        "entry_checks": True,
        "lon": 4.3000,
        "lat": 52.0780,
        "opening_times": "Four days in July, start 04:00, finish until 17:00",
        "zones": [
            ("Start area", "gathering"),
            ("Finish avenue", "gathering"),
            ("Registration queue", "queue"),
        ],
    },
]

# Middle-of-the-scale answers, worse for the perimeter: a realistic first assessment.
FIRST_ANSWERS = {
    q.id: min(1, len(q.scale) - 1) if q.domain == "perimeter" else len(q.scale) // 2
    for q in risk.QUESTIONS
}


def load(*, password: str) -> bool:
    organisation = Organisation.objects.get(slug="havenstad")
    if Site.objects.filter(organisation=organisation).exists():
        return False
    for spec in SITES:
        zones = spec.pop("zones")
        site = Site.objects.create(organisation=organisation, **spec)
        spec["zones"] = zones
        for name, kind in zones:
            SiteZone.objects.create(organisation=organisation, site=site, name=name, kind=kind)
        data = default_data(site)
        data["answers"] = dict(FIRST_ANSWERS)
        data["threat_context"]["national_level"] = 4
        first = assessment_create(site=site, actor=None, data=data)
        if site.kind == "market":
            # After the first assessment the municipality hired barriers and briefed staff.
            improved = dict(first.data)
            improved["answers"] = {
                **FIRST_ANSWERS,
                "perimeter.hvm": 3,
                "organisation.staff_awareness": 3,
            }
            assessment_create(site=site, actor=None, data=improved)
    return True
