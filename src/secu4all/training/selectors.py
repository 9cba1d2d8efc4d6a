"""Reads of training: where a learner stands, cohort progress, item statistics, the review
queue. Queries run inside the organisation's scope, so progress is per organisation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django_scopes import scopes_disabled

from secu4all.engines.curriculum import ItemStatistics, item_statistics
from secu4all.training.models import (
    Attempt,
    Certificate,
    Cohort,
    Enrolment,
    Item,
    ItemResponse,
    Lesson,
    LessonProgress,
    MediaFile,
    Module,
    Scenario,
    ScenarioRun,
)


@dataclass
class LessonStatus:
    lesson: Lesson
    opened: bool = False
    completed: bool = False
    best_score: float | None = None
    max_score: float = 0
    attempts: int = 0
    awaiting_review: int = 0


@dataclass
class ModuleStatus:
    module: Module
    lessons: list[LessonStatus] = field(default_factory=list)
    scenarios_done: set[str] = field(default_factory=set)
    scenario_keys: list[str] = field(default_factory=list)
    score: float = 0
    max_score: float = 0

    @property
    def share(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0

    @property
    def lessons_completed(self) -> int:
        return sum(1 for s in self.lessons if s.completed)

    @property
    def complete(self) -> bool:
        return all(s.completed for s in self.lessons) and set(self.scenario_keys) <= (
            self.scenarios_done
        )

    @property
    def passed(self) -> bool:
        """Every lesson's exercises done, every scenario played to its end, and the best
        attempt per lesson together reach the module's pass mark."""
        return self.complete and self.share >= self.module.pass_mark - 1e-9

    @property
    def percent_done(self) -> int:
        total = len(self.lessons) + len(self.scenario_keys)
        done = self.lessons_completed + len(self.scenarios_done & set(self.scenario_keys))
        return round(100 * done / total) if total else 0


def active_modules() -> QuerySet[Module]:
    return Module.objects.filter(active=True).order_by("position")


def module_lessons(*, module: Module) -> QuerySet[Lesson]:
    return module.lessons.filter(active=True).order_by("position")


def module_scenarios(*, module: Module) -> QuerySet[Scenario]:
    return module.scenarios.filter(active=True).order_by("position")


def module_status(*, user: AbstractBaseUser, module: Module) -> ModuleStatus:
    status = ModuleStatus(module=module)
    lessons = list(module_lessons(module=module))
    progress = {
        p.lesson_id: p for p in LessonProgress.objects.filter(user=user, lesson__in=lessons)
    }
    attempts: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in Attempt.objects.filter(user=user, lesson__in=lessons):
        attempts[attempt.lesson_id].append(attempt)
    pending = defaultdict(int)
    for lesson_id in ItemResponse.objects.filter(
        attempt__user=user, attempt__lesson__in=lessons, correct__isnull=True
    ).values_list("attempt__lesson_id", flat=True):
        pending[lesson_id] += 1
    for lesson in lessons:
        submitted = [a for a in attempts[lesson.pk] if a.submitted_at is not None]
        max_score = sum(i.points for i in lesson.items.all() if i.active)
        best = max((a.score for a in submitted), default=None)
        row = LessonStatus(
            lesson=lesson,
            opened=lesson.pk in progress,
            completed=bool(submitted) or (max_score == 0 and lesson.pk in progress),
            best_score=best,
            max_score=max_score,
            attempts=len(attempts[lesson.pk]),
            awaiting_review=pending[lesson.pk],
        )
        status.lessons.append(row)
        status.score += best or 0
        status.max_score += max_score
    status.scenario_keys = list(module_scenarios(module=module).values_list("key", flat=True))
    status.scenarios_done = set(
        ScenarioRun.objects.filter(
            user=user, live=False, finished_at__isnull=False, scenario__module=module
        ).values_list("scenario__key", flat=True)
    )
    return status


def course_status(*, user: AbstractBaseUser) -> list[ModuleStatus]:
    return [module_status(user=user, module=m) for m in active_modules()]


def resume_lesson(*, user: AbstractBaseUser) -> Lesson | None:
    """The lesson to continue: the last one opened and not completed, else the next one."""
    last = (
        LessonProgress.objects.filter(user=user, completed_at=None, lesson__active=True)
        .order_by("-last_seen_at")
        .select_related("lesson")
        .first()
    )
    if last is not None:
        return last.lesson
    done = set(
        LessonProgress.objects.filter(user=user)
        .exclude(completed_at=None)
        .values_list("lesson_id", flat=True)
    )
    return course_lessons().exclude(pk__in=done).first()


def certificate_eligible(*, user: AbstractBaseUser) -> list[Module]:
    """The modules passed, if every required module is; else []."""
    statuses = course_status(user=user)
    required = [s for s in statuses if s.module.required]
    if not required or not all(s.passed for s in required):
        return []
    return [s.module for s in statuses if s.passed]


def cohort_progress(*, cohort: Cohort) -> list[tuple[AbstractBaseUser, list[ModuleStatus]]]:
    return [
        (enrolment.user, course_status(user=enrolment.user))
        for enrolment in cohort.enrolments.select_related("user")
    ]


