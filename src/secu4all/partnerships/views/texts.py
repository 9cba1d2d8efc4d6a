"""Templates for partnerships: the information-sharing agreement and the DPIA checklist."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from secu4all.partnerships import texts
from secu4all.partnerships.access import require_partnerships_permission


@require_GET
def template_text(request: HttpRequest, org_slug: str, name: str) -> HttpResponse:
    """The information-sharing agreement and DPIA checklist templates, in the reader's language."""
    require_partnerships_permission(request, "template")
    found = texts.TEXTS.get(name)
    if found is None:
        raise Http404(_("There is no template called %(name)s.") % {"name": name})
    return render(
        request,
        "partnerships/template_text.html",
        {"organisation": request.organisation, "title": found.title, "html": texts.render(name)},
    )
