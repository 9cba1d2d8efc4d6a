"""What every page needs to draw the shell: capabilities, languages, the user's organisations."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise, SimpleLazyObject

from secu4all.organisations.selectors import organisation_list_for_user, roles_by_organisation
from secu4all.shell.capabilities import CAPABILITIES, Capability, capabilities_opening
from secu4all.shell.onboarding import onboarding_checklist


@dataclass(frozen=True)
class NavigationLink:
    """One entry of the main navigation: where it leads and what it says."""

    slug: str
    title: Promise
    summary: Promise
    url: str
    current: bool = False  # the page shown lies in this part of the platform


def _public_link(item: Capability) -> NavigationLink:
    return NavigationLink(
        item.slug, item.title, item.summary, reverse("capability", args=[item.slug])
    )


def navigation_links(user, organisation, roles: frozenset[str]) -> list[NavigationLink]:
    """The main navigation as this user may follow it, never a link that answers 403.

    Anonymous readers get the public description of every capability. Inside an organisation,
    only what the user's roles open there, linked straight to it; elsewhere, what opens in at
    least one of the user's organisations, linked to its page listing those organisations.
    """
    if not user or not user.is_authenticated:
        return [_public_link(item) for item in CAPABILITIES]
    if organisation is not None:
        return [
            NavigationLink(
                item.slug,
                item.title,
                item.summary,
                reverse(item.url_name, args=[organisation.slug]),
            )
            for item in capabilities_opening(organisation, roles)
        ]
    organisations = list(organisation_list_for_user(user=user))
    held = roles_by_organisation(user=user)
    return [
        _public_link(item)
        for item in CAPABILITIES
        if item.available
        and any(item.opens_for(org, frozenset(held.get(org.pk, ()))) for org in organisations)
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    organisation = getattr(request, "organisation", None)
    roles = getattr(request, "roles", frozenset())
    organisations = (
        list(organisation_list_for_user(user=user)) if user and user.is_authenticated else []
    )
    return {
        "capabilities": CAPABILITIES,
        "nav_links": SimpleLazyObject(
            lambda: [
                replace(link, current=request.path.startswith(link.url))
                for link in navigation_links(user, organisation, roles)
            ]
        ),
        "work_here": capabilities_opening(organisation, roles) if organisation else [],
        # Computed only on the page that shows it (the organisation's overview, to admins).
        "onboarding": SimpleLazyObject(lambda: onboarding_checklist(request)),
        "my_organisations": organisations,
        "current_organisation": organisation,
    }
