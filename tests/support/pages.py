"""The platform's main pages, found from the URL conf and the demo data, for checks that must
hold on every page (reflow at 390 px, formats and translations).

No hand list: every page of an organisation's URL conf that takes no argument but the
organisation is a seed, and from each seed the pages a demo reader can open are followed by
their links, one page per view (a list or a detail page), so a new page is checked as soon as
it is linked from anywhere.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404
from django_scopes import scopes_disabled

from secu4all.organisations.models import Membership

# The readers the issue names, each seeing what their roles open; the admin sees the rest.
DEMO_READERS = ("adviser", "analyst", "trainer", "learner", "partner", "admin")
# Files, not pages: exports, downloads, images, tiles and the API.
NOT_A_PAGE = re.compile(
    r"export|download|pdf|csv|json|geojson|png|svg|photo|attachment|image|tile|qr|logout"
)
FOLLOWED = ("/o/", "/s/", "/certificates/", "/accounts/api-token/")
LINK = re.compile(r"""<a\b[^>]*\bhref="([^"#]+)""")


@dataclass(frozen=True)
class MainPage:
    """A page to check: who opens it, where, and which view draws it."""

    username: str
    path: str
    view_name: str


def organisation_seeds(org_slug: str) -> list[str]:
    """Every page under /o/<org_slug>/ that needs no argument but the organisation."""
    seeds = []
    for top in get_resolver().url_patterns:
        if not isinstance(top, URLResolver) or "org_slug" not in str(top.pattern):
            continue
        namespace = top.namespace
        for pattern in top.url_patterns:
            if not isinstance(pattern, URLPattern) or pattern.pattern.converters:
                continue
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if not pattern.name or NOT_A_PAGE.search(pattern.name):
                continue
            try:
                seeds.append(reverse(name, kwargs={"org_slug": org_slug}))
            except NoReverseMatch:
                continue
    return seeds


def _view_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def _followable(path: str) -> bool:
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return False
    return parts.path.startswith(FOLLOWED) and not NOT_A_PAGE.search(parts.path)


def signed_in_client(username: str) -> Client:
    """A test client signed in as ``username``, who is ``client.reader``."""
    client = Client()
    client.reader = get_user_model().objects.get(username=username)
    client.force_login(client.reader)
    return client


def discover_main_pages(*, most_per_reader: int = 200) -> list[MainPage]:
    """One page per view that some demo reader can open, with the first reader who opened it."""
    found: dict[str, MainPage] = {}
    for username in DEMO_READERS:
        client = signed_in_client(username)
        with scopes_disabled():
            slugs = set(
                Membership.objects.filter(user=client.reader).values_list(
                    "organisation__slug", flat=True
                )
            )
        seeds = ["/", *(seed for slug in sorted(slugs) for seed in organisation_seeds(slug))]
        queue, queued = deque(seeds), set(seeds)
        visits = 0
        while queue and visits < most_per_reader:
            path = queue.popleft()
            view_name = _view_name(path)
            if view_name is None or view_name in found:
                continue
            visits += 1
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            found.setdefault(view_name, MainPage(username, path, view_name))
            for href in LINK.findall(response.content.decode()):
                link = urljoin(path, href.replace("&amp;", "&"))
                if _followable(link) and link not in queued:
                    queued.add(link)
                    queue.append(link)
    return sorted(found.values(), key=lambda page: page.path)
