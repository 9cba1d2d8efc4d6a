"""Flood protection for the public survey without storing who the respondent is.

Only a keyed hash (HMAC-SHA256 with the site's secret key) of the client address lives in
Django's cache, as part of a counter key that expires after the window (minutes); the address
itself is never written anywhere, and nothing of it reaches the database. Without the secret
key the hash cannot be turned back into an address by trying all 2³² IPv4 addresses.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# (requests, seconds) per client address: new responses started, and answer pages sent.
DEFAULT_LIMITS = {"start": (20, 600), "answer": (400, 600)}


def client_hash(request: HttpRequest) -> str:
    # REMOTE_ADDR is the citizen's: common.proxies takes it from X-Forwarded-For only when a
    # trusted proxy sent it; never read that header here, a flooder would vary it.
    address = request.META.get("REMOTE_ADDR", "")
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"perception:{address}".encode(), hashlib.sha256).hexdigest()[:32]


def allow(request: HttpRequest, bucket: str) -> bool:
    """Count this request against the client's limit; False once the limit is passed."""
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
