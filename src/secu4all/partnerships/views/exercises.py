"""An exercise and closing its review."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from secu4all.partnerships.access import (
    is_lead,
    partnership_view,
    record_or_404,
    require_lead,
    require_member,
)
from secu4all.partnerships.forms import InjectForm, ObservationForm
from secu4all.partnerships.models import Exercise, Partnership
from secu4all.partnerships.services import exercises


@require_GET
@partnership_view("exercise")
def exercise_detail(
    request: HttpRequest, partnership: Partnership, exercise_pk: int
) -> HttpResponse:
    require_member(request, partnership, "exercise")
    exercise = record_or_404(request, partnership, Exercise, exercise_pk)
    return render(
        request,
        "partnerships/exercise.html",
        {
            "organisation": request.organisation,
            "partnership": partnership,
            "exercise": exercise,
            "injects": exercise.injects.all(),
            "observations": exercise.observations.select_related("follow_up_owner", "action_item"),
            "participants": exercise.participants.all(),
            "is_lead": is_lead(request, partnership),
            "inject_form": InjectForm(partnership=partnership, auto_id="id_inject_%s"),
            "observation_form": ObservationForm(
                partnership=partnership, auto_id="id_observation_%s"
            ),
        },
    )


@require_POST
@partnership_view("exercise-review")
def exercise_review_close(
    request: HttpRequest, partnership: Partnership, exercise_pk: int
) -> HttpResponse:
    require_lead(request, partnership, "exercise-review")
    exercise = record_or_404(request, partnership, Exercise, exercise_pk)
    created = exercises.exercise_review_close(actor=request.user, exercise=exercise)
    messages.success(
        request, _("%(n)d follow-up actions entered the action plan.") % {"n": len(created)}
    )
    return redirect(
        "partnerships:exercise",
        org_slug=request.organisation.slug,
        pk=partnership.pk,
        exercise_pk=exercise.pk,
    )
