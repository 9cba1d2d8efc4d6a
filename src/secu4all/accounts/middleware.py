"""Two-factor enforcement: a session that has or needs a TOTP device is verified first.

A session needs one when an organisation of the user demands it for the user's role, and
always for Django's admin.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from secu4all.accounts.selectors import confirmed_totp_device
from secu4all.organisations.selectors import requires_two_factor

# Pages a half-signed-in user may still reach: the second step itself and the way out.
OPEN_PATH_NAMES = {
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    "accounts:two_factor_recovery",
    "accounts:logout",
    "set_language",
}


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        path = request.path_info
        if path.startswith(("/static/", "/media/")) or self._is_open(path):
            return self.get_response(request)
        if confirmed_totp_device(user=user) is not None:
            return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': path})}")
        # Django's admin reaches every organisation: never with a password alone.
        if requires_two_factor(user=user) or (
            user.is_staff and path.startswith(reverse("admin:index"))
        ):
            return redirect(reverse("accounts:two_factor_setup"))
        return self.get_response(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        return any(path == reverse(name) for name in OPEN_PATH_NAMES)


# The idle timeout is renewed at most this often: a request in between reads the session and
# writes nothing (under load, a session write on every page was one database write a request).
RENEW_EVERY_SECONDS = 60
RENEWED_KEY = "_renewed_at"


class IdleSessionMiddleware:
    """A session ends after SESSION_COOKIE_AGE without a request; activity renews it, at most
    once a minute, so the timeout holds to within a minute without a write per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.session_key and not session.is_empty():
            now = int(time.time())
            if now - session.get(RENEWED_KEY, 0) >= RENEW_EVERY_SECONDS:
                # A change makes SessionMiddleware save it with a new expiry and cookie.
                session[RENEWED_KEY] = now
        return self.get_response(request)
