"""API permissions resting on the organisation the middleware resolved from the URL."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from secu4all.organisations.access import has_any_role
from secu4all.organisations.models import Role


class IsOrganisationMember(BasePermission):
    message = _("You are not a member of this organisation.")

    def has_permission(self, request, view) -> bool:
        return request.user.is_authenticated and request._request.organisation is not None


class HasOrganisationRole(IsOrganisationMember):
    """Members holding one of ``roles``: the same check the web pages' ``role_required`` makes."""

    roles: tuple[str, ...] = ()

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and has_any_role(request._request, self.roles)


class IsOrganisationAdmin(HasOrganisationRole):
    message = _("This endpoint needs the organisation admin role.")
    roles = (Role.ORG_ADMIN,)
