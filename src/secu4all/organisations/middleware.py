"""Tenant scoping in one place: every URL with an ``org_slug`` runs inside that organisation."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled
from rest_framework.exceptions import AuthenticationFailed

from secu4all.accounts.authentication import ApiTokenAuthentication
from secu4all.audit.models import SecurityEventKind
from secu4all.audit.services import security_event_record
from secu4all.organisations.selectors import organisation_for_member, roles_of


class OrganisationScopeMiddleware:
    """Resolve the organisation of the URL, check membership and activate its scope.

    A URL with ``<org_slug>`` is served only to members of that organisation, and every
    query on a tenant-owned model in that request is filtered to it. Any other URL runs
    with no organisation scope at all, so a tenant-owned query there raises instead of
    returning rows of every organisation. Django's admin, for superusers only, runs
    unscoped.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisation = None
        request.roles = frozenset()
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.namespaces[:1] == ["admin"] and request.user.is_superuser:
            with scopes_disabled():
                return self.get_response(request)
        slug = match.kwargs.get("org_slug")
        if slug is None:
            return self.get_response(request)

        user = self._authenticated_user(request)
        if not user.is_authenticated:
            if match.namespaces[:1] == ["api"]:
                # The API view itself answers 401/403 in its own format.
                return self.get_response(request)
            return redirect_to_login(request.get_full_path())
        organisation = organisation_for_member(user=user, slug=slug)
        if organisation is None:
            self._record_refusal(request=request, user=user, slug=slug)
            raise Http404(_("No organisation of yours is called %(slug)s.") % {"slug": slug})
        request.organisation = organisation
        request.roles = roles_of(user=user, organisation=organisation)
        with scope(organisation=organisation):
            return self.get_response(request)

    @staticmethod
    def _record_refusal(*, request: HttpRequest, user, slug: str) -> None:
        """A signed-in outsider probing an organisation's URLs goes into the platform's
        security log, once per session and path (a sweep is one row per address, with its
        hits), not into that organisation's audit log; the answer stays the same 404 as for
        a slug that does not exist."""
        session_key = getattr(getattr(request, "session", None), "session_key", None)
        auth = request.headers.get("Authorization", "")
        security_event_record(
            kind=SecurityEventKind.PROBE,
            user=user,
            session=session_key or f"user:{user.pk}:{auth}",
            path=request.path,
            detail={"slug": slug[:100], "status": 404, "reason": "not a member"},
        )

    @staticmethod
    def _authenticated_user(request: HttpRequest):
        """The session user, or for the API the owner of a valid token.

        A request whose token is refused (expired, or beside another user's session) resolves
        to nobody, so the API view answers it with its 401 instead of serving the session user.
        """
        try:
            found = ApiTokenAuthentication().authenticate(request)
        except AuthenticationFailed:
            return AnonymousUser()
        return found[0] if found else request.user
