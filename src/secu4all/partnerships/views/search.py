"""Searching the shared items of every partnership of the organisation."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from secu4all.audit.services import audit_read
from secu4all.common.tlp import TLP_WIDTH, Tlp
from secu4all.partnerships import tlp
from secu4all.partnerships.access import require_partnerships_permission
from secu4all.partnerships.forms import SearchForm
from secu4all.partnerships.selectors import partnership_list, partnership_scope


@require_GET
def search(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Search the items of every partnership of the organisation that the user may read."""
    require_partnerships_permission(request, "search")
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    hits = []
    if query:
        for partnership in partnership_list(organisation=request.organisation):
            with partnership_scope(partnership):
                found = tlp.readable_items(request.user, partnership).filter(
                    Q(title__icontains=query) | Q(body__icontains=query)
                )
                hits.extend((partnership, item) for item in found)
        hits.sort(key=lambda hit: (TLP_WIDTH[Tlp(hit[1].tlp)], hit[1].title))
        # The titles in the results are themselves read: the search is logged with them. The
        # query is not the event's text: it says what the items found contain, so the log
        # shows it only to readers of all of them (``tlp.audit_search_disclosures``).
        audit_read(
            request,
            object_type="partnerships.search",
            detail={"via": "search", "query": query, "items": [item.pk for _p, item in hits]},
        )
    return render(
        request,
        "partnerships/search.html",
        {"organisation": request.organisation, "form": form, "query": query, "hits": hits},
    )
