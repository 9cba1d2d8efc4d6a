"""Pages of the neighbourhoods: the list and its import."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from secu4all.audit.services import audit_read
from secu4all.common.files import ImportFileError
from secu4all.neighbourhoods.forms import AreasForm
from secu4all.neighbourhoods.importers import MAX_BYTES as AREAS_MAX_BYTES
from secu4all.neighbourhoods.selectors import area_list, map_frame
from secu4all.neighbourhoods.services import areas_import
from secu4all.organisations.access import permission_required
from secu4all.organisations.permissions import Permission, has_permission


@require_http_methods(["GET", "POST"])
@permission_required(Permission.VIEW_NEIGHBOURHOODS)
def areas(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The neighbourhoods that turn counts into rates and hold the survey's answers."""
    can_import = has_permission(request, Permission.IMPORT_CRIME)
    form = AreasForm(request.POST or None, request.FILES or None)
    summary = None
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied(_("Importing neighbourhoods needs the analyst or admin role."))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                summary = areas_import(
                    organisation=request.organisation,
                    actor=request.user,
                    # The bytes read, not the size the request declares, meet the limit.
                    data=upload.read(AREAS_MAX_BYTES + 1),
                    file_name=upload.name,
                )
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                form = AreasForm()
    else:
        # The same object type as the imports' records, so the log reads as one history.
        audit_read(request, object_type="incidents.area", object_repr="neighbourhoods")
    return render(
        request,
        "neighbourhoods/areas.html",
        {
            "organisation": request.organisation,
            "areas": area_list(organisation=request.organisation),
            "form": form if can_import else None,
            "summary": summary,
            "areas_map": {
                "frame": map_frame(
                    organisation=request.organisation,
                    legend_title=_("the organisation's neighbourhoods"),
                ),
                "title": _("Neighbourhoods of %(organisation)s")
                % {"organisation": request.organisation.name},
            },
        },
    )


def areas_moved(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The page's old address under incidents. Permanent, and a 308 so that a form posted
    to the old address is posted again, not turned into a GET."""
    return HttpResponsePermanentRedirect(
        reverse("neighbourhoods:areas", args=[org_slug]), preserve_request=True
    )
