"""Pages of training: the course, lessons and their exercises, scenarios, the trainer's
dashboard, certificates and their public verification.

Every member of an organisation may learn (training is for all staff and partners); trainers
and organisation admins manage cohorts, review free-text answers and see statistics.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scopes_disabled

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.common.exports import SpreadsheetSafeWriter
from secu4all.organisations.access import has_any_role, role_required
from secu4all.organisations.models import Role
from secu4all.organisations.selectors import member_list
from secu4all.training import selectors, services
from secu4all.training.certificates import certificate_pdf
from secu4all.training.curriculum import localise
from secu4all.training.forms import CohortForm, EnrolForm, LiveRunForm, ReviewForm
from secu4all.training.models import (
    Attempt,
    Certificate,
    Cohort,
    Enrolment,
    ItemResponse,
    Lesson,
    MediaFile,
    Scenario,
    ScenarioRun,
)
from secu4all.training.presentation import item_view

MANAGERS = (Role.TRAINER, Role.ORG_ADMIN)


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _member(request: HttpRequest) -> None:
    if request.organisation is None or not request.roles:
        raise PermissionDenied(_("This page belongs to an organisation."))


def _localised(piece: object) -> dict:
    localised = localise(piece.texts, _language())
    return {
        **localised.data,
        "is_fallback": localised.fallback,
        "shown_language": localised.language,
    }


# -- learners ---------------------------------------------------------------------------------


@require_GET
def overview(request: HttpRequest, org_slug: str) -> HttpResponse:
    _member(request)
    statuses = selectors.course_status(user=request.user)
    modules = [
        {
            "status": status,
            "texts": _localised(status.module),
            "lessons": [(row, _localised(row.lesson)) for row in status.lessons],
            "scenarios": [
                (scenario, _localised(scenario), scenario.key in status.scenarios_done)
                for scenario in status.module.scenarios.filter(active=True).order_by("position")
            ],
        }
        for status in statuses
    ]
    resume = selectors.resume_lesson(user=request.user)
    my_cohorts = set(
        Enrolment.objects.filter(user=request.user).values_list("cohort_id", flat=True)
    )
    live_runs = ScenarioRun.objects.filter(
        live=True, finished_at=None, cohort_id__in=my_cohorts
    ).select_related("scenario")
    return render(
        request,
        "training/overview.html",
        {
            "organisation": request.organisation,
            "modules": modules,
            "resume": resume,
            "resume_texts": _localised(resume) if resume else None,
            "open_cohorts": Cohort.objects.filter(self_enrolment=True).exclude(pk__in=my_cohorts),
            "my_cohorts": Cohort.objects.filter(pk__in=my_cohorts),
            "live_runs": [(run, _localised(run.scenario)) for run in live_runs],
            "certificate": Certificate.objects.filter(user=request.user, revoked_at=None).first(),
            "manager": has_any_role(request, MANAGERS),
        },
    )


@require_GET
def lesson(request: HttpRequest, org_slug: str, key: str) -> HttpResponse:
    _member(request)
    lesson = get_object_or_404(Lesson, key=key, active=True)
    services.lesson_open(
        organisation=request.organisation, user=request.user, lesson=lesson, language=_language()
    )
    lessons = list(lesson.module.lessons.filter(active=True).order_by("position"))
    index = lessons.index(lesson)
    attempts = Attempt.objects.filter(user=request.user, lesson=lesson)
    return render(
        request,
        "training/lesson.html",
        {
            "organisation": request.organisation,
            "lesson": lesson,
            "texts": _localised(lesson),
            "module_texts": _localised(lesson.module),
            "has_items": lesson.items.filter(active=True).exists(),
            "attempts": attempts,
            "open_attempt": attempts.filter(submitted_at=None).first(),
            "previous": lessons[index - 1] if index > 0 else None,
            "next": lessons[index + 1] if index + 1 < len(lessons) else None,
            "next_texts": _localised(lessons[index + 1]) if index + 1 < len(lessons) else None,
        },
    )


@require_POST
def attempt_start(request: HttpRequest, org_slug: str, key: str) -> HttpResponse:
    _member(request)
    lesson = get_object_or_404(Lesson, key=key, active=True)
    attempt = services.attempt_start(
        organisation=request.organisation, user=request.user, lesson=lesson, language=_language()
    )
    return redirect("training:attempt", org_slug=org_slug, pk=attempt.pk)


def _own_attempt(request: HttpRequest, pk: int) -> Attempt:
    # Another learner's attempt id is simply not found.
    return get_object_or_404(Attempt.objects.select_related("lesson"), pk=pk, user=request.user)


@require_GET
def attempt(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    _member(request)
    attempt = _own_attempt(request, pk)
    return _attempt_page(request, attempt)


def _attempt_page(
    request: HttpRequest, attempt: Attempt, errors: dict | None = None, status: int = 200
) -> HttpResponse:
    language = _language()
    responses = {r.item_id: r for r in attempt.responses.select_related("review")}
    items = [
        item_view(attempt, item, responses.get(item.pk), language)
        for item in attempt.lesson.items.filter(active=True).order_by("position")
    ]
    for view in items:
        view.error = (errors or {}).get(view.key, "")
    answered = sum(1 for view in items if view.answered)
    return render(
        request,
        "training/attempt.html",
        {
            "organisation": request.organisation,
            "attempt": attempt,
            "lesson": attempt.lesson,
            "texts": _localised(attempt.lesson),
            "items": items,
            "answered": answered,
            "errors": errors or {},
            "pass_mark": attempt.lesson.module.pass_mark,
        },
        status=status,
    )


@require_POST
def item_answer(request: HttpRequest, org_slug: str, pk: int, item_key: str) -> HttpResponse:
    _member(request)
    attempt = _own_attempt(request, pk)
    if not attempt.lesson.items.filter(key=item_key, active=True).exists():
        return HttpResponseBadRequest(_("That exercise is not part of this lesson."))
    form = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    try:
        services.item_answer(
            attempt=attempt,
            user=request.user,
            item_key=item_key,
            form=form,
            language=_language(),
        )
    except services.AnswerRejectedError as error:
        return _attempt_page(request, attempt, errors={item_key: str(error)}, status=400)
    url = reverse("training:attempt", kwargs={"org_slug": org_slug, "pk": attempt.pk})
    return redirect(f"{url}#item-{item_key}")


@require_POST
def attempt_submit(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    _member(request)
    attempt = _own_attempt(request, pk)
    attempt = services.attempt_submit(attempt=attempt, user=request.user)
    share = attempt.score / attempt.max_score if attempt.max_score else 1.0
    messages.success(
        request,
        _("Exercises finished: %(score)s of %(max)s points (%(percent)s %%).")
        % {
            "score": f"{attempt.score:g}",
            "max": f"{attempt.max_score:g}",
            "percent": round(100 * share),
        },
    )
    return redirect("training:attempt", org_slug=org_slug, pk=attempt.pk)


@require_GET
def media(request: HttpRequest, org_slug: str, name: str) -> HttpResponse:
    _member(request)
    file = get_object_or_404(MediaFile, name=f"media/{name}")
    response = HttpResponse(bytes(file.data), content_type=file.content_type)
    # An SVG opened on its own must not run anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# -- scenarios --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def scenario(request: HttpRequest, org_slug: str, key: str) -> HttpResponse:
    _member(request)
    scenario = get_object_or_404(Scenario, key=key, active=True)
    if request.method == "POST":
        run = services.scenario_start(
            organisation=request.organisation,
            user=request.user,
            scenario=scenario,
            language=_language(),
        )
        return redirect("training:run", org_slug=org_slug, pk=run.pk)
    return render(
        request,
        "training/scenario.html",
        {
            "organisation": request.organisation,
            "scenario": scenario,
            "texts": _localised(scenario),
            "runs": ScenarioRun.objects.filter(user=request.user, scenario=scenario, live=False),
        },
    )


def _visible_run(request: HttpRequest, pk: int) -> ScenarioRun:
    run = get_object_or_404(ScenarioRun.objects.select_related("scenario", "cohort"), pk=pk)
    if run.user_id == request.user.pk:
        return run
    if run.live and (
        Enrolment.objects.filter(cohort=run.cohort, user=request.user).exists()
        or has_any_role(request, MANAGERS)
    ):
        return run
    raise Http404


def _node_texts(texts: dict) -> dict[str, dict]:
    return {str(node["id"]): node for node in texts.get("nodes", [])}


def _injects(run: ScenarioRun, nodes: dict[str, dict], now: datetime) -> list[dict]:
    """Injects of the live run: each shows once the group has been at its node long enough."""
    if not run.live:
        return []
    shown = []
    # The nodes in the order reached, each with the time the group arrived there.
    reached = [step["node"] for step in run.path] + [run.current_node]
    times = [run.started_at] + [datetime.fromisoformat(step["at"]) for step in run.path]
    for node_id, since in zip(reached, times, strict=True):
        inject = nodes.get(node_id, {}).get("inject")
        if not inject:
            continue
        due = since + timedelta(minutes=float(inject["after_minutes"]))
        if now >= due:
            shown.append({"node": node_id, "text": inject["text"], "at": due})
        elif node_id == run.current_node and run.finished_at is None:
            shown.append({"node": node_id, "pending": True, "at": due})
    return shown


@require_http_methods(["GET", "POST"])
def run(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    _member(request)
    run = _visible_run(request, pk)
    error = ""
    if request.method == "POST":
        try:
            services.scenario_choose(
                run=run, user=request.user, choice_id=request.POST.get("choice", "")
            )
        except services.AnswerRejectedError as rejected:
            error = str(rejected)
        else:
            return redirect("training:run", org_slug=org_slug, pk=run.pk)
    texts = _localised(run.scenario)
    nodes = _node_texts(texts)
    context = {
        "organisation": request.organisation,
        "run": run,
        "texts": texts,
        "node": nodes.get(run.current_node, {}),
        "step": len(run.path) + 1,
        "error": error,
        "can_choose": run.user_id == request.user.pk and run.finished_at is None,
        "injects": _injects(run, nodes, timezone.now()),
        "last_consequence": _last_consequence(run, nodes),
    }
    if run.finished_at is not None:
        context["debrief"] = _debrief(run, nodes)
    return render(request, "training/run.html", context, status=400 if error else 200)


def _last_consequence(run: ScenarioRun, nodes: dict[str, dict]) -> dict | None:
    if not run.path:
        return None
    last = run.path[-1]
    choice = _choice(nodes, last["node"], last["choice"])
    return choice


def _choice(nodes: dict[str, dict], node_id: str, choice_id: str) -> dict:
    return next(
        (c for c in nodes.get(node_id, {}).get("choices", []) if str(c["id"]) == choice_id), {}
    )


def _debrief(run: ScenarioRun, nodes: dict[str, dict]) -> list[dict]:
    """Each decision the run took, beside the recommended choice there and why."""
    rows = []
    for step in run.path:
        node = nodes.get(step["node"], {})
        taken = _choice(nodes, step["node"], step["choice"])
        recommended = next((c for c in node.get("choices", []) if c.get("recommended")), {})
        rows.append(
            {
                "node": node,
                "taken": taken,
                "recommended": recommended,
                "same": taken.get("id") == recommended.get("id"),
            }
        )
    return rows


@require_GET
def run_injects(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Only the injects list, for the light polling of a live run."""
    _member(request)
    run = _visible_run(request, pk)
    nodes = _node_texts(_localised(run.scenario))
    return render(
        request,
        "training/_injects.html",
        {"run": run, "injects": _injects(run, nodes, timezone.now())},
    )


