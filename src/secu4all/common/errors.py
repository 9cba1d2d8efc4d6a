"""Errors as the reader gets them: a service's refusal on the form that asked, or in the
API's JSON; and the answers to 400, 403, 404 and 500, JSON under /api/ and the site's pages
elsewhere."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.settings import api_settings

API_PREFIX = "/api/"


def form_add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ``ValidationError`` on the form the reader filled in: each message on the
    field it names when the form has that field, everything else at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)


def api_error_detail(error: ValidationError, *, messages_key: str) -> dict[str, list[str]]:
    """A service's ``ValidationError`` as the body of an API 400: messages per field, the
    ones for no field under DRF's non-field key, and a message list without fields under
    ``messages_key``."""
    if not hasattr(error, "error_dict"):
        return {messages_key: error.messages}
    return {
        api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field: messages
        for field, messages in error.message_dict.items()
    }


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("The request is malformed.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("You do not have permission to do this.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side. The error has been logged.")},
            status=500,
        )
    return defaults.server_error(request)
