"""Pages of the shell: home, capabilities not built yet, language choice, errors."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from secu4all.common import errors
from secu4all.common.redirects import safe_target
from secu4all.organisations.selectors import admin_names, organisation_list_for_user, roles_of
from secu4all.shell.capabilities import Capability, capability


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html")


@require_GET
def capability_page(request: HttpRequest, slug: str) -> HttpResponse:
    found = capability(slug)
    if found is None:
        raise Http404(_("There is no part of the platform called %(slug)s.") % {"slug": slug})
    if not found.available:
        return render(request, "site/not_available.html", {"capability": found})
    return render(
        request,
        "site/capability.html",
        {"capability": found, "open_for": organisations_opening(request.user, found)},
    )


def organisations_opening(user, found: Capability) -> list:
    """The user's organisations where one of their roles may open the capability."""
    if not user.is_authenticated:
        return []
    return [
        organisation
        for organisation in organisation_list_for_user(user=user)
        if found.opens_for(organisation, roles_of(user=user, organisation=organisation))
    ]


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Remember the chosen language in a cookie; an unknown code is refused by name."""
    code = request.POST.get("language", "")
    known = [c for c, _name in settings.LANGUAGES]
    if code not in known or not check_for_language(code):
        return render(
            request,
            "site/bad_language.html",
            {"code": code, "known": known},
            status=400,
        )
    response = HttpResponseRedirect(safe_target(request, request.POST.get("next", "/"), "/"))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 page says who to ask: inside an organisation (whose URLs only its members
    reach) its admins by name; anywhere else a generic text that names nobody."""
    if request.path.startswith(errors.API_PREFIX):
        return errors.permission_denied(request, exception)
    organisation = getattr(request, "organisation", None)
    return render(
        request,
        "403.html",
        {
            "exception": str(exception),
            "organisation": organisation,
            "admins": admin_names(organisation=organisation) if organisation else [],
        },
        status=403,
    )
