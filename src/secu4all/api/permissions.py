"""API permissions resting on the organisation the middleware resolved from the URL."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from secu4all.organisations.models import Role


class IsOrganisationMember(BasePermission):
    message = "You are not a member of this organisation."

    def has_permission(self, request, view) -> bool:  # noqa: ANN001
        return request.user.is_authenticated and request._request.organisation is not None


class IsOrganisationAdmin(IsOrganisationMember):
    message = "This endpoint needs the organisation admin role."

    def has_permission(self, request, view) -> bool:  # noqa: ANN001
        return super().has_permission(request, view) and Role.ORG_ADMIN in request._request.roles
