"""Flood protection for the public survey without storing who the respondent is.

Counters are keyed on the client's network, not its address: the /24 of an IPv4 address or
the /56 of an IPv6 one (what a household or a small office usually gets), so a flooder cannot
escape the limit by hopping between addresses of one connection. The network is kept only as
an HMAC-SHA256 under a random salt of the day that lives in Django's cache and nowhere else;
once the salt expires (two days) nobody, not even with the secret key and the database, can
turn a key back into a network by trying them all. Counter keys expire after their window
(minutes), and nothing of the address reaches the database.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

# (requests, seconds) per client network: new responses started, and answer pages sent.
DEFAULT_LIMITS = {"start": (20, 600), "answer": (400, 600)}
# This many new responses to one wave from one network within the seconds: a burst to review.
DEFAULT_BURST = (5, 600)
IPV4_PREFIX = 24
IPV6_PREFIX = 56
SALT_SECONDS = 2 * 24 * 3600


def network_prefix(address: str) -> str:
    """The network an address belongs to, as text: ``192.0.2.0/24`` or ``2001:db8::/56``."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return "unknown"
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def daily_salt() -> str:
    """Today's random salt; made by whichever process asks first (``cache.add`` is atomic)."""
    today = timezone.localdate()
    key = f"perception:salt:{today.isoformat()}"
    if cache.add(key, secrets.token_hex(32), timeout=SALT_SECONDS):
        # A database cache keeps expired rows until it culls them: drop the old salt by hand.
        cache.delete(f"perception:salt:{(today - timedelta(days=2)).isoformat()}")
    salt = cache.get(key)
    if salt is None:  # evicted between add and get: start a new day's salt
        salt = secrets.token_hex(32)
        cache.set(key, salt, timeout=SALT_SECONDS)
    return salt


def client_hash(request: HttpRequest) -> str:
    """The client's network as a keyed hash under today's salt (and the site's secret key)."""
    # REMOTE_ADDR is the citizen's: common.proxies takes it from X-Forwarded-For only when a
    # trusted proxy sent it; never read that header here, a flooder would vary it.
    network = network_prefix(request.META.get("REMOTE_ADDR", ""))
    key = (settings.SECRET_KEY + daily_salt()).encode()
    return hmac.new(key, f"perception:{network}".encode(), hashlib.sha256).hexdigest()[:32]


def allow(request: HttpRequest, bucket: str) -> bool:
    """Count this request against the client network's limit; False once it is passed."""
    limits = getattr(settings, "PERCEPTION_RATE_LIMITS", DEFAULT_LIMITS)
    limit, window = limits.get(bucket, DEFAULT_LIMITS[bucket])
    key = f"perception:rate:{bucket}:{client_hash(request)}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit


def recent_starts(request: HttpRequest, *, wave_id: int, response_id: int) -> list[int]:
    """Note a new response from the client's network; the responses to the wave from that
    network within the burst window, this one included, when they make a burst, else []."""
    limit, window = getattr(settings, "PERCEPTION_BURST", DEFAULT_BURST)
    key = f"perception:burst:{wave_id}:{client_hash(request)}"
    # The ids are kept for minutes beside a salted hash: enough to flag a burst, never linkable
    # to an address once the salt has gone.
    ids = [*cache.get(key, []), response_id]
    cache.set(key, ids, timeout=window)
    return ids if len(ids) >= limit else []
