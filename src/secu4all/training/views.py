"""Pages of training: the course, lessons and their exercises, scenarios, the trainer's
dashboard, certificates and their public verification.

Every member of an organisation may learn (training is for all staff and partners); trainers
and organisation admins manage cohorts, review free-text answers and see statistics.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secu4all.audit.services import audit_read
from secu4all.common.i18n import current_language
from secu4all.organisations.access import permission_required
from secu4all.organisations.permissions import Permission, has_permission
from secu4all.organisations.selectors import member_list
from secu4all.training import exports, selectors, services
from secu4all.training.certificates import certificate_pdf
from secu4all.training.curriculum import localise
from secu4all.training.forms import CohortForm, EnrolForm, LiveRunForm, ReviewForm
from secu4all.training.models import Attempt, ScenarioRun
from secu4all.training.presentation import (
    HasTexts,
    debrief,
    injects,
    item_view,
    last_consequence,
    localised,
    node_texts,
    verified_modules,
)


def _member(request: HttpRequest) -> None:
    if request.organisation is None or not has_permission(request, Permission.LEARN):
        raise PermissionDenied(_("This page belongs to an organisation."))


def _localised(piece: HasTexts) -> dict:
    return localised(piece, current_language())


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
                for scenario in selectors.module_scenarios(module=status.module)
            ],
        }
        for status in statuses
    ]
    resume = selectors.resume_lesson(user=request.user)
    my_cohorts = selectors.cohort_ids_of(user=request.user)
    live_runs = selectors.open_live_runs(cohort_ids=my_cohorts)
    return render(
        request,
        "training/overview.html",
        {
            "organisation": request.organisation,
            "modules": modules,
            "resume": resume,
            "resume_texts": _localised(resume) if resume else None,
            "open_cohorts": selectors.open_cohorts(excluding=my_cohorts),
            "my_cohorts": selectors.cohorts(ids=my_cohorts),
            "live_runs": [(run, _localised(run.scenario)) for run in live_runs],
            "certificate": selectors.valid_certificate(user=request.user),
            "manager": has_permission(request, Permission.TRAIN_COHORTS),
        },
    )


@require_GET
def lesson(request: HttpRequest, org_slug: str, key: str) -> HttpResponse:
    _member(request)
    lesson = get_object_or_404(selectors.active_lessons(), key=key)
    services.lesson_open(
        organisation=request.organisation,
        user=request.user,
        lesson=lesson,
        language=current_language(),
    )
    lessons = list(selectors.module_lessons(module=lesson.module))
    index = lessons.index(lesson)
    attempts = selectors.lesson_attempts(user=request.user, lesson=lesson)
    return render(
        request,
        "training/lesson.html",
        {
            "organisation": request.organisation,
            "lesson": lesson,
            "texts": _localised(lesson),
            "module_texts": _localised(lesson.module),
            "has_items": selectors.lesson_items(lesson=lesson).exists(),
            "attempts": attempts,
            "open_attempt": selectors.open_attempt(user=request.user, lesson=lesson),
            "previous": lessons[index - 1] if index > 0 else None,
            "next": lessons[index + 1] if index + 1 < len(lessons) else None,
            "next_texts": _localised(lessons[index + 1]) if index + 1 < len(lessons) else None,
        },
    )


@require_POST
def attempt_start(request: HttpRequest, org_slug: str, key: str) -> HttpResponse:
    _member(request)
    lesson = get_object_or_404(selectors.active_lessons(), key=key)
    attempt = services.attempt_start(
        organisation=request.organisation,
        user=request.user,
        lesson=lesson,
        language=current_language(),
    )
    return redirect("training:attempt", org_slug=org_slug, pk=attempt.pk)


def _own_attempt(request: HttpRequest, pk: int) -> Attempt:
    # Another learner's attempt id is simply not found.
    return get_object_or_404(selectors.attempts_of(user=request.user), pk=pk)


@require_GET
def attempt(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    _member(request)
    attempt = _own_attempt(request, pk)
    return _attempt_page(request, attempt)


def _attempt_page(
    request: HttpRequest, attempt: Attempt, errors: dict | None = None, status: int = 200
) -> HttpResponse:
    language = current_language()
    responses = selectors.attempt_responses(attempt=attempt)
    items = [
        item_view(attempt, item, responses.get(item.pk), language)
        for item in selectors.lesson_items(lesson=attempt.lesson)
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
    if not selectors.lesson_offers_item(lesson=attempt.lesson, item_key=item_key):
        return HttpResponseBadRequest(_("That exercise is not part of this lesson."))
    form = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    try:
        services.item_answer(
            attempt=attempt,
            user=request.user,
            item_key=item_key,
            form=form,
            language=current_language(),
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
    file = get_object_or_404(selectors.media_files(), name=f"media/{name}")
    response = HttpResponse(bytes(file.data), content_type=file.content_type)
    # An SVG opened on its own must not run anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# -- scenarios --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def scenario(request: HttpRequest, org_slug: str, key: str) -> HttpResponse:
    _member(request)
    scenario = get_object_or_404(selectors.active_scenarios(), key=key)
    if request.method == "POST":
        run = services.scenario_start(
            organisation=request.organisation,
            user=request.user,
            scenario=scenario,
            language=current_language(),
        )
        return redirect("training:run", org_slug=org_slug, pk=run.pk)
    return render(
        request,
        "training/scenario.html",
        {
            "organisation": request.organisation,
            "scenario": scenario,
            "texts": _localised(scenario),
            "runs": selectors.practice_runs(user=request.user, scenario=scenario),
        },
    )


def _visible_run(request: HttpRequest, pk: int) -> ScenarioRun:
    run = get_object_or_404(selectors.scenario_runs(), pk=pk)
    if run.user_id == request.user.pk:
        return run
    if run.live and (
        selectors.is_enrolled(cohort=run.cohort, user=request.user)
        or has_permission(request, Permission.TRAIN_COHORTS)
    ):
        return run
    raise Http404


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
    nodes = node_texts(texts)
    context = {
        "organisation": request.organisation,
        "run": run,
        "texts": texts,
        "node": nodes.get(run.current_node, {}),
        "step": len(run.path) + 1,
        "error": error,
        "can_choose": run.user_id == request.user.pk and run.finished_at is None,
        "injects": injects(run, nodes, timezone.now()),
        "last_consequence": last_consequence(run, nodes),
    }
    if run.finished_at is not None:
        context["debrief"] = debrief(run, nodes)
    return render(request, "training/run.html", context, status=400 if error else 200)


@require_GET
def run_injects(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Only the injects list, for the light polling of a live run."""
    _member(request)
    run = _visible_run(request, pk)
    nodes = node_texts(_localised(run.scenario))
    return render(
        request,
        "training/_injects.html",
        {"run": run, "injects": injects(run, nodes, timezone.now())},
    )


