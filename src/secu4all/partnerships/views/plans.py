"""The joint action plan: adding actions, their status, and measures from the assessment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secu4all.partnerships.access import partnership_view, record_or_404, refuse, require_lead
from secu4all.partnerships.forms import ActionItemForm, ActionStatusForm
from secu4all.partnerships.models import ActionItem, Partnership
from secu4all.partnerships.services import plans


@require_POST
@partnership_view("action-add")
def action_add(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    require_lead(request, partnership, "action-add")
    form = ActionItemForm(request.POST, partnership=partnership)
    if form.is_valid():
        plans.action_item_create(actor=request.user, partnership=partnership, **form.cleaned_data)
        messages.success(request, _("Action added to the plan."))
    else:
        messages.error(
            request,
            _("The action was not added: %(errors)s")
            % {"errors": "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())},
        )
    return redirect("partnerships:detail", org_slug=request.organisation.slug, pk=partnership.pk)


@require_POST
@partnership_view("action-status")
def action_status(request: HttpRequest, partnership: Partnership, action_pk: int) -> HttpResponse:
    action = record_or_404(request, partnership, ActionItem, action_pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            plans.action_item_set_status(
                actor=request.user,
                action=action,
                status=form.cleaned_data["status"],
                acting_for=request.organisation,
            )
        except PermissionDenied:
            refuse(
                request,
                organisation=partnership.organisation,
                object_type="partnerships.actionitem",
                object_id=str(action.pk),
                via="action-status",
                status=403,
                reason="not the owner",
            )
            raise
        messages.success(request, _("Status saved."))
    return redirect("partnerships:detail", org_slug=request.organisation.slug, pk=partnership.pk)


@require_POST
@partnership_view("measures")
def measures_from_assessment(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    require_lead(request, partnership, "measures")
    try:
        created = plans.measures_from_assessment(actor=request.user, partnership=partnership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(n)d recommended measures entered the action plan.") % {"n": len(created)}
        )
    return redirect("partnerships:detail", org_slug=request.organisation.slug, pk=partnership.pk)
