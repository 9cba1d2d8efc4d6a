"""Permission checks for pages and API endpoints that run inside an organisation, both
resting on the permission registry (``organisations.permissions``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from secu4all.organisations.models import Role
from secu4all.organisations.permissions import Permission, has_permission, roles_with


def roles_needed(request: HttpRequest, permission: Permission) -> str:
    """The roles that hold ``permission`` in the URL's organisation, as the reader says them."""
    allowed = roles_with(permission, request.organisation)
    return ", ".join(str(Role(role).label) for role in Role.values if role in allowed)


def permission_denied_message(request: HttpRequest, permission: Permission) -> str:
    """Why the page is refused, naming the roles that would open it."""
    return _("This page needs the role: %(roles)s.") % {"roles": roles_needed(request, permission)}


def require_permission(request: HttpRequest, permission: Permission) -> None:
    """Raise 403 unless the request's user holds ``permission`` in the URL's organisation."""
    if request.organisation is None:
        raise PermissionDenied(_("This page belongs to an organisation."))
    if not has_permission(request, permission):
        raise PermissionDenied(permission_denied_message(request, permission))


def permission_required(permission: Permission) -> Callable:
    """Allow the view only to members holding ``permission`` in the URL's organisation."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require_permission(request, permission)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class IsOrganisationMember(BasePermission):
    message = gettext_lazy("You are not a member of this organisation.")

    def has_permission(self, request, view) -> bool:
        return request.user.is_authenticated and request._request.organisation is not None


class HasOrganisationPermission(IsOrganisationMember):
    """Members holding ``permission``: the same check the web pages' ``permission_required``
    makes."""

    permission: Permission

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if has_permission(request._request, self.permission):
            return True
        # DRF answers a refusal with the checking instance's message.
        self.message = _("This endpoint needs the role: %(roles)s.") % {
            "roles": roles_needed(request._request, self.permission)
        }
        return False


def requires(permission: Permission) -> type[HasOrganisationPermission]:
    """A permission class for endpoints that need ``permission``."""
    return type(
        f"Requires_{permission.value}",
        (HasOrganisationPermission,),
        {"permission": permission},
    )
