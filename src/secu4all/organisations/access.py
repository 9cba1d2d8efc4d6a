"""Role checks for views that run inside an organisation."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from secu4all.organisations.models import Role


def has_any_role(request: HttpRequest, roles: tuple[str, ...]) -> bool:
    return bool(request.roles & set(roles))


def role_required(*roles: Role) -> Callable:
    """Allow the view only to members holding one of ``roles`` in the URL's organisation."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.organisation is None:
                raise PermissionDenied(_("This page belongs to an organisation."))
            if not has_any_role(request, roles):
                raise PermissionDenied(
                    _("This page needs the role: %(roles)s.")
                    % {"roles": ", ".join(str(Role(r).label) for r in roles)}
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
