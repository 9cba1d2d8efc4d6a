"""Advancing a certification (Keurmerk Veilig Ondernemen) a stage."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secu4all.partnerships.access import partnership_view, record_or_404, require_lead
from secu4all.partnerships.models import Certification, Partnership
from secu4all.partnerships.services import certification as certification_service


@require_POST
@partnership_view("certification")
def certification_advance(
    request: HttpRequest, partnership: Partnership, certification_pk: int
) -> HttpResponse:
    require_lead(request, partnership, "certification")
    certification = record_or_404(request, partnership, Certification, certification_pk)
    try:
        certification_service.certification_advance(actor=request.user, certification=certification)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Stage: %(stage)s.") % {"stage": certification.get_stage_display()}
        )
    return redirect("partnerships:detail", org_slug=request.organisation.slug, pk=partnership.pk)
