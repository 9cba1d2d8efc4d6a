"""Sharing an excerpt of the risk assessment of the partnership's site."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from secu4all.common.errors import form_add_errors
from secu4all.partnerships.access import partnership_view, require_lead
from secu4all.partnerships.forms import SharedItemForm
from secu4all.partnerships.models import Partnership
from secu4all.partnerships.services import excerpts
from secu4all.partnerships.views.sharing import shared_item_done, shared_item_fields


@require_http_methods(["GET", "POST"])
@partnership_view("excerpt")
def assessment_excerpt_share(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    """Share an excerpt of the site's risk assessment: advisers and admins of the lead only,
    as only they may read assessments."""
    require_lead(request, partnership, "excerpt")
    latest, body = excerpts.assessment_excerpt(partnership=partnership)
    if latest is None:
        raise Http404(_("The partnership's site has no assessment to share from."))
    initial = {
        "kind": "assessment-excerpt",
        "title": _("Risk assessment of %(site)s (excerpt)") % {"site": partnership.site.name},
        "body": body,
        "tlp": latest.tlp,
    }
    form = SharedItemForm(request.POST or None, initial=initial, partnership=partnership)
    del form.fields["kind"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = excerpts.assessment_excerpt_share(
                actor=request.user,
                acting_for=request.organisation,
                partnership=partnership,
                **shared_item_fields(data),
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            return shared_item_done(request, partnership, item)
    return render(
        request,
        "partnerships/excerpt_form.html",
        {
            "organisation": request.organisation,
            "partnership": partnership,
            "form": form,
            "assessment": latest,
        },
        status=400 if request.method == "POST" else 200,
    )
