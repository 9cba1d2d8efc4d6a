"""Redirect targets taken from a request, kept on this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_target(request: HttpRequest, target: str, default: str) -> str:
    """``target`` if it stays on this host (and on HTTPS when the request is), else ``default``."""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
