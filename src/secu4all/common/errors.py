"""Errors as the reader gets them: a service's refusal on the form that asked, or in the
API's JSON; and the answers to 400, 403, 404 and 500, JSON under /api/ and the site's pages
elsewhere."""

from __future__ import annotations

import contextlib
import sys

from django import db, forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
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


# How long a reader or a client is asked to wait while the database is away (a restart).
RETRY_AFTER_SECONDS = 30


def _database_unavailable() -> bool:
    """Whether the error being handled comes from the database refusing or losing the
    connection — also when it surfaced as another error on the way out (a session that could
    not be loaded fails again when the response is saved)."""
    error = sys.exc_info()[1]
    while error is not None:
        if isinstance(error, db.OperationalError | db.InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 at once, with when to try again; the broken connection is dropped here, so the next
    request connects anew and the platform recovers by itself when the database is back."""
    for each in db.connections.all(initialized_only=True):
        # Asking a broken connection whether it is usable can fail the same way.
        with contextlib.suppress(db.Error):
            each.close_if_unusable_or_obsolete()
    if _is_api(request):
        response = JsonResponse(
            {"detail": _("The database is unavailable for a moment. Try again in a minute.")},
            status=503,
        )
    else:
        # A page of its own: the base template reads the database for its navigation.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    if _database_unavailable():
        return database_unavailable(request)
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side. The error has been logged.")},
            status=500,
        )
    return defaults.server_error(request)
