"""API requests with an empty query parameter are refused, naming it, before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from secu4all.common.errors import API_PREFIX


class EmptyParameterMiddleware:
    """``?category=`` means nothing to the API: a client that sends it has a bug, and answering
    as if the filter were absent would return data it did not ask for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            empty = sorted(
                name for name, values in request.GET.lists() if any(not v.strip() for v in values)
            )
            if empty:
                return JsonResponse(
                    {
                        name: [_("This parameter is empty: give it a value or leave it out.")]
                        for name in empty
                    },
                    status=400,
                )
        return self.get_response(request)
