"""Exercises: closing a review turns its follow-ups into actions of the plan."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from secu4all.partnerships.models import ActionItem, Exercise
from secu4all.partnerships.selectors import partnership_scope
from secu4all.partnerships.services.plans import action_item_create


@transaction.atomic
def exercise_review_close(
    *, actor: AbstractBaseUser | None, exercise: Exercise
) -> list[ActionItem]:
    """Turn the review's follow-up actions into actions of the plan (once each)."""
    created = []
    partnership = exercise.partnership
    with partnership_scope(partnership):
        pending = exercise.observations.filter(action_item__isnull=True).exclude(follow_up="")
        for observation in pending:
            action = action_item_create(
                actor=actor,
                partnership=partnership,
                title=observation.follow_up,
                owner_organisation=observation.follow_up_owner or partnership.organisation,
                deadline=date.today() + timedelta(days=90),
                source=_("Exercise: %(title)s") % {"title": exercise.title},
            )
            observation.action_item = action
            observation.save(update_fields=["action_item"])
            created.append(action)
    return created
