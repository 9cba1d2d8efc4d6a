"""Alerts with their label in the subject and an acknowledgement trail; exercises whose review
feeds the action plan; the Keurmerk Veilig Ondernemen track with reminders; the templates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django_scopes import scopes_disabled

from secu4all.partnerships import texts
from secu4all.partnerships.models import Certification, Exercise, Observation
from secu4all.partnerships.services.alerts import alert_send
from secu4all.partnerships.services.certification import certification_advance
from secu4all.partnerships.services.plans import action_item_create


def test_alert_is_emailed_with_its_label_only_to_its_readers(
    world, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    client.force_login(world.users["lead-adviser"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/o/havenstad/partnerships/{world.partnership.pk}/alerts/new/",
            {
                "title": "Suspicious drone over the north stand",
                "body": "Seen at 19:40.",
                "tlp": "TLP:AMBER",
                "recipient_organisations": [world.orgs["police"].pk],
                "client_organisations": [world.orgs["guards"].pk],
            },
        )
    assert response.status_code == 302
    recipients = sorted(m.to[0] for m in mailoutbox)
    # The source organisation's admin, the police and the named client; not the stadium or shops.
    assert recipients == [
        "guards-partner@example.org",
        "lead-admin@example.org",
        "police-adviser@example.org",
    ]
    assert all(m.subject == "[TLP:AMBER] Suspicious drone over the north stand" for m in mailoutbox)
    assert all(m.body.startswith("TLP:AMBER") for m in mailoutbox)


def test_red_alert_reaches_only_the_named_person(
    world, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        alert = alert_send(
            actor=world.users["lead-adviser"],
            acting_for=world.orgs["havenstad"],
            partnership=world.partnership,
            title="Name of the suspect",
            body="…",
            tlp_label="TLP:RED",
            recipient_users=[world.users["police-adviser"]],
        )
    assert [m.to for m in mailoutbox] == [["police-adviser@example.org"]]
    assert mailoutbox[0].subject.startswith("[TLP:RED] ")
    assert alert.emailed_to == 1


def test_acknowledgement_trail(world) -> None:
    with scopes_disabled():
        alert = alert_send(
            actor=world.users["lead-adviser"],
            acting_for=world.orgs["havenstad"],
            partnership=world.partnership,
            title="Gate 4 closed",
            body="",
            tlp_label="TLP:GREEN",
        )
    client = Client()
    client.force_login(world.users["stadium-partner"])
    waiting = client.get("/o/stadium/partnerships/").content.decode()
    assert "Alerts awaiting your acknowledgement" in waiting
    assert "Gate 4 closed" in waiting
    url = f"/o/stadium/partnerships/{world.partnership.pk}/items/{alert.item.pk}/"
    assert client.post(url + "acknowledge/").status_code == 302
    assert "Gate 4 closed" not in client.get("/o/stadium/partnerships/").content.decode()
    assert client.post(url + "acknowledge/").status_code == 302  # twice is once
    page = client.get(url).content.decode()
    assert "Havenstad Stadion BV" in page
    assert "Nobody has acknowledged" not in page
    with scopes_disabled():
        acks = list(alert.acknowledgements.all())
    assert [(a.user.username, a.acting_for.slug) for a in acks] == [("stadium-partner", "stadium")]
    # Someone the label keeps out cannot acknowledge (nor learn it exists).
    client.force_login(world.users["riverton-admin"])
    assert (
        client.post(
            f"/o/riverton/partnerships/{world.partnership.pk}/items/{alert.item.pk}/acknowledge/"
        ).status_code
        == 404
    )


def test_after_action_review_feeds_the_action_plan_once(world) -> None:
    with scopes_disabled():
        exercise = Exercise.objects.create(
            organisation=world.orgs["havenstad"],
            partnership=world.partnership,
            title="Table-top: crowd crush at the north gate",
            kind="table-top",
            scenario="A pyrotechnic incident causes a surge.",
        )
        Observation.objects.create(
            organisation=world.orgs["havenstad"],
            exercise=exercise,
            text="Radio channels unclear",
            follow_up="One shared radio channel for stewards and police",
            follow_up_owner=world.orgs["stadium"],
        )
        Observation.objects.create(
            organisation=world.orgs["havenstad"],
            exercise=exercise,
            text="Quick closure",
            went_well=True,
        )
    client = Client()
    client.force_login(world.users["lead-adviser"])
    url = f"/o/havenstad/partnerships/{world.partnership.pk}/exercises/{exercise.pk}/close-review/"
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    page = client.get(f"/o/havenstad/partnerships/{world.partnership.pk}/").content.decode()
    assert "One shared radio channel for stewards and police" in page
    with scopes_disabled():
        action = world.partnership.actions.get()
    assert action.owner_organisation == world.orgs["stadium"]
    assert action.source.startswith("Exercise:")
    # A partner may not close the review.
    client.force_login(world.users["stadium-partner"])
    assert client.post(url.replace("havenstad", "stadium", 1)).status_code == 403


def test_certification_stages_cannot_be_skipped_and_end_in_three_years(world) -> None:
    with scopes_disabled():
        c = Certification.objects.create(
            organisation=world.orgs["havenstad"], partnership=world.partnership
        )
        with pytest.raises(ValidationError, match="letter of intent"):
            certification_advance(actor=None, certification=c)
        c.letter_of_intent_on = date(2024, 1, 10)
        certification_advance(actor=None, certification=c)
        assert c.stage == "baseline"
        c.business_survey_done = c.day_walk_done = c.incident_figures_done = True
        with pytest.raises(ValidationError, match="night"):
            certification_advance(actor=None, certification=c)
        c.night_walk_done = True
        for expected in ["plan", "implementation", "audit", "certified"]:
            certification_advance(actor=None, certification=c, on=date(2024, 2, 29))
            assert c.stage == expected
        assert c.certified_on == date(2024, 2, 29)
        assert c.expires_on == date(2027, 3, 1)
        with pytest.raises(ValidationError):
            certification_advance(actor=None, certification=c)


def test_reminders_before_a_certificate_lapses(world, mailoutbox) -> None:
    today = date.today()
    with scopes_disabled():
        soon = Certification.objects.create(
            organisation=world.orgs["havenstad"],
            partnership=world.partnership,
            stage="certified",
            certified_on=today - timedelta(days=1000),
            expires_on=today + timedelta(days=60),
        )
        Certification.objects.create(
            organisation=world.orgs["havenstad"],
            partnership=world.partnership,
            stage="certified",
            certified_on=today,
            expires_on=today + timedelta(days=3 * 365),
        )
    call_command("certificate_reminders", "--days", "90")
    assert sorted(m.to[0] for m in mailoutbox) == [
        "lead-admin@example.org",
        "lead-adviser@example.org",
    ]
    assert mailoutbox[0].subject.startswith("[TLP:GREEN] Keurmerk Veilig Ondernemen")
    with scopes_disabled():
        soon.refresh_from_db()
    assert soon.last_reminder_on == today
    call_command("certificate_reminders", "--days", "90")  # not again the same month
    assert len(mailoutbox) == 2


@pytest.mark.parametrize("language", ["en", "nl", "de", "fr", "it"])
def test_templates_render_in_the_readers_language(world, language) -> None:
    client = Client(headers={"accept-language": language})
    client.force_login(world.users["stadium-partner"])
    page = client.get("/o/stadium/partnerships/templates/information-sharing-agreement/")
    assert page.status_code == 200
    heading = {
        "en": "Information-sharing agreement",
        "nl": "Convenant informatiedeling",
        "de": "Vereinbarung über den Informationsaustausch",
        "fr": "Accord de partage d'informations",
        "it": "Accordo per la condivisione delle informazioni",
    }[language]
    assert heading in page.content.decode()
    assert "<table>" in texts.render("information-sharing-agreement", language)
    assert "<h1>" in texts.render("dpia-checklist", language)
    assert client.get("/o/stadium/partnerships/templates/nope/").status_code == 404


def test_partner_updates_its_own_action_but_not_anothers(world) -> None:
    with scopes_disabled():
        mine = action_item_create(
            actor=None,
            partnership=world.partnership,
            title="Stewards",
            owner_organisation=world.orgs["stadium"],
        )
        theirs = action_item_create(
            actor=None,
            partnership=world.partnership,
            title="Patrols",
            owner_organisation=world.orgs["police"],
        )
    client = Client()
    client.force_login(world.users["stadium-partner"])
    base = f"/o/stadium/partnerships/{world.partnership.pk}/actions/"
    assert client.post(f"{base}{mine.pk}/status/", {"status": "done"}).status_code == 302
    assert client.post(f"{base}{theirs.pk}/status/", {"status": "done"}).status_code == 403
    with scopes_disabled():
        mine.refresh_from_db()
        theirs.refresh_from_db()
    assert (mine.status, theirs.status) == ("done", "open")


def test_lead_keeps_raci_agreements_certification_and_exercises(world) -> None:
    client = Client()
    client.force_login(world.users["lead-adviser"])
    base = f"/o/havenstad/partnerships/{world.partnership.pk}"
    stadium, police = world.orgs["stadium"], world.orgs["police"]
    ok = [
        ("raci", {"measure": "Search at the turnstiles", "partner": stadium.pk, "role": "A"}),
        ("agreement", {"kind": "covenant", "title": "Covenant 2026", "signed_on": "2026-01-05"}),
        (
            "exercise",
            {
                "title": "Live: evacuation",
                "kind": "live",
                "scenario": "Fire in stand B",
                "participants": [stadium.pk, police.pk],
            },
        ),
        ("certification", {}),
    ]
    for what, data in ok:
        assert client.post(f"{base}/add/{what}/", data).status_code == 302, what
    with scopes_disabled():
        p = world.partnership
        assert p.raci.get().partner == stadium
        agreement = p.agreements.get()
        exercise = p.exercises.get()
        certification = p.certifications.get()
        assert set(exercise.participants.all()) == {stadium, police}
    assert (
        client.post(
            f"{base}/add/signatory/{agreement.pk}/",
            {"partner": police.pk, "signed_by": "A. Yilmaz"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/add/inject/{exercise.pk}/", {"minute": 5, "text": "Smoke in stand B"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/add/observation/{exercise.pk}/",
            {
                "text": "Exit 3 blocked",
                "follow_up": "Keep exit 3 clear",
                "follow_up_owner": stadium.pk,
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/add/certification/{certification.pk}/", {"letter_of_intent_on": "2026-01-10"}
        ).status_code
        == 302
    )
    with scopes_disabled():
        assert agreement.signatories.get().signed_by == "A. Yilmaz"
        assert exercise.injects.get().minute == 5
        assert exercise.observations.get().follow_up_owner == stadium
        certification.refresh_from_db()
        assert certification.letter_of_intent_on == date(2026, 1, 10)
    # A RACI without a measure or task, or for an organisation outside the partnership: refused.
    client.post(f"{base}/add/raci/", {"partner": world.orgs["riverton"].pk, "role": "R"})
    with scopes_disabled():
        assert world.partnership.raci.count() == 1
    # Unknown kinds, another partnership's parent, and partners: refused.
    assert client.post(f"{base}/add/nonsense/", {}).status_code == 404
    assert (
        client.post(
            f"{base}/add/inject/{exercise.pk + 99}/", {"minute": 1, "text": "x"}
        ).status_code
        == 404
    )
    client.force_login(world.users["stadium-partner"])
    stadium_base = f"/o/stadium/partnerships/{world.partnership.pk}"
    assert client.post(f"{stadium_base}/add/raci/", ok[0][1]).status_code == 403


def test_search_is_logged_with_what_it_showed(world) -> None:
    from secu4all.audit.models import AuditEvent

    client = Client()
    client.force_login(world.users["shops-partner"])
    page = client.get("/o/shops/partnerships/search/", {"q": "a"}).content.decode()
    assert "Green match calendar" in page
    assert "Amber stewarding plan" not in page
    with scopes_disabled():
        event = AuditEvent.objects.get(object_type="partnerships.search")
    assert event.actor == world.users["shops-partner"]
    assert sorted(event.detail["items"]) == sorted(
        [world.items["green"].pk, world.items["clear"].pk]
    )


def test_admin_shows_shared_items_read_only(admin_client, world) -> None:
    assert admin_client.get("/admin/partnerships/shareditem/").status_code == 200
    item = world.items["red"]
    response = admin_client.post(
        f"/admin/partnerships/shareditem/{item.pk}/change/", {"tlp": "TLP:CLEAR"}
    )
    assert response.status_code == 403
    with scopes_disabled():
        item.refresh_from_db()
    assert item.tlp == "TLP:RED"


def test_reminder_task_runs(world, mailoutbox) -> None:
    from secu4all.partnerships.tasks import send_certificate_reminders

    with scopes_disabled():
        Certification.objects.create(
            organisation=world.orgs["havenstad"],
            partnership=world.partnership,
            stage="certified",
            expires_on=date.today() + timedelta(days=10),
        )
    result = send_certificate_reminders.enqueue(within_days=30)
    assert result.return_value == 1
    assert len(mailoutbox) == 2


def test_measures_the_assessment_recommends_enter_the_plan_once(world) -> None:
    from secu4all.assessments.models import Assessment, Site
    from secu4all.engines.risk import CATALOGUE

    lead = world.orgs["havenstad"]
    chosen = [CATALOGUE[0].id, CATALOGUE[1].id]
    with scopes_disabled():
        site = Site.objects.create(organisation=lead, name="Stadion", kind="stadium")
        for version, measures in [(1, [CATALOGUE[2].id]), (2, chosen)]:
            Assessment.objects.create(
                organisation=lead,
                site=site,
                version=version,
                data={},
                result={"selection": {"measures": measures}},
                total_risk=1.0,
            )
        world.partnership.site = site
        world.partnership.save()
    client = Client()
    client.force_login(world.users["lead-adviser"])
    url = f"/o/havenstad/partnerships/{world.partnership.pk}/actions/from-assessment/"
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    with scopes_disabled():
        titles = sorted(world.partnership.actions.values_list("title", flat=True))
        sources = set(world.partnership.actions.values_list("source", flat=True))
    assert titles == sorted([CATALOGUE[0].name, CATALOGUE[1].name])
    assert sources == {"Risk assessment v2"}
    client.force_login(world.users["stadium-partner"])
    assert client.post(url.replace("havenstad", "stadium", 1)).status_code == 403


def test_an_assessment_excerpt_is_never_wider_than_the_assessment(world) -> None:
    from secu4all.assessments.models import Assessment, Site

    lead = world.orgs["havenstad"]
    with scopes_disabled():
        site = Site.objects.create(organisation=lead, name="Stadion", kind="stadium")
        Assessment.objects.create(
            organisation=lead,
            site=site,
            version=3,
            data={},
            result={
                "scenarios": [
                    {"id": "a", "name": "Vehicle ramming", "risk": 420, "residual_risk": 90},
                    {"id": "b", "name": "Arson", "risk": 120, "residual_risk": 100},
                ]
            },
            total_risk=540,
            tlp="TLP:AMBER+STRICT",
        )
        world.partnership.site = site
        world.partnership.save()
    client = Client()
    client.force_login(world.users["lead-adviser"])
    url = f"/o/havenstad/partnerships/{world.partnership.pk}/items/excerpt/"
    page = client.get(url).content.decode()
    assert "Vehicle ramming: 420 → 90" in page
    wider = client.post(url, {"title": "Excerpt", "body": "Vehicle ramming", "tlp": "TLP:GREEN"})
    assert wider.status_code == 400
    assert "cannot be shared as TLP:GREEN" in wider.content.decode()
    stricter = client.post(
        url,
        {
            "title": "Excerpt",
            "body": "Vehicle ramming",
            "tlp": "TLP:RED",
            "recipient_users": [world.users["police-adviser"].pk],
        },
    )
    assert stricter.status_code == 302
    with scopes_disabled():
        item = world.partnership.shared_items.get(title="Excerpt")
    assert (item.kind, item.tlp) == ("assessment-excerpt", "TLP:RED")
    client.force_login(world.users["stadium-partner"])
    assert client.get(url.replace("havenstad", "stadium", 1)).status_code == 403
