"""Forwarded headers trusted only from the reverse proxies the deployment names.

Behind a TLS-terminating proxy the platform sees the proxy's address and plain HTTP; the proxy
says what the client used in ``X-Forwarded-Proto`` and who the client is in
``X-Forwarded-For``. A client can send those headers too, so they count only when the request
comes from an address in ``TRUSTED_PROXIES``; from anyone else they are removed before any
other middleware reads them. This is what lets ``SECURE_SSL_REDIRECT`` work behind nginx
(without it every request answered 301 to itself) and lets the rate limits and the sign-in
throttle key on the citizen's network instead of the proxy's.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST")


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Addresses or networks (``10.0.0.0/8``, ``::1``) as networks; a typo raises at start-up."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values if value)


@cache
def _trusted(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return parse_networks(values)


def is_trusted(address: str, networks: tuple[IPNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: str, forwarded_for: str, networks: tuple[IPNetwork, ...]) -> str:
    """The client behind a chain of trusted proxies.

    ``X-Forwarded-For`` lists the addresses each proxy saw, the nearest last. Read from the
    right, the first address that is not a trusted proxy is the client; whatever stands to
    its left was written by the client itself and proves nothing.
    """
    address = peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        if not is_trusted(address, networks):
            break
        address = hop
    return address


class TrustedProxyMiddleware:
    """First in the chain: honour forwarded headers from trusted proxies, drop all others."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        networks = _trusted(tuple(settings.TRUSTED_PROXIES))
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        if is_trusted(peer, networks):
            client = client_address(peer, meta.get("HTTP_X_FORWARDED_FOR", ""), networks)
            if _is_address(client):
                meta["REMOTE_ADDR"] = client
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
