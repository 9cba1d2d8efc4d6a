"""Pages of the mapping assistant: upload a CSV file, confirm the proposed mapping, import;
and the CSV template whose header maps itself."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from secu4all.common.files import ImportFileError
from secu4all.common.tasks import enqueue_or_explain
from secu4all.incidents.forms import AssistantUploadForm, ColumnMappingForm
from secu4all.incidents.importers.assistant import TEMPLATE_HEADER, TEMPLATE_ROWS
from secu4all.incidents.services import (
    ImportDraft,
    import_draft_confirm,
    import_draft_create,
    import_draft_read,
)
from secu4all.incidents.tasks import run_import
from secu4all.organisations.access import permission_required
from secu4all.organisations.permissions import Permission


def _mapping_page(request: HttpRequest, draft: ImportDraft, form: ColumnMappingForm):
    return render(
        request,
        "incidents/import_assistant.html",
        {"organisation": request.organisation, "draft": draft, "form": form},
    )


def _proposed_form(draft: ImportDraft) -> ColumnMappingForm:
    reading = draft.reading
    initial = {"token": draft.token, "date_format": reading.date_format, **reading.proposal}
    return ColumnMappingForm(initial=initial, reading=reading)


@require_http_methods(["GET", "POST"])
@permission_required(Permission.IMPORT_CRIME)
def import_assistant(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Step 1 uploads the file and proposes a mapping; step 2 (with the draft's token)
    confirms or changes it and starts the import."""
    organisation, actor = request.organisation, request.user
    if request.method == "POST" and "token" in request.POST:
        try:
            draft = import_draft_read(
                organisation=organisation, actor=actor, token=request.POST["token"]
            )
        except ImportFileError as error:
            messages.error(request, str(error))
            return redirect("incidents:import_assistant", org_slug=org_slug)
        form = ColumnMappingForm(request.POST, reading=draft.reading)
        if form.is_valid():
            try:
                run = import_draft_confirm(
                    organisation=organisation,
                    actor=actor,
                    token=draft.token,
                    mapping=form.mapping(),
                )
            except ImportFileError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                # The file could not be stored (a full disk): nothing was kept.
                form.add_error(None, error)
            else:
                queued = enqueue_or_explain(run_import, run.pk)
                if queued.note:
                    messages.warning(request, queued.note)
                else:
                    messages.success(request, _("The import has started."))
                return redirect("incidents:import_detail", org_slug=org_slug, pk=run.pk)
        return _mapping_page(request, draft, form)
    upload_form = AssistantUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload_form.is_valid():
        upload = upload_form.cleaned_data["file"]
        try:
            draft = import_draft_create(
                organisation=organisation, actor=actor, data=upload.read(), file_name=upload.name
            )
        except ImportFileError as error:
            upload_form.add_error("file", str(error))
        except ValidationError as error:
            upload_form.add_error("file", error)
        else:
            return _mapping_page(request, draft, _proposed_form(draft))
    return render(
        request,
        "incidents/import_assistant.html",
        {"organisation": organisation, "form": upload_form, "draft": None},
    )


@require_GET
@permission_required(Permission.IMPORT_CRIME)
def import_template(request: HttpRequest, org_slug: str) -> HttpResponse:
    """A CSV file with the columns the assistant recognises and two example rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TEMPLATE_HEADER)
    writer.writerows(TEMPLATE_ROWS)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="secu4all-incidents-template.csv"'
    return response