# -- cohorts and certificates for learners -----------------------------------------------------


@require_POST
def cohort_join(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    _member(request)
    cohort = get_object_or_404(Cohort, pk=pk)
    try:
        services.enrol(cohort=cohort, user=request.user, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You joined %(cohort)s.") % {"cohort": cohort.name})
    return redirect("training:overview", org_slug=org_slug)


@require_GET
def certificate_download(request: HttpRequest, org_slug: str, code: str) -> HttpResponse:
    _member(request)
    certificate = get_object_or_404(Certificate, code=code)
    if certificate.user_id != request.user.pk and not has_any_role(request, MANAGERS):
        raise Http404
    pdf = certificate_pdf(certificate=certificate, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


@require_GET
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone with the code sees whose certificate it is and whether it is valid."""
    normalised = code.strip().upper()
    with scopes_disabled():
        certificate = (
            Certificate.objects.select_related("organisation").filter(code=normalised).first()
        )
    language = _language()
    modules = []
    if certificate is not None:
        for module in certificate.modules:
            titles = module.get("titles", {})
            modules.append(
                {
                    "number": module.get("number"),
                    "title": titles.get(language) or titles.get("en") or module.get("key"),
                }
            )
    return render(
        request,
        "training/verify.html",
        {"certificate": certificate, "code": normalised, "modules": modules},
        status=200 if certificate else 404,
    )


# -- trainers ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def trainer(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = request.organisation
    members = [
        (m.user_id, m.full_name or m.username) for m in member_list(organisation=organisation)
    ]
    cohort_form = CohortForm(
        request.POST if request.POST.get("form") == "cohort" else None, members=members
    )
    live_form = LiveRunForm(
        request.POST if request.POST.get("form") == "live" else None,
        cohorts=Cohort.objects.all(),
        scenarios=[(s.pk, _localised(s).get("title", s.key)) for s in selectors.scenario_list()],
    )
    if request.method == "POST":
        if cohort_form.is_bound and cohort_form.is_valid():
            trainer = get_user_model().objects.get(pk=cohort_form.cleaned_data["trainer"])
            cohort = services.cohort_create(
                organisation=organisation,
                actor=request.user,
                name=cohort_form.cleaned_data["name"],
                trainer=trainer,
                self_enrolment=cohort_form.cleaned_data["self_enrolment"],
            )
            messages.success(request, _("Cohort %(name)s created.") % {"name": cohort.name})
            return redirect("training:cohort", org_slug=org_slug, pk=cohort.pk)
        if live_form.is_bound and live_form.is_valid():
            run = services.scenario_start(
                organisation=organisation,
                user=request.user,
                scenario=live_form.cleaned_data["scenario"],
                language=_language(),
                cohort=live_form.cleaned_data["cohort"],
            )
            return redirect("training:run", org_slug=org_slug, pk=run.pk)
    lessons = Lesson.objects.filter(active=True, module__active=True).order_by(
        "module__position", "position"
    )
    return render(
        request,
        "training/trainer.html",
        {
            "organisation": organisation,
            "cohorts": Cohort.objects.select_related("trainer"),
            "cohort_form": cohort_form,
            "live_form": live_form,
            "queue_size": selectors.review_queue().count(),
            "certificates": Certificate.objects.select_related("user")[:200],
            "analysis": [
                (lesson, _localised(lesson), selectors.item_analysis(lesson=lesson))
                for lesson in lessons
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*MANAGERS)
def cohort(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort, pk=pk)
    enrolled = set(cohort.enrolments.values_list("user_id", flat=True))
    members = [
        (m.user_id, m.full_name or m.username)
        for m in member_list(organisation=request.organisation)
        if m.user_id not in enrolled
    ]
    form = EnrolForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        for user in get_user_model().objects.filter(pk__in=form.cleaned_data["users"]):
            services.enrol(cohort=cohort, user=user, actor=request.user)
        messages.success(request, _("Learners enrolled."))
        return redirect("training:cohort", org_slug=org_slug, pk=cohort.pk)
    modules = list(selectors.active_modules())
    # Learners' results are personal data: who looked at them is logged.
    audit_record(
        actor=request.user,
        organisation=request.organisation,
        action=AuditAction.VIEW,
        target=cohort,
    )
    return render(
        request,
        "training/cohort.html",
        {
            "organisation": request.organisation,
            "cohort": cohort,
            "form": form,
            "modules": [(m, _localised(m)) for m in modules],
            "progress": selectors.cohort_progress(cohort=cohort),
            "runs": cohort.runs.select_related("scenario"),
        },
    )


@require_GET
@role_required(*MANAGERS)
def cohort_export(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort, pk=pk)
    buffer = io.StringIO()
    writer = SpreadsheetSafeWriter(buffer)
    writer.writerow(
        [
            "learner",
            "name",
            "module",
            "lessons_completed",
            "lessons",
            "score",
            "max_score",
            "share",
            "passed",
        ]
    )
    for user, statuses in selectors.cohort_progress(cohort=cohort):
        for status in statuses:
            writer.writerow(
                [
                    user.get_username(),
                    user.get_full_name(),
                    status.module.key,
                    status.lessons_completed,
                    len(status.lessons),
                    f"{status.score:g}",
                    f"{status.max_score:g}",
                    f"{status.share:.3f}",
                    "yes" if status.passed else "no",
                ]
            )
    audit_record(
        actor=request.user,
        organisation=request.organisation,
        action=AuditAction.EXPORT,
        target=cohort,
        detail={"format": "csv"},
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cohort-{cohort.pk}-progress.csv"'
    return response


@require_GET
@role_required(*MANAGERS)
def reviews(request: HttpRequest, org_slug: str) -> HttpResponse:
    queue = [
        (
            response,
            localise(response.item.texts, _language()).data,
            ReviewForm(prefix=f"r{response.pk}", max_score=response.max_score),
        )
        for response in selectors.review_queue()
    ]
    audit_record(
        actor=request.user,
        organisation=request.organisation,
        action=AuditAction.VIEW,
        object_type="training.reviewqueue",
        object_repr=f"{len(queue)} free-text answers to review",
    )
    return render(
        request, "training/reviews.html", {"organisation": request.organisation, "queue": queue}
    )


@require_POST
@role_required(*MANAGERS)
def review(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    response = get_object_or_404(ItemResponse, pk=pk, item__type="free_text")
    form = ReviewForm(request.POST, prefix=f"r{response.pk}", max_score=response.max_score)
    if form.is_valid():
        services.free_text_review(
            response=response,
            reviewer=request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("Review saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("training:reviews", org_slug=org_slug)


@require_POST
@role_required(*MANAGERS)
def certificate_revoke(request: HttpRequest, org_slug: str, code: str) -> HttpResponse:
    certificate = get_object_or_404(Certificate, code=code, revoked_at=None)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Give the reason for revoking the certificate."))
    else:
        services.certificate_revoke(certificate=certificate, actor=request.user, reason=reason)
        messages.success(request, _("Certificate %(code)s revoked.") % {"code": certificate.code})
    return redirect("training:trainer", org_slug=org_slug)


@require_GET
@role_required(*MANAGERS)
def item_statistics_export(request: HttpRequest, org_slug: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = SpreadsheetSafeWriter(buffer)
    writer.writerow(["lesson", "item", "type", "learners", "difficulty", "discrimination"])
    lessons = Lesson.objects.filter(active=True, module__active=True).order_by(
        "module__position", "position"
    )
    for lesson in lessons:
        for item, stat in selectors.item_analysis(lesson=lesson):
            writer.writerow(
                [
                    lesson.key,
                    item.key,
                    item.type,
                    stat.answered,
                    "" if stat.difficulty is None else f"{stat.difficulty:.3f}",
                    "" if stat.discrimination is None else f"{stat.discrimination:.3f}",
                ]
            )
    audit_record(
        actor=request.user,
        organisation=request.organisation,
        action=AuditAction.EXPORT,
        object_type="training.itemstatistics",
        object_repr="item statistics",
        detail={"format": "csv"},
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="item-statistics.csv"'
    return response