# -- cohorts and certificates for learners -----------------------------------------------------


@require_POST
def cohort_join(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    _member(request)
    cohort = get_object_or_404(selectors.cohorts(), pk=pk)
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
    certificate = get_object_or_404(selectors.certificates(), code=code)
    if certificate.user_id != request.user.pk and not has_permission(
        request, Permission.TRAIN_COHORTS
    ):
        raise Http404
    pdf = certificate_pdf(certificate=certificate, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


@require_GET
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone with the code sees whose certificate it is and whether it is valid."""
    normalised = code.strip().upper()
    certificate = selectors.certificate_by_code(code=normalised)
    modules = verified_modules(certificate, current_language())
    return render(
        request,
        "training/verify.html",
        {"certificate": certificate, "code": normalised, "modules": modules},
        status=200 if certificate else 404,
    )


# -- trainers ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required(Permission.TRAIN_COHORTS)
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
        cohorts=selectors.cohorts(),
        scenarios=[(s.pk, _localised(s).get("title", s.key)) for s in selectors.scenario_list()],
    )
    if request.method == "POST":
        if cohort_form.is_bound and cohort_form.is_valid():
            trainer = selectors.users(ids=[cohort_form.cleaned_data["trainer"]]).get()
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
                language=current_language(),
                cohort=live_form.cleaned_data["cohort"],
            )
            return redirect("training:run", org_slug=org_slug, pk=run.pk)
    return render(
        request,
        "training/trainer.html",
        {
            "organisation": organisation,
            "cohorts": selectors.cohorts_with_trainer(),
            "cohort_form": cohort_form,
            "live_form": live_form,
            "queue_size": selectors.review_queue().count(),
            "certificates": selectors.recent_certificates(),
            "analysis": [
                (lesson, _localised(lesson), selectors.item_analysis(lesson=lesson))
                for lesson in selectors.course_lessons()
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Permission.TRAIN_COHORTS)
def cohort(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    cohort = get_object_or_404(selectors.cohorts(), pk=pk)
    enrolled = selectors.enrolled_user_ids(cohort=cohort)
    members = [
        (m.user_id, m.full_name or m.username)
        for m in member_list(organisation=request.organisation)
        if m.user_id not in enrolled
    ]
    form = EnrolForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        for user in selectors.users(ids=form.cleaned_data["users"]):
            services.enrol(cohort=cohort, user=user, actor=request.user)
        messages.success(request, _("Learners enrolled."))
        return redirect("training:cohort", org_slug=org_slug, pk=cohort.pk)
    modules = list(selectors.active_modules())
    # Learners' results are personal data: who looked at them is logged.
    audit_read(request, target=cohort)
    return render(
        request,
        "training/cohort.html",
        {
            "organisation": request.organisation,
            "cohort": cohort,
            "form": form,
            "modules": [(m, _localised(m)) for m in modules],
            "progress": selectors.cohort_progress(cohort=cohort),
            "runs": selectors.cohort_runs(cohort=cohort),
        },
    )


@require_GET
@permission_required(Permission.TRAIN_COHORTS)
def cohort_export(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    cohort = get_object_or_404(selectors.cohorts(), pk=pk)
    content = exports.cohort_progress_csv(cohort=cohort)
    audit_read(request, target=cohort, detail={"format": "csv"}, export=True)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cohort-{cohort.pk}-progress.csv"'
    return response


@require_GET
@permission_required(Permission.TRAIN_COHORTS)
def reviews(request: HttpRequest, org_slug: str) -> HttpResponse:
    queue = [
        (
            response,
            localise(response.item.texts, current_language()).data,
            ReviewForm(prefix=f"r{response.pk}", max_score=response.max_score),
        )
        for response in selectors.review_queue()
    ]
    audit_read(
        request,
        object_type="training.reviewqueue",
        object_repr=f"{len(queue)} free-text answers to review",
    )
    return render(
        request, "training/reviews.html", {"organisation": request.organisation, "queue": queue}
    )


@require_POST
@permission_required(Permission.TRAIN_COHORTS)
def review(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    response = get_object_or_404(selectors.free_text_responses(), pk=pk)
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
@permission_required(Permission.TRAIN_COHORTS)
def certificate_revoke(request: HttpRequest, org_slug: str, code: str) -> HttpResponse:
    certificate = get_object_or_404(selectors.certificates(), code=code, revoked_at=None)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Give the reason for revoking the certificate."))
    else:
        services.certificate_revoke(certificate=certificate, actor=request.user, reason=reason)
        messages.success(request, _("Certificate %(code)s revoked.") % {"code": certificate.code})
    return redirect("training:trainer", org_slug=org_slug)


@require_GET
@permission_required(Permission.TRAIN_COHORTS)
def item_statistics_export(request: HttpRequest, org_slug: str) -> HttpResponse:
    content = exports.item_statistics_csv()
    audit_read(
        request,
        object_type="training.itemstatistics",
        object_repr="item statistics",
        detail={"format": "csv"},
        export=True,
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="item-statistics.csv"'
    return response
