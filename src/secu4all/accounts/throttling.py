"""Back-off against password guessing and reset floods, counted per account and per network.

A network is an IPv4 /24 or an IPv6 /64, so a client hopping addresses inside its own block
counts once, and many usernames tried from one network are slowed together. The account
counter is shared by every network, so one person behind a NAT cannot lock out the others,
and the network allowance is far larger than the account one. After the free allowance each
further failure doubles the wait, up to a ceiling: a back-off, not a CAPTCHA, not a ban.

Counters live in Django's cache (local memory in the embedded default; a deployment with
several web processes configures a shared cache). Names and networks are hashed with the
secret key before they become cache keys, so the cache holds neither.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Backoff:
    wait_from: int  # the failure (or request) of this number starts the first wait
    first_wait: int  # seconds to wait at the first one over the allowance; doubles after
    longest_wait: int  # seconds; the ceiling of the doubling
    memory: int  # seconds without a new failure after which the counter is forgotten


def policy(name: str) -> Backoff:
    return Backoff(**settings.SECU4ALL_BACKOFF[name])


def network_of(request: HttpRequest) -> str:
    """The client's /24 (IPv4) or /64 (IPv6) network, from REMOTE_ADDR.

    Behind a reverse proxy listed in TRUSTED_PROXIES, common.proxies has set REMOTE_ADDR from
    the proxy's header; X-Forwarded-For is never read here, an attacker would vary it.
    """
    address = request.META.get("REMOTE_ADDR", "")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _key(kind: str, subject: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{kind}:{subject}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"accounts:backoff:{kind}:{digest}"


def wait_seconds(*, kind: str, subject: str) -> int:
    """Seconds the subject must still wait before its next attempt; 0 when it may go ahead."""
    state = cache.get(_key(kind, subject))
    if not state:
        return 0
    return max(0, int(state["until"] - time.time() + 0.999))


def count(*, kind: str, subject: str) -> None:
    """One more failure (or request) for the subject; over the allowance, the wait doubles."""
    rule = policy(kind)
    key = _key(kind, subject)
    state = cache.get(key) or {"count": 0, "until": 0.0}
    state["count"] += 1
    over = state["count"] - rule.wait_from
    if over >= 0:
        wait = min(rule.first_wait * 2 ** min(over, 32), rule.longest_wait)
        state["until"] = time.time() + wait
    cache.set(key, state, timeout=rule.memory)


def forget(*, kind: str, subject: str) -> None:
    cache.delete(_key(kind, subject))


def sign_in_wait(*, request: HttpRequest, username: str) -> int:
    return max(
        wait_seconds(kind="sign-in-account", subject=username.strip().lower()),
        wait_seconds(kind="sign-in-network", subject=network_of(request)),
    )


def sign_in_failed(*, request: HttpRequest, username: str) -> None:
    count(kind="sign-in-account", subject=username.strip().lower())
    count(kind="sign-in-network", subject=network_of(request))


def sign_in_succeeded(*, username: str) -> None:
    forget(kind="sign-in-account", subject=username.strip().lower())


def password_reset_wait(*, request: HttpRequest, email: str) -> int:
    return max(
        wait_seconds(kind="reset-account", subject=email.strip().lower()),
        wait_seconds(kind="reset-network", subject=network_of(request)),
    )


def password_reset_requested(*, request: HttpRequest, email: str) -> None:
    count(kind="reset-account", subject=email.strip().lower())
    count(kind="reset-network", subject=network_of(request))
