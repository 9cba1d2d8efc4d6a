"""Demo sites of Gemeente Havenstad, assessed, one of them twice to show what improved."""

from __future__ import annotations

from secu4all.assessments import geometry
from secu4all.assessments.models import Site, SiteZone
from secu4all.assessments.services import (
    assessment_create,
    default_data,
    measure_setting_save,
    scenario_settings_save,
    sites_place_in_areas,
)
from secu4all.engines import risk
from secu4all.organisations.models import Organisation


def square_area(lat: float, lon: float, half_lat: float, width_lon: float) -> dict:
    corners = [
        (lon - width_lon / 2, lat - half_lat),
        (lon + width_lon / 2, lat - half_lat),
        (lon + width_lon / 2, lat + half_lat),
        (lon - width_lon / 2, lat + half_lat),
    ]
    return geometry.to_geojson(corners)


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
        "area": square_area(52.0700, 4.3160, 0.0012, 0.0026),
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
        # About 100 m by 70 m: 6,000 visitors at the peak is under one person per m².
        "area": square_area(52.0802, 4.2942, 0.00073, 0.00315),
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
    own_library(organisation)
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
    sites_place_in_areas(organisation=organisation)
    return True


def own_library(organisation: Organisation) -> None:
    """Havenstad hires its crowd barriers from a local firm and watches drug dealing everywhere."""
    barriers = risk.measure_by_id("crowd_barriers")
    measure_setting_save(
        organisation=organisation,
        actor=None,
        measure_id=barriers.id,
        values={
            "name": barriers.name,
            "category": barriers.category,
            "investment_eur": 0,
            "yearly_cost_eur": 6500,
            "lifetime_years": 1,
            "effects": dict(barriers.effects),
            "perceived_safety": barriers.perceived_safety,
            "accessibility": barriers.accessibility,
            "offered": True,
        },
    )
    measure_setting_save(
        organisation=organisation,
        actor=None,
        measure_id=None,
        values={
            "name": "Havenstad host programme: trained hosts at the busiest corners",
            "category": "crowd",
            "investment_eur": 5000,
            "yearly_cost_eur": 18000,
            "lifetime_years": 5,
            "effects": {"pickpocketing_theft": 0.25, "disorder": 0.3, "sexual_harassment": 0.2},
            "perceived_safety": 2,
            "accessibility": 1,
            "offered": True,
        },
    )
    scenario_settings_save(
        organisation=organisation,
        actor=None,
        rows={"drug_dealing": {"inclusion": "always", "asset_value": 4, "threat": 5, "note": ""}},
    )
