"""API permissions resting on the organisation the middleware resolved from the URL."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from secu4all.organisations.models import Role


class IsOrganisationMember(BasePermission):
    message = _("You are not a member of this organisation.")

    def has_permission(self, request, view) -> bool:
        return request.user.is_authenticated and request._request.organisation is not None


class IsOrganisationAdmin(IsOrganisationMember):
    message = _("This endpoint needs the organisation admin role.")

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and Role.ORG_ADMIN in request._request.roles
