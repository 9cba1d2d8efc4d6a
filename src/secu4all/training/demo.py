"""Demo training: the curriculum from content/curriculum (if it passes the check), a cohort
of Havenstad with the demo trainer and learner, and the learner part-way through."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from secu4all.organisations.models import Organisation
from secu4all.training import services
from secu4all.training.curriculum import CurriculumRefusedError, curriculum_load, default_path
from secu4all.training.models import Cohort, Item, Lesson


def load(*, password: str) -> bool:
    try:
        result = curriculum_load(default_path())
    except CurriculumRefusedError as refused:
        print(
            f"Training demo skipped: the curriculum in {default_path()} has "
            f"{len(refused.problems)} problem(s); run `secu4all curriculum check` to see them."
        )
        return False
    organisation = Organisation.objects.get(slug="havenstad")
    if Cohort.objects.filter(organisation=organisation).exists():
        return result.changed
    User = get_user_model()
    trainer, learner = User.objects.get(username="trainer"), User.objects.get(username="learner")
    cohort = services.cohort_create(
        organisation=organisation,
        actor=trainer,
        name="Havenstad security staff 2026",
        trainer=trainer,
        self_enrolment=True,
    )
    services.enrol(cohort=cohort, user=learner, actor=trainer)
    first = Lesson.objects.filter(active=True).order_by("module__position", "position").first()
    if first is None:
        return True
    services.lesson_open(organisation=organisation, user=learner, lesson=first, language="en")
    attempt = services.attempt_start(
        organisation=organisation, user=learner, lesson=first, language="en"
    )
    # Answer the first choice items with the right option, so the overview shows progress.
    for item in Item.objects.filter(lesson=first, active=True, type="single_choice"):
        right = next(o["id"] for o in item.texts["en"]["options"] if o.get("correct"))
        services.item_answer(
            attempt=attempt,
            user=learner,
            item_key=item.key,
            form={"choice": [str(right)]},
            language="en",
        )
    services.attempt_submit(attempt=attempt, user=learner)
    second = Lesson.objects.filter(module=first.module, position__gt=first.position).first()
    if second is not None:
        services.lesson_open(organisation=organisation, user=learner, lesson=second, language="en")
    return True
