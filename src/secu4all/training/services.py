"""Writes of training: progress, attempts and answers scored on the server, scenario runs,
cohorts, reviews and certificates. Each write records its learning statement (xAPI)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.engines.curriculum import (
    ResponseError,
    parse_response,
    scenario_nodes,
    score_response,
)
from secu4all.organisations.permissions import Permission, user_has_permission
from secu4all.training import xapi
from secu4all.training.curriculum import localise
from secu4all.training.models import (
    Attempt,
    Certificate,
    Cohort,
    Enrolment,
    FreeTextReview,
    Item,
    ItemResponse,
    Lesson,
    LessonProgress,
    Module,
    Scenario,
    ScenarioRun,
    XapiStatement,
)

if TYPE_CHECKING:
    # Only named in annotations: no read of the organisations app's models.
    from secu4all.organisations.models import Organisation
from secu4all.training.selectors import certificate_eligible, module_status, open_attempt


class AnswerRejectedError(ValueError):
    """The submission does not fit the attempt or the item; nothing was stored."""


def _lesson_activity(lesson: Lesson, language: str) -> dict:
    return xapi.activity(
        "lesson", lesson.key, localise(lesson.texts, language).data.get("title", ""), language
    )


def _module_activity(module: Module, language: str) -> dict:
    return xapi.activity(
        "module", module.key, localise(module.texts, language).data.get("title", ""), language
    )


@transaction.atomic
def lesson_open(
    *, organisation: Organisation, user: AbstractBaseUser, lesson: Lesson, language: str
) -> LessonProgress:
    """Remember that the learner is in this lesson (to resume here); first visit: experienced."""
    now = timezone.now()
    progress, created = LessonProgress.objects.get_or_create(
        organisation=organisation, user=user, lesson=lesson, defaults={"last_seen_at": now}
    )
    if not created:
        LessonProgress.objects.filter(pk=progress.pk).update(last_seen_at=now)
    else:
        xapi.record(
            organisation=organisation,
            user=user,
            verb="experienced",
            target=_lesson_activity(lesson, language),
            language=language,
            parent=_module_activity(lesson.module, language),
        )
    return progress


@transaction.atomic
def attempt_start(
    *, organisation: Organisation, user: AbstractBaseUser, lesson: Lesson, language: str
) -> Attempt:
    unfinished = open_attempt(user=user, lesson=lesson)
    if unfinished is not None:
        return unfinished  # one open attempt at a time: resume it
    attempt = Attempt.objects.create(
        organisation=organisation,
        user=user,
        lesson=lesson,
        language=language,
        max_score=sum(i.points for i in lesson.items.filter(active=True)),
    )
    xapi.record(
        organisation=organisation,
        user=user,
        verb="launched",
        target=_lesson_activity(lesson, language),
        language=language,
        registration=attempt.registration,
        parent=_module_activity(lesson.module, language),
    )
    return attempt


def _response_text(response: object) -> str:
    return response if isinstance(response, str) else json.dumps(response, ensure_ascii=False)


@transaction.atomic
def item_answer(
    *,
    attempt: Attempt,
    user: AbstractBaseUser,
    item_key: str,
    form: Mapping[str, Sequence[str]],
    language: str,
) -> ItemResponse:
    """Score one answer on the server. Only the answer is read from the form, never a score."""
    if attempt.user_id != user.pk:
        raise AnswerRejectedError(_("This attempt is not yours."))
    if attempt.submitted_at is not None:
        raise AnswerRejectedError(_("This attempt is finished; start a new one to answer again."))
    item = Item.objects.filter(lesson=attempt.lesson, key=item_key, active=True).first()
    if item is None:
        raise AnswerRejectedError(_("That exercise is not part of this lesson."))
    if ItemResponse.objects.filter(attempt=attempt, item=item).exists():
        raise AnswerRejectedError(_("You already answered this exercise in this attempt."))
    texts = localise(item.texts, language).data
    # The answer key is the same in every language (the check enforces it), so the learner's
    # language version scores the answer and gives the feedback in that language.
    try:
        response = parse_response(texts, form)
    except ResponseError as error:
        raise AnswerRejectedError(_(str(error))) from error
    outcome = score_response(texts, response)
    try:
        # Two requests answering the same exercise at once (a double click, two tabs; found by
        # the load test) both pass the check above: the constraint decides, in a savepoint.
        with transaction.atomic():
            answer = ItemResponse.objects.create(
                organisation=attempt.organisation,
                attempt=attempt,
                item=item,
                response=response,
                score=outcome.score,
                max_score=outcome.max_score,
                correct=outcome.correct,
                marks=outcome.marks,
            )
    except IntegrityError as error:
        raise AnswerRejectedError(
            _("You already answered this exercise in this attempt.")
        ) from error
    result = xapi.score_result(
        outcome.score, outcome.max_score, completion=True, response=_response_text(response)
    )
    if outcome.correct is not None:
        result["success"] = outcome.correct
    xapi.record(
        organisation=attempt.organisation,
        user=user,
        verb="answered",
        target=xapi.activity(
            "item",
            item.key,
            texts.get("prompt", "")[:200],
            language,
            interactionType=xapi.INTERACTIONS[item.type],
        ),
        language=language,
        registration=attempt.registration,
        result=result,
        parent=_lesson_activity(attempt.lesson, language),
    )
    return answer


def _attempt_rescore(attempt: Attempt) -> None:
    attempt.score = sum(r.score for r in attempt.responses.all())
    attempt.save(update_fields=["score"])


@transaction.atomic
def attempt_submit(*, attempt: Attempt, user: AbstractBaseUser) -> Attempt:
    """Finish the attempt: unanswered exercises score 0; record completed and passed/failed."""
    if attempt.user_id != user.pk:
        raise AnswerRejectedError(_("This attempt is not yours."))
    if attempt.submitted_at is not None:
        return attempt
    now = timezone.now()
    attempt.submitted_at = now
    attempt.score = sum(r.score for r in attempt.responses.all())
    attempt.save(update_fields=["submitted_at", "score"])
    LessonProgress.objects.update_or_create(
        organisation=attempt.organisation,
        user=user,
        lesson=attempt.lesson,
        defaults={"last_seen_at": now, "completed_at": now},
    )
    language = attempt.language
    target = _lesson_activity(attempt.lesson, language)
    parent = _module_activity(attempt.lesson.module, language)
    share = attempt.score / attempt.max_score if attempt.max_score else 1.0
    passed = share >= attempt.lesson.module.pass_mark
    for verb, extra in (
        ("completed", {"completion": True}),
        ("passed" if passed else "failed", {"success": passed}),
    ):
        xapi.record(
            organisation=attempt.organisation,
            user=user,
            verb=verb,
            target=target,
            language=language,
            registration=attempt.registration,
            result=xapi.score_result(attempt.score, attempt.max_score, **extra),
            parent=parent,
        )
    _after_progress(
        organisation=attempt.organisation,
        user=user,
        module=attempt.lesson.module,
        language=language,
    )
    return attempt


@transaction.atomic
def free_text_review(
    *, response: ItemResponse, reviewer: AbstractBaseUser, score: float, comment: str
) -> FreeTextReview:
    if response.item.type != "free_text":
        raise ValidationError(_("Only free-text answers are reviewed."))
    if not 0 <= score <= response.max_score:
        raise ValidationError(
            _("The score must be between 0 and %(max)s.") % {"max": f"{response.max_score:g}"}
        )
    review, _created = FreeTextReview.objects.update_or_create(
        organisation=response.organisation,
        response=response,
        defaults={"reviewer": reviewer, "score": score, "comment": comment},
    )
    response.score = score
    response.correct = score >= response.max_score / 2
    response.save(update_fields=["score", "correct"])
    _attempt_rescore(response.attempt)
    audit_record(
        actor=reviewer,
        organisation=response.organisation,
        action=AuditAction.CHANGE,
        target=review,
        object_repr=f"review of {response.item.key} by {response.attempt.user}",
        detail={"score": score},
    )
    if response.attempt.submitted_at is not None:
        _after_progress(
            organisation=response.organisation,
            user=response.attempt.user,
            module=response.item.lesson.module,
            language=response.attempt.language,
        )
    return review


# -- scenarios --------------------------------------------------------------------------------


def best_score(scenario: Scenario) -> int:
    """The highest score any path can reach (the graph has no cycles)."""
    nodes = scenario_nodes(scenario.structure)
    memo: dict[str, int] = {}

    def best(node_id: str) -> int:
        if node_id not in memo:
            memo[node_id] = max(
                (c.score + best(c.next_node) for c in nodes[node_id].choices), default=0
            )
        return memo[node_id]

    return best(scenario.structure["start"])


@transaction.atomic
def scenario_start(
    *,
    organisation: Organisation,
    user: AbstractBaseUser,
    scenario: Scenario,
    language: str,
    cohort: Cohort | None = None,
) -> ScenarioRun:
    run = ScenarioRun.objects.create(
        organisation=organisation,
        scenario=scenario,
        user=user,
        cohort=cohort,
        live=cohort is not None,
        language=language,
        current_node=scenario.structure["start"],
        max_score=best_score(scenario),
    )
    xapi.record(
        organisation=organisation,
        user=user,
        verb="launched",
        target=xapi.activity(
            "scenario",
            scenario.key,
            localise(scenario.texts, language).data.get("title", ""),
            language,
        ),
        language=language,
        registration=run.registration,
    )
    if cohort is not None:
        audit_record(
            actor=user,
            organisation=organisation,
            action=AuditAction.CREATE,
            target=run,
            object_repr=f"live run of {scenario.key} with {cohort}",
        )
    return run


@transaction.atomic
def scenario_choose(*, run: ScenarioRun, user: AbstractBaseUser, choice_id: str) -> ScenarioRun:
    if run.user_id != user.pk:
        raise AnswerRejectedError(_("Only the person who runs this scenario chooses."))
    if run.finished_at is not None:
        raise AnswerRejectedError(_("This run has ended."))
    nodes = scenario_nodes(run.scenario.structure)
    node = nodes[run.current_node]
    choice = next((c for c in node.choices if c.id == choice_id), None)
    if choice is None:
        raise AnswerRejectedError(_("That choice is not offered here."))
    now = timezone.now()
    run.path = [
        *run.path,
        {"node": node.id, "choice": choice.id, "score": choice.score, "at": now.isoformat()},
    ]
    run.score += choice.score
    run.current_node = choice.next_node
    fields = ["path", "score", "current_node"]
    following = nodes[choice.next_node]
    if following.end:
        run.finished_at = now
        run.outcome = following.outcome
        fields += ["finished_at", "outcome"]
    run.save(update_fields=fields)
    if run.finished_at is not None:
        scenario = run.scenario
        xapi.record(
            organisation=run.organisation,
            user=user,
            verb="completed",
            target=xapi.activity(
                "scenario",
                scenario.key,
                localise(scenario.texts, run.language).data.get("title", ""),
                run.language,
            ),
            language=run.language,
            registration=run.registration,
            result=xapi.score_result(run.score, run.max_score, completion=True),
        )
        if not run.live:
            _after_progress(
                organisation=run.organisation,
                user=user,
                module=scenario.module,
                language=run.language,
            )
    return run


# -- cohorts ------------------------------------------------------------------------------------


@transaction.atomic
def cohort_create(
    *,
    organisation: Organisation,
    actor: AbstractBaseUser,
    name: str,
    trainer: AbstractBaseUser,
    self_enrolment: bool,
) -> Cohort:
    cohort = Cohort(
        organisation=organisation, name=name, trainer=trainer, self_enrolment=self_enrolment
    )
    cohort.full_clean()
    cohort.save()
    audit_record(actor=actor, organisation=organisation, action=AuditAction.CREATE, target=cohort)
    return cohort


@transaction.atomic
def enrol(*, cohort: Cohort, user: AbstractBaseUser, actor: AbstractBaseUser) -> Enrolment:
    """Enrol ``user``; by a trainer, or by the learner where the cohort allows self-enrolment."""
    organisation = cohort.organisation
    if (
        actor.pk == user.pk
        and not cohort.self_enrolment
        and not user_has_permission(
            user=actor, organisation=organisation, permission=Permission.TRAIN_COHORTS
        )
    ):
        raise ValidationError(_("This cohort does not take self-enrolment; ask its trainer."))
    if not user_has_permission(user=user, organisation=organisation, permission=Permission.LEARN):
        raise ValidationError(_("Only members of the organisation can be enrolled."))
    enrolment, created = Enrolment.objects.get_or_create(
        organisation=cohort.organisation, cohort=cohort, user=user, defaults={"enrolled_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            organisation=cohort.organisation,
            action=AuditAction.CREATE,
            target=enrolment,
        )
    return enrolment


# -- passing and certificates -------------------------------------------------------------------


def _after_progress(
    *, organisation: Organisation, user: AbstractBaseUser, module: Module, language: str
) -> None:
    """Record a module passed the first time it is, and issue the certificate when earned."""
    status = module_status(user=user, module=module)
    if status.passed:
        target = _module_activity(module, language)
        already = XapiStatement.objects.filter(
            user=user, verb="passed", data__object__id=target["id"]
        ).exists()
        if not already:
            xapi.record(
                organisation=organisation,
                user=user,
                verb="passed",
                target=target,
                language=language,
                result=xapi.score_result(
                    status.score, status.max_score, success=True, completion=True
                ),
            )
    certificate_issue_if_eligible(organisation=organisation, user=user, language=language)


def new_certificate_code() -> str:
    """16 random base-32 characters in groups of four: 80 bits, unguessable, easy to type."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


@transaction.atomic
def certificate_issue_if_eligible(
    *, organisation: Organisation, user: AbstractBaseUser, language: str = "en"
) -> Certificate | None:
    existing = Certificate.objects.filter(user=user, revoked_at=None).first()
    if existing is not None:
        return existing
    modules = certificate_eligible(user=user)
    if not modules:
        return None
    certificate = Certificate.objects.create(
        organisation=organisation,
        user=user,
        code=new_certificate_code(),
        learner_name=user.get_full_name() or user.get_username(),
        modules=[
            {
                "key": m.key,
                "number": m.number,
                "titles": {k: v.get("title", "") for k, v in m.texts.items()},
            }
            for m in modules
        ],
    )
    xapi.record(
        organisation=organisation,
        user=user,
        verb="completed",
        target=xapi.activity("course", "secu4all-training", "Secu4All training", language),
        language=language,
        result={"completion": True, "success": True},
    )
    audit_record(
        actor=user, organisation=organisation, action=AuditAction.CREATE, target=certificate
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor: AbstractBaseUser, reason: str) -> None:
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:300]
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    audit_record(
        actor=actor,
        organisation=certificate.organisation,
        action=AuditAction.CHANGE,
        target=certificate,
        detail={"revoked": reason[:300]},
    )
