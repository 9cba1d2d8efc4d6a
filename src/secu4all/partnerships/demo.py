"""Three fictionalised partnerships after the Dutch and Flemish research cases on protecting
soft targets: a football stadium, a four-day walking event and a diamond trading district.

Names, people and numbers are invented; the structure (who sits at the table, what they
share under which label, what they exercise) follows the cases.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from secu4all.assessments.selectors import site_list
from secu4all.organisations.demo import DemoPerson
from secu4all.organisations.models import Organisation, Role
from secu4all.organisations.services import membership_grant
from secu4all.partnerships.models import (
    Agreement,
    Certification,
    Exercise,
    Inject,
    Observation,
    Partnership,
    RaciAssignment,
    Signatory,
)
from secu4all.partnerships.services import alerts, exercises, members, plans, sharing

ORGANISATIONS = {
    "politie-havenstad": ("Politie Eenheid Havenstad", "police"),
    "brandweer-havenstad": ("Veiligheidsregio Havenstad-Kust", "fire"),
    "vierdaagse": ("Stichting Havenstadse Vierdaagse", "event-organiser"),
    "diamantkring": ("Diamantkring Havenstad", "business-association"),
    "wachtpost": ("Wachtpost Beveiliging BV", "private-security"),
    "havenstad-vervoer": ("Havenstad Vervoer NV", "other"),
}

DEMO_PEOPLE = (
    DemoPerson(
        "agent",
        "Karim",
        "El Amrani",
        "politie-havenstad",
        "Politie Eenheid Havenstad",
        Role.SECURITY_ADVISER,
    ),
    DemoPerson(
        "organiser",
        "Femke",
        "Bakker",
        "vierdaagse",
        "Stichting Havenstadse Vierdaagse",
        Role.PARTNER,
    ),
    DemoPerson(
        "diamonds", "Ruben", "Peeters", "diamantkring", "Diamantkring Havenstad", Role.PARTNER
    ),
    DemoPerson("guard", "Noor", "Visser", "wachtpost", "Wachtpost Beveiliging BV", Role.PARTNER),
)


def _organisations() -> dict[str, Organisation]:
    found = {}
    for slug, (name, kind) in ORGANISATIONS.items():
        found[slug], _created = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
    for slug in ("havenstad", "havenstad-stadion", "riverton"):
        found[slug] = Organisation.objects.get(slug=slug)
    return found


def _people(password: str) -> dict:
    User = get_user_model()
    people = {}
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
        membership_grant(
            actor=None,
            organisation=Organisation.objects.get(slug=person.org_slug),
            user=user,
            role=person.role,
        )
        people[person.username] = user
    for username in ("adviser", "admin", "partner"):
        people[username] = User.objects.get(username=username)
    return people


def _note(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


def load(*, password: str) -> bool:
    if Partnership.objects.filter(name="Veilig Stadion Havenstad").exists():
        return False
    orgs = _organisations()
    people = _people(password)
    _stadium(orgs, people)
    _walk(orgs, people)
    _diamonds(orgs, people)
    return True


def _stadium(orgs: dict, people: dict) -> None:
    lead = orgs["havenstad"]
    today = date.today()
    p = members.partnership_create(
        actor=None,
        organisation=lead,
        name="Veilig Stadion Havenstad",
        subject="site",
        site=site_list(organisation=lead).filter(name="Havenstad Stadion").first(),
        description="Match-day safety at the stadium: the municipality, the club's stadium "
        "company, police, the security region, the stewarding firm and public transport.",
    )
    members.partner_add(
        actor=None,
        partnership=p,
        member=orgs["havenstad-stadion"],
        kind="venue",
        is_public=False,
        contacts=[
            {
                "name": "Sophie Laurent",
                "function": "Head of security",
                "email": "partner@havenstad-stadion.example",
                "phone": "+31 70 555 0101",
            }
        ],
    )
    members.partner_add(
        actor=None,
        partnership=p,
        member=orgs["politie-havenstad"],
        kind="police",
        is_public=True,
        contacts=[{"name": "Karim El Amrani", "function": "Event commander"}],
    )
    members.partner_add(
        actor=None,
        partnership=p,
        member=orgs["brandweer-havenstad"],
        kind="security-region",
        is_public=True,
    )
    members.partner_add(
        actor=None,
        partnership=p,
        member=orgs["wachtpost"],
        kind="private-security",
        is_public=False,
    )
    members.partner_add(
        actor=None,
        partnership=p,
        member=orgs["havenstad-vervoer"],
        kind="transport",
        is_public=False,
    )
    stewards = plans.action_item_create(
        actor=None,
        partnership=p,
        title="Stewards at the north gate from two hours before kick-off",
        owner_organisation=orgs["havenstad-stadion"],
        owner_user=people["partner"],
        deadline=today + timedelta(days=14),
        status="in-progress",
    )
    plans.action_item_create(
        actor=None,
        partnership=p,
        title="Hostile vehicle barriers on Stadionlaan on match days",
        owner_organisation=lead,
        deadline=today + timedelta(days=45),
    )
    plans.action_item_create(
        actor=None,
        partnership=p,
        title="Extra trams after the match, staggered departures",
        owner_organisation=orgs["havenstad-vervoer"],
        deadline=today - timedelta(days=3),
    )
    for measure, raci in [
        (
            "Hostile vehicle mitigation",
            [("havenstad", "A"), ("politie-havenstad", "C"), ("havenstad-stadion", "I")],
        ),
        (
            "Search at the turnstiles",
            [("havenstad-stadion", "A"), ("wachtpost", "R"), ("politie-havenstad", "C")],
        ),
        ("Evacuation plan", [("brandweer-havenstad", "A"), ("havenstad-stadion", "R")]),
    ]:
        for slug, role in raci:
            RaciAssignment.objects.create(
                organisation=lead, partnership=p, measure=measure, partner=orgs[slug], role=role
            )
    RaciAssignment.objects.create(
        organisation=lead, partnership=p, action_item=stewards, partner=orgs["wachtpost"], role="R"
    )
    covenant = Agreement.objects.create(
        organisation=lead,
        partnership=p,
        kind="covenant",
        title="Convenant Veilig Stadion Havenstad 2025–2028",
        signed_on=date(2025, 3, 1),
        valid_until=date(2028, 2, 29),
    )
    for slug, who in [
        ("havenstad", "Burgemeester M. de Groot"),
        ("havenstad-stadion", "Directeur J. Smit"),
        ("politie-havenstad", "Chef eenheid A. Yilmaz"),
    ]:
        Signatory.objects.create(
            organisation=lead,
            agreement=covenant,
            partner=orgs[slug],
            signed_by=who,
            signed_on=date(2025, 3, 1),
        )
    exercise = Exercise.objects.create(
        organisation=lead,
        partnership=p,
        title="Table-top: vehicle ramming at the fan zone",
        kind="table-top",
        held_on=today - timedelta(days=20),
        scenario="Derby, 24,000 visitors. At 19:20 a van drives into the fan zone square; "
        "panic spreads to the north gate queue.",
        after_action_review="Alarming worked within four minutes. Radio traffic between "
        "stewards and police was the weakest link; the fan zone has no vehicle barrier.",
    )
    exercise.participants.set(
        [lead, orgs["havenstad-stadion"], orgs["politie-havenstad"], orgs["brandweer-havenstad"]]
    )
    for minute, text in [
        (0, "Van enters the fan zone square at speed; first reports by stewards."),
        (4, "112 calls; the event commander is alerted."),
        (10, "Crowd surges to the north gate; turnstiles must open outward."),
        (25, "Press at the main entrance; a video circulates online."),
    ]:
        Inject.objects.create(organisation=lead, exercise=exercise, minute=minute, text=text)
    Observation.objects.create(
        organisation=lead,
        exercise=exercise,
        text="Stewards and police used different radio channels.",
        follow_up="One shared talk group for stewards and police on match days",
        follow_up_owner=orgs["politie-havenstad"],
    )
    Observation.objects.create(
        organisation=lead,
        exercise=exercise,
        text="The north gate opened outward within three minutes.",
        went_well=True,
    )
    Observation.objects.create(
        organisation=lead,
        exercise=exercise,
        text="The fan zone has no hostile vehicle barrier.",
        follow_up="Temporary barriers at the fan zone entrances",
        follow_up_owner=lead,
    )
    exercises.exercise_review_close(actor=None, exercise=exercise)

    share = sharing.shared_item_create
    share(
        actor=people["adviser"],
        acting_for=lead,
        partnership=p,
        kind="message",
        title="Intelligence on a planned confrontation at the derby",
        body="Only for the event commander and the head of security.",
        tlp_label="TLP:RED",
        recipient_users=[people["agent"], people["partner"]],
    )
    share(
        actor=people["adviser"],
        acting_for=lead,
        partnership=p,
        kind="assessment-excerpt",
        title="Vulnerabilities at the north gate (assessment excerpt)",
        body="Perimeter score 1 of 4: no vehicle barrier at the fan zone; queue within 15 m "
        "of the road.",
        tlp_label="TLP:AMBER+STRICT",
        recipient_organisations=[orgs["havenstad-stadion"], orgs["politie-havenstad"]],
        attachment=_note(
            "north-gate.txt",
            "TLP:AMBER+STRICT\nNorth gate: queue 15 m from the road, no barrier.\n",
        ),
    )
    share(
        actor=people["partner"],
        acting_for=orgs["havenstad-stadion"],
        partnership=p,
        kind="document",
        title="Stewarding plan for the derby",
        body="Posts, numbers and radio channels.",
        tlp_label="TLP:AMBER",
        recipient_organisations=[orgs["havenstad-stadion"], orgs["politie-havenstad"]],
        client_organisations=[orgs["wachtpost"]],
    )
    share(
        actor=people["partner"],
        acting_for=orgs["havenstad-stadion"],
        partnership=p,
        kind="message",
        title="Match calendar and expected attendance",
        tlp_label="TLP:GREEN",
        body="Next home matches with expected attendance; derby sold out.",
    )
    share(
        actor=people["agent"],
        acting_for=orgs["politie-havenstad"],
        partnership=p,
        kind="message",
        title="Advice to visitors: arrive early, small bags only",
        tlp_label="TLP:CLEAR",
        body="May be published on the club's website.",
    )
    alert = alerts.alert_send(
        actor=people["agent"],
        acting_for=orgs["politie-havenstad"],
        partnership=p,
        title="Unattended bag reported at gate B",
        body="Area cordoned off; stewards redirect visitors to gate C.",
        tlp_label="TLP:GREEN",
        email=False,
    )
    alerts.alert_acknowledge(
        actor=people["partner"], alert=alert, acting_for=orgs["havenstad-stadion"]
    )


def _walk(orgs: dict, people: dict) -> None:
    lead = orgs["havenstad"]
    today = date.today()
    p = members.partnership_create(
        actor=None,
        organisation=lead,
        name="Havenstadse Vierdaagse",
        subject="event",
        site=site_list(organisation=lead).filter(name="Havenstad Four-Day Walk").first(),
        description="Four days, 40,000 walkers a day, routes through four municipalities.",
    )
    for slug, kind, public in [
        ("vierdaagse", "event-organiser", False),
        ("politie-havenstad", "police", True),
        ("brandweer-havenstad", "security-region", True),
        ("havenstad-vervoer", "transport", False),
    ]:
        members.partner_add(
            actor=None, partnership=p, member=orgs[slug], kind=kind, is_public=public
        )
    plans.action_item_create(
        actor=None,
        partnership=p,
        title="Route-blocking vehicles at the start area",
        owner_organisation=lead,
        deadline=today + timedelta(days=60),
    )
    plans.action_item_create(
        actor=None,
        partnership=p,
        title="Heat plan: water points every 5 km",
        owner_organisation=orgs["vierdaagse"],
        deadline=today + timedelta(days=30),
    )
    RaciAssignment.objects.create(
        organisation=lead,
        partnership=p,
        measure="Crowd management at the finish avenue",
        partner=orgs["vierdaagse"],
        role="A",
    )
    RaciAssignment.objects.create(
        organisation=lead,
        partnership=p,
        measure="Crowd management at the finish avenue",
        partner=orgs["politie-havenstad"],
        role="C",
    )
    share = sharing.shared_item_create
    share(
        actor=people["organiser"],
        acting_for=orgs["vierdaagse"],
        partnership=p,
        kind="document",
        title="Route map with marshal posts",
        tlp_label="TLP:AMBER",
        recipient_organisations=[orgs["politie-havenstad"], lead],
    )
    share(
        actor=people["adviser"],
        acting_for=lead,
        partnership=p,
        kind="message",
        title="Road closures during the walk",
        tlp_label="TLP:CLEAR",
        body="Published in the local paper.",
    )
    share(
        actor=people["agent"],
        acting_for=orgs["politie-havenstad"],
        partnership=p,
        kind="incident-alert",
        title="Threat assessment for the final day",
        tlp_label="TLP:RED",
        recipient_users=[people["adviser"], people["organiser"]],
    )


def _diamonds(orgs: dict, people: dict) -> None:
    lead = orgs["havenstad"]
    p = members.partnership_create(
        actor=None,
        organisation=lead,
        name="Veilig Ondernemen Diamantwijk",
        subject="area",
        description="The diamond trading district: dealers, the business association, private "
        "security and police work towards the Keurmerk Veilig Ondernemen.",
    )
    members.partner_add(
        actor=None,
        partnership=p,
        member=orgs["diamantkring"],
        kind="business-association",
        is_public=False,
    )
    members.partner_add(
        actor=None, partnership=p, member=orgs["politie-havenstad"], kind="police", is_public=True
    )
    members.partner_add(
        actor=None,
        partnership=p,
        member=orgs["wachtpost"],
        kind="private-security",
        is_public=False,
    )
    Certification.objects.create(
        organisation=lead,
        partnership=p,
        stage="baseline",
        letter_of_intent_on=date.today() - timedelta(days=120),
        business_survey_done=True,
        day_walk_done=True,
        night_walk_done=False,
        incident_figures_done=True,
    )
    Agreement.objects.create(
        organisation=lead,
        partnership=p,
        kind="information-sharing",
        title="Information-sharing agreement Diamantwijk",
        signed_on=date.today() - timedelta(days=100),
    )
    plans.action_item_create(
        actor=None,
        partnership=p,
        title="Night inspection walk with dealers and police",
        owner_organisation=orgs["diamantkring"],
        deadline=date.today() + timedelta(days=21),
    )
    share = sharing.shared_item_create
    share(
        actor=people["agent"],
        acting_for=orgs["politie-havenstad"],
        partnership=p,
        kind="incident-alert",
        title="Modus operandi: distraction theft at display windows",
        tlp_label="TLP:GREEN",
        body="Two people, one asks for directions while the other takes a tray.",
    )
    share(
        actor=people["diamonds"],
        acting_for=orgs["diamantkring"],
        partnership=p,
        kind="document",
        title="Business survey results, baseline",
        tlp_label="TLP:AMBER+STRICT",
        recipient_organisations=[lead],
    )
