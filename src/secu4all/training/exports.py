"""CSV exports of training for trainers: a cohort's progress and the item statistics."""

from __future__ import annotations

import io

from secu4all.common.exports import SpreadsheetSafeWriter
from secu4all.training import selectors
from secu4all.training.models import Cohort

COHORT_PROGRESS_HEADER = [
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
ITEM_STATISTICS_HEADER = ["lesson", "item", "type", "learners", "difficulty", "discrimination"]


def cohort_progress_csv(*, cohort: Cohort) -> str:
    """One row per learner and module."""
    buffer = io.StringIO()
    writer = SpreadsheetSafeWriter(buffer)
    writer.writerow(COHORT_PROGRESS_HEADER)
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
    return buffer.getvalue()


def item_statistics_csv() -> str:
    """Difficulty and discrimination of every active item, in course order."""
    buffer = io.StringIO()
    writer = SpreadsheetSafeWriter(buffer)
    writer.writerow(ITEM_STATISTICS_HEADER)
    for lesson in selectors.course_lessons():
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
    return buffer.getvalue()
