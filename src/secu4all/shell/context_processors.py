"""What every page needs to draw the shell: capabilities, languages, the user's organisations."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from secu4all.organisations.selectors import organisation_list_for_user
from secu4all.shell.capabilities import CAPABILITIES


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    organisations = (
        list(organisation_list_for_user(user=user)) if user and user.is_authenticated else []
    )
    return {
        "capabilities": CAPABILITIES,
        "my_organisations": organisations,
        "current_organisation": getattr(request, "organisation", None),
    }
