"""The learner's and trainer's pages through Django's test client: a lesson, every item type,
tampered answers, a scenario to its end, certificates, the dashboard and tenant isolation."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from secu4all.engines.xapi import statement_errors
from secu4all.training.models import (
    Attempt,
    Certificate,
    ItemResponse,
    ScenarioRun,
    XapiStatement,
)

pytestmark = pytest.mark.django_db

RIGHT = {
    "fx-single": {"choice": "a"},
    "fx-multiple": {"choice": ["a", "b"]},
    "fx-truefalse": {"choice": "true"},
    "fx-matching": {"pair-p1": "p1", "pair-p2": "p2", "pair-p3": "p3"},
    "fx-ordering": {"step-s1": "1", "step-s2": "2", "step-s3": "3"},
    "fx-numeric": {"value": "50"},
    "fx-hotspot": {"choice": "r1"},
    "fx-freetext": {"text": "Guardians who watch the square."},
}
LESSON_ITEMS = {
    "m1-l1-intro": ["fx-single", "fx-multiple", "fx-truefalse", "fx-matching"],
    "m1-l2-practice": ["fx-ordering", "fx-numeric", "fx-hotspot", "fx-freetext"],
}


@pytest.fixture
def town(loaded_curriculum, havenstad, riverton, make_member):
    return {
        "org": havenstad,
        "learner": make_member(havenstad, "learner", username="luca"),
        "other": make_member(havenstad, "analyst", username="ilze"),
        "trainer": make_member(havenstad, "trainer", username="marta"),
        "riverton": make_member(riverton, "learner", username="rhys"),
    }


def url(view: str, **kwargs) -> str:
    return reverse(f"training:{view}", kwargs={"org_slug": "havenstad", **kwargs})


def start_attempt(client, lesson: str) -> int:
    response = client.post(url("attempt_start", key=lesson))
    assert response.status_code == 302
    return int(re.search(r"/attempts/(\d+)/", response["Location"]).group(1))


def answer(client, attempt: int, key: str, data: dict):
    return client.post(url("item_answer", pk=attempt, item_key=key), data)


def play(client, key: str = "m1-s1-market", choices: tuple = ("a", "a")) -> int:
    response = client.post(url("scenario", key=key))
    run = int(re.search(r"/runs/(\d+)/", response["Location"]).group(1))
    for choice in choices:
        assert client.post(url("run", pk=run), {"choice": choice}).status_code == 302
    return run


def test_overview_lists_modules_and_lessons(client, town) -> None:
    client.force_login(town["learner"])
    page = client.get(url("overview")).content.decode()
    assert "Basics of safe squares" in page
    assert "Introduction" in page
    assert "Market evening" in page


def test_overview_in_dutch(client, town) -> None:
    client.force_login(town["learner"])
    page = client.get(url("overview"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Basis van veilige pleinen" in page
    assert "Inleiding" in page


def test_lesson_renders_markdown_safely_and_resolves_links(client, town) -> None:
    client.force_login(town["learner"])
    page = client.get(url("lesson", key="m1-l1-intro")).content.decode()
    assert f'href="{url("lesson", key="m1-l2-practice")}"' in page
    assert f'src="{url("media", name="square.svg")}"' in page
    assert "Felson, M. (2002)" in page
    media = client.get(url("media", name="square.svg"))
    assert media["Content-Type"] == "image/svg+xml"
    assert "sandbox" in media["Content-Security-Policy"]


def test_markdown_drops_scripts() -> None:
    from secu4all.training.rendering import render_markdown

    html = render_markdown(
        "Hi <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        org_slug="havenstad",
    )
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_learner_answers_every_type_and_gets_server_feedback(client, town) -> None:
    client.force_login(town["learner"])
    for lesson, keys in LESSON_ITEMS.items():
        attempt = start_attempt(client, lesson)
        page = client.get(url("attempt", pk=attempt)).content.decode()
        for key in keys:
            assert f'id="item-{key}"' in page
        for key in keys:
            response = answer(client, attempt, key, RIGHT[key])
            assert response.status_code == 302, response.content.decode()[:500]
        page = client.get(url("attempt", pk=attempt)).content.decode()
        assert page.count("<strong>Correct.</strong>") == len(
            [k for k in keys if k != "fx-freetext"]
        )
        client.post(url("attempt_submit", pk=attempt))
    with scope(organisation=town["org"]):
        scores = dict(Attempt.objects.values_list("lesson__key", "score"))
    assert scores == {"m1-l1-intro": 4, "m1-l2-practice": 3}  # free text waits for review
    page = client.get(url("attempt", pk=attempt)).content.decode()
    assert "A trainer will review your answer" in page


def test_wrong_choice_shows_that_options_feedback(client, town) -> None:
    client.force_login(town["learner"])
    attempt = start_attempt(client, "m1-l1-intro")
    answer(client, attempt, "fx-single", {"choice": "c"})
    page = client.get(url("attempt", pk=attempt)).content.decode()
    assert "Not correct." in page
    assert "C wrong" in page
    assert 'role="status" aria-live="polite"' in page


def test_tampered_submissions_are_rejected(client, town) -> None:
    client.force_login(town["learner"])
    attempt = start_attempt(client, "m1-l1-intro")
    # An item of another lesson.
    assert answer(client, attempt, "fx-numeric", {"value": "50"}).status_code == 400
    # An option the item does not have.
    assert answer(client, attempt, "fx-single", {"choice": "z"}).status_code == 400
    # A forged score is ignored: the wrong answer scores 0.
    answer(client, attempt, "fx-single", {"choice": "b", "score": "1", "correct": "true"})
    with scope(organisation=town["org"]):
        assert ItemResponse.objects.get(item__key="fx-single").score == 0
    # Answering twice in one attempt.
    assert answer(client, attempt, "fx-single", {"choice": "a"}).status_code == 400
    # Another learner's attempt id is not found.
    client.force_login(town["other"])
    assert answer(client, attempt, "fx-truefalse", {"choice": "true"}).status_code == 404
    assert client.get(url("attempt", pk=attempt)).status_code == 404
    assert client.post(url("attempt_submit", pk=attempt)).status_code == 404


def test_riverton_sees_nothing_of_havenstad(client, town) -> None:
    client.force_login(town["learner"])
    attempt = start_attempt(client, "m1-l1-intro")
    run = play(client, choices=("a",))
    client.force_login(town["riverton"])
    assert client.get(url("overview")).status_code == 404
    for name, kwargs in (("attempt", {"pk": attempt}), ("run", {"pk": run})):
        path = reverse(f"training:{name}", kwargs={"org_slug": "riverton", **kwargs})
        assert client.get(path).status_code == 404


def test_scenario_played_to_the_end_with_debrief(client, town) -> None:
    client.force_login(town["learner"])
    run = play(client, choices=("a", "b"))
    page = client.get(url("run", pk=run)).content.decode()
    assert "Debrief: your path beside the recommended one" in page
    assert "Answer N2-B" in page  # the choice taken
    assert "W2B wrong" in page  # why it was not recommended
    assert "W2A right" in page  # why the recommended one is
    assert "Score: 4 of 6 points." in page
    with scope(organisation=town["org"]):
        finished = ScenarioRun.objects.get(pk=run)
    assert (finished.outcome, finished.score, finished.max_score) == ("poor", 4, 6)
    # A choice not offered, or after the end, is refused.
    assert client.post(url("run", pk=run), {"choice": "a"}).status_code == 400


def test_pass_certificate_and_public_verification(client, town) -> None:
    client.force_login(town["learner"])
    for lesson, keys in LESSON_ITEMS.items():
        client.get(url("lesson", key=lesson))
        attempt = start_attempt(client, lesson)
        for key in keys:
            answer(client, attempt, key, RIGHT[key])
        client.post(url("attempt_submit", pk=attempt))
    play(client)
    with scopes_disabled():
        certificate = Certificate.objects.get(user=town["learner"])
    page = client.get(url("overview")).content.decode()
    assert certificate.code in page
    pdf = client.get(url("certificate_pdf", code=certificate.code))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    client.logout()
    public = client.get(reverse("certificate_verify", kwargs={"code": certificate.code}))
    assert public.status_code == 200
    text = public.content.decode()
    assert "Valid certificate." in text
    assert "Module 1: Basics of safe squares" in text
    unknown = client.get(reverse("certificate_verify", kwargs={"code": "AAAA-BBBB-CCCC-DDDD"}))
    assert unknown.status_code == 404
    assert "No certificate has the code AAAA-BBBB-CCCC-DDDD." in unknown.content.decode()
    with scopes_disabled():
        verbs = set(XapiStatement.objects.values_list("verb", flat=True))
        statements = list(XapiStatement.objects.values_list("data", flat=True))
    assert verbs == {"launched", "experienced", "answered", "passed", "completed"}
    assert all(statement_errors(s) == [] for s in statements)


def test_failing_attempt_records_failed(client, town) -> None:
    client.force_login(town["learner"])
    attempt = start_attempt(client, "m1-l1-intro")
    answer(client, attempt, "fx-single", {"choice": "b"})
    client.post(url("attempt_submit", pk=attempt))
    with scopes_disabled():
        failed = XapiStatement.objects.get(verb="failed")
    assert failed.data["result"]["success"] is False
    assert failed.data["result"]["score"]["raw"] == 0


def test_trainer_reviews_free_text_and_sees_statistics(client, town) -> None:
    client.force_login(town["learner"])
    attempt = start_attempt(client, "m1-l2-practice")
    answer(client, attempt, "fx-freetext", RIGHT["fx-freetext"])
    client.post(url("attempt_submit", pk=attempt))
    client.force_login(town["trainer"])
    queue = client.get(url("reviews")).content.decode()
    assert "Guardians who watch the square." in queue
    with scope(organisation=town["org"]):
        response = ItemResponse.objects.get(item__key="fx-freetext")
    bad = client.post(url("review", pk=response.pk), {f"r{response.pk}-score": "5"})
    assert bad.status_code == 302
    client.post(
        url("review", pk=response.pk),
        {f"r{response.pk}-score": "2", f"r{response.pk}-comment": "Well argued."},
    )
    with scope(organisation=town["org"]):
        response.refresh_from_db()
        assert (response.score, response.correct) == (2, True)
        assert Attempt.objects.get(pk=attempt).score == 2
    assert "Nothing to review." in client.get(url("reviews")).content.decode()
    dashboard = client.get(url("trainer")).content.decode()
    assert "Item statistics" in dashboard
    assert "fx-freetext" in dashboard


def test_learner_cannot_open_the_trainer_pages(client, town) -> None:
    client.force_login(town["learner"])
    assert client.get(url("trainer")).status_code == 403
    assert client.get(url("reviews")).status_code == 403


def test_cohort_enrolment_export_and_self_enrolment(client, town) -> None:
    client.force_login(town["trainer"])
    response = client.post(
        url("trainer"),
        {"form": "cohort", "name": "=cmd| squad", "trainer": town["trainer"].pk},
    )
    assert response.status_code == 302
    cohort_pk = int(re.search(r"/cohorts/(\d+)/", response["Location"]).group(1))
    client.post(url("cohort", pk=cohort_pk), {"users": [town["learner"].pk]})
    export = client.get(url("cohort_export", pk=cohort_pk))
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][0] == "learner"
    assert rows[1][:3] == ["luca", "", "m1-basics"]
    # Closed cohort: a learner cannot join on their own.
    client.force_login(town["other"])
    client.post(url("cohort_join", pk=cohort_pk))
    with scope(organisation=town["org"]):
        from secu4all.training.models import Cohort, Enrolment

        assert not Enrolment.objects.filter(user=town["other"]).exists()
        Cohort.objects.filter(pk=cohort_pk).update(self_enrolment=True)
    client.post(url("cohort_join", pk=cohort_pk))
    with scope(organisation=town["org"]):
        assert Enrolment.objects.filter(user=town["other"], cohort_id=cohort_pk).exists()


def test_live_run_shows_injects_to_the_cohort(client, town) -> None:
    from datetime import timedelta

    from secu4all.training.models import Cohort, Enrolment

    with scope(organisation=town["org"]):
        cohort = Cohort.objects.create(
            organisation=town["org"], name="Live", trainer=town["trainer"]
        )
        Enrolment.objects.create(organisation=town["org"], cohort=cohort, user=town["learner"])
    client.force_login(town["trainer"])
    with scope(organisation=town["org"]):
        from secu4all.training.models import Scenario

        scenario_pk = Scenario.objects.get(key="m1-s1-market").pk
    response = client.post(
        url("trainer"), {"form": "live", "cohort": cohort.pk, "scenario": scenario_pk}
    )
    run = int(re.search(r"/runs/(\d+)/", response["Location"]).group(1))
    client.post(url("run", pk=run), {"choice": "a"})  # to n2, which has an inject after 1 min
    injects = client.get(url("run_injects", pk=run)).content.decode()
    assert "New information is expected" in injects
    with scope(organisation=town["org"]):
        live = ScenarioRun.objects.get(pk=run)
        live.path[-1]["at"] = (live.started_at - timedelta(minutes=5)).isoformat()
        live.save()
    client.force_login(town["learner"])
    page = client.get(url("run", pk=run)).content.decode()
    assert "Inject Text" in page
    assert "The trainer enters the group" in page
    # The learner sees the live run but cannot decide for the group.
    assert client.post(url("run", pk=run), {"choice": "a"}).status_code == 400
    client.force_login(town["other"])  # not in the cohort
    assert client.get(url("run", pk=run)).status_code == 404


def test_progress_api(client, town) -> None:
    client.force_login(town["learner"])
    attempt = start_attempt(client, "m1-l1-intro")
    answer(client, attempt, "fx-single", RIGHT["fx-single"])
    client.post(url("attempt_submit", pk=attempt))
    data = client.get("/api/v1/organisations/havenstad/training/progress/").json()
    lesson = data["modules"][0]["lessons"][0]
    assert (lesson["lesson"], lesson["completed"], lesson["best_score"]) == ("m1-l1-intro", True, 1)


def test_headings_fit_under_the_page_title() -> None:
    from secu4all.training.rendering import render_markdown

    assert "<h2>A</h2>" in render_markdown("## A\n\n### B", org_slug="havenstad")
    assert "<h3>B</h3>" in render_markdown("## A\n\n### B", org_slug="havenstad")
    assert "<h3>A</h3>" in render_markdown("# A", org_slug="havenstad", top_level=3)


def test_item_order_is_stable_per_attempt(client, town) -> None:
    client.force_login(town["learner"])
    attempt = start_attempt(client, "m1-l1-intro")
    first = client.get(url("attempt", pk=attempt)).content.decode()
    again = client.get(url("attempt", pk=attempt)).content.decode()

    def order(page: str) -> list[str]:
        return re.findall(r'id="(fx-(?:single|multiple)-[abc])"', page)

    assert order(first) == order(again)
    assert sorted(order(first)) == sorted(
        [
            "fx-single-a",
            "fx-single-b",
            "fx-single-c",
            "fx-multiple-a",
            "fx-multiple-b",
            "fx-multiple-c",
        ]
    )


def test_missing_language_falls_back_visibly(client, town) -> None:
    from secu4all.training.curriculum import localise

    shown = localise({"en": {"title": "T"}, "nl": {"title": "N"}}, "it")
    assert (shown.data["title"], shown.language, shown.fallback) == ("T", "en", True)
    assert not localise({"en": {}, "nl": {"title": "N"}}, "nl").fallback


def test_revoked_certificate_is_shown_as_revoked(client, town) -> None:
    from secu4all.training.services import certificate_revoke

    with scope(organisation=town["org"]):
        certificate = Certificate.objects.create(
            organisation=town["org"],
            user=town["learner"],
            code="ABCD-EFGH-JKLM-NPQR",
            learner_name="Luca Romano",
            modules=[{"key": "m1-basics", "number": 1, "titles": {}}],
        )
        certificate_revoke(certificate=certificate, actor=town["trainer"], reason="fraud")
    page = client.get(reverse("certificate_verify", kwargs={"code": "abcd-efgh-jklm-npqr"}))
    assert page.status_code == 200
    assert "was revoked" in page.content.decode()


def test_trainer_revokes_a_certificate(client, town) -> None:
    with scope(organisation=town["org"]):
        Certificate.objects.create(
            organisation=town["org"],
            user=town["learner"],
            code="WXYZ-EFGH-JKLM-NPQR",
            learner_name="luca",
            modules=[],
        )
    revoke = url("certificate_revoke", code="WXYZ-EFGH-JKLM-NPQR")
    client.force_login(town["learner"])
    assert client.post(revoke, {"reason": "mine"}).status_code == 403
    client.force_login(town["trainer"])
    assert "WXYZ-EFGH-JKLM-NPQR" in client.get(url("trainer")).content.decode()
    client.post(revoke, {"reason": ""})
    with scope(organisation=town["org"]):
        assert Certificate.objects.get().valid
    client.post(revoke, {"reason": "Exam fraud"})
    with scope(organisation=town["org"]):
        assert Certificate.objects.get().revoked_reason == "Exam fraud"
    public = client.get(reverse("certificate_verify", kwargs={"code": "WXYZ-EFGH-JKLM-NPQR"}))
    assert "was revoked" in public.content.decode()


def test_item_statistics_export(client, town, make_member) -> None:
    # Three learners: two answer the single-choice item right, one wrong.
    for name, choice in (("a1", "a"), ("a2", "a"), ("a3", "b")):
        client.force_login(make_member(town["org"], "learner", username=name))
        attempt = start_attempt(client, "m1-l1-intro")
        answer(client, attempt, "fx-single", {"choice": choice})
        answer(client, attempt, "fx-truefalse", {"choice": "true" if choice == "a" else "false"})
        client.post(url("attempt_submit", pk=attempt))
    client.force_login(town["trainer"])
    rows = list(
        csv.DictReader(io.StringIO(client.get(url("item_statistics_export")).content.decode()))
    )
    single = next(r for r in rows if r["item"] == "fx-single")
    assert (single["learners"], single["difficulty"]) == ("3", "0.667")
    assert float(single["discrimination"]) == pytest.approx(1.0)
    multiple = next(r for r in rows if r["item"] == "fx-multiple")
    assert (multiple["learners"], multiple["difficulty"]) == ("0", "")


def test_a_second_answer_racing_the_first_is_refused_not_a_500(client, town, monkeypatch) -> None:
    """Two requests answering one exercise at once both pass the 'already answered' check;
    the second one is refused with 400 when the database's constraint stops it."""
    client.force_login(town["learner"])
    attempt = start_attempt(client, "m1-l1-intro")
    assert answer(client, attempt, "fx-single", RIGHT["fx-single"]).status_code == 302
    # The second request read before the first one wrote: its check finds nothing.
    monkeypatch.setattr(ItemResponse.objects, "filter", lambda **kw: ItemResponse.objects.none())
    response = answer(client, attempt, "fx-single", {"choice": "c"})
    assert response.status_code == 400
    assert "You already answered this exercise" in response.content.decode()
    with scopes_disabled():
        assert ItemResponse.objects.get(attempt_id=attempt).correct is True