def item_analysis(
    *, lesson: Lesson, users: list[int] | None = None
) -> list[tuple[Item, ItemStatistics]]:
    """Difficulty and discrimination per item, from each learner's first submitted attempt."""
    items = list(lesson.items.filter(active=True).order_by("position"))
    attempts = Attempt.objects.filter(lesson=lesson, submitted_at__isnull=False).order_by(
        "started_at", "pk"
    )
    if users is not None:
        attempts = attempts.filter(user_id__in=users)
    first: dict[int, int] = {}
    for attempt in attempts:
        first.setdefault(attempt.user_id, attempt.pk)
    rows: dict[int, dict[str, float]] = defaultdict(dict)
    for response in (
        ItemResponse.objects.filter(attempt_id__in=first.values())
        .exclude(correct__isnull=True)
        .select_related("item")
    ):
        rows[response.attempt_id][response.item.key] = (
            response.score / response.max_score if response.max_score else 0.0
        )
    stats = item_statistics(list(rows.values()), [i.key for i in items])
    return list(zip(items, stats, strict=True))


def review_queue() -> QuerySet[ItemResponse]:
    """Free-text answers of submitted or open attempts that no trainer has scored yet."""
    return (
        ItemResponse.objects.filter(item__type="free_text", review__isnull=True)
        .select_related("item", "attempt__user", "attempt__lesson")
        .order_by("answered_at")
    )


def scenario_list() -> QuerySet[Scenario]:
    return Scenario.objects.filter(active=True, module__active=True).order_by(
        "module__position", "position"
    )


# -- the pages' reads ---------------------------------------------------------------------------


def active_lessons() -> QuerySet[Lesson]:
    return Lesson.objects.filter(active=True)


def course_lessons() -> QuerySet[Lesson]:
    """The active lessons of the active modules, in course order."""
    return Lesson.objects.filter(active=True, module__active=True).order_by(
        "module__position", "position"
    )


def active_scenarios() -> QuerySet[Scenario]:
    return Scenario.objects.filter(active=True)


def lesson_items(*, lesson: Lesson) -> QuerySet[Item]:
    return lesson.items.filter(active=True).order_by("position")


def lesson_offers_item(*, lesson: Lesson, item_key: str) -> bool:
    return lesson.items.filter(key=item_key, active=True).exists()


def lesson_attempts(*, user: AbstractBaseUser, lesson: Lesson) -> QuerySet[Attempt]:
    return Attempt.objects.filter(user=user, lesson=lesson)


def open_attempt(*, user: AbstractBaseUser, lesson: Lesson) -> Attempt | None:
    return lesson_attempts(user=user, lesson=lesson).filter(submitted_at=None).first()


def attempts_of(*, user: AbstractBaseUser) -> QuerySet[Attempt]:
    """The learner's own attempts: another learner's attempt is not among them."""
    return Attempt.objects.select_related("lesson").filter(user=user)


def attempt_responses(*, attempt: Attempt) -> dict[int, ItemResponse]:
    """The attempt's answers by item id."""
    return {r.item_id: r for r in attempt.responses.select_related("review")}


def media_files() -> QuerySet[MediaFile]:
    return MediaFile.objects.all()


def cohort_ids_of(*, user: AbstractBaseUser) -> set[int]:
    return set(Enrolment.objects.filter(user=user).values_list("cohort_id", flat=True))


def is_enrolled(*, cohort: Cohort | None, user: AbstractBaseUser) -> bool:
    return Enrolment.objects.filter(cohort=cohort, user=user).exists()


def cohorts(*, ids: set[int] | None = None) -> QuerySet[Cohort]:
    found = Cohort.objects.all()
    return found if ids is None else found.filter(pk__in=ids)


def cohorts_with_trainer() -> QuerySet[Cohort]:
    return Cohort.objects.select_related("trainer")


def open_cohorts(*, excluding: set[int]) -> QuerySet[Cohort]:
    """Cohorts a learner may join by themselves, other than ``excluding``."""
    return Cohort.objects.filter(self_enrolment=True).exclude(pk__in=excluding)


def open_live_runs(*, cohort_ids: set[int]) -> QuerySet[ScenarioRun]:
    """Live runs still going in these cohorts."""
    return ScenarioRun.objects.filter(
        live=True, finished_at=None, cohort_id__in=cohort_ids
    ).select_related("scenario")


def scenario_runs() -> QuerySet[ScenarioRun]:
    return ScenarioRun.objects.select_related("scenario", "cohort")


def practice_runs(*, user: AbstractBaseUser, scenario: Scenario) -> QuerySet[ScenarioRun]:
    return ScenarioRun.objects.filter(user=user, scenario=scenario, live=False)


def cohort_runs(*, cohort: Cohort) -> QuerySet[ScenarioRun]:
    return cohort.runs.select_related("scenario")


def enrolled_user_ids(*, cohort: Cohort) -> set[int]:
    return set(cohort.enrolments.values_list("user_id", flat=True))


def users(*, ids: list[int]) -> QuerySet[AbstractBaseUser]:
    return get_user_model().objects.filter(pk__in=ids)


def certificates() -> QuerySet[Certificate]:
    return Certificate.objects.all()


def valid_certificate(*, user: AbstractBaseUser) -> Certificate | None:
    return Certificate.objects.filter(user=user, revoked_at=None).first()


def recent_certificates() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("user")[:200]


def certificate_by_code(*, code: str) -> Certificate | None:
    """Any organisation's certificate: the public verification page looks it up by its code."""
    with scopes_disabled():
        return Certificate.objects.select_related("organisation").filter(code=code).first()


def free_text_responses() -> QuerySet[ItemResponse]:
    return ItemResponse.objects.filter(item__type="free_text")
