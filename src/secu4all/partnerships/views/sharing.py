"""Pages of TLP-labelled sharing: the items, one item, its attachment, exports and relabelling."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secu4all.common.errors import form_add_errors
from secu4all.partnerships import exports, tlp
from secu4all.partnerships.access import item_or_404, item_read, partnership_view, require_member
from secu4all.partnerships.forms import RelabelForm, SharedItemForm
from secu4all.partnerships.models import Partnership
from secu4all.partnerships.selectors import is_active_member
from secu4all.partnerships.services import sharing


def shared_item_fields(data: dict) -> dict:
    """What the share form gives the services that share an item (a new item, an excerpt)."""
    return {
        "title": data["title"],
        "body": data["body"],
        "tlp_label": data["tlp"],
        "recipient_users": data["recipient_users"],
        "recipient_organisations": data["recipient_organisations"],
        "client_organisations": data["client_organisations"],
        "attachment": data["attachment"],
    }


def shared_item_done(request: HttpRequest, partnership: Partnership, item) -> HttpResponse:
    """After sharing: say under which label, and show the item."""
    messages.success(request, _("Shared as %(label)s.") % {"label": item.tlp})
    return redirect(
        "partnerships:item", org_slug=request.organisation.slug, pk=partnership.pk, item_pk=item.pk
    )


@require_http_methods(["GET", "POST"])
@partnership_view("items")
def shared_items(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    member = is_active_member(partnership=partnership, organisation=request.organisation)
    form = SharedItemForm(request.POST or None, request.FILES or None, partnership=partnership)
    if request.method == "POST":
        require_member(request, partnership, "share")
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = sharing.shared_item_create(
                    actor=request.user,
                    acting_for=request.organisation,
                    partnership=partnership,
                    kind=data["kind"],
                    **shared_item_fields(data),
                )
            except ValidationError as error:
                form_add_errors(form, error)
            else:
                return shared_item_done(request, partnership, item)
    items = tlp.readable_items(request.user, partnership).select_related("owner_organisation")
    return render(
        request,
        "partnerships/items.html",
        {
            "organisation": request.organisation,
            "partnership": partnership,
            "items": items,
            "form": form if member else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@partnership_view("item")
def shared_item_detail(
    request: HttpRequest, partnership: Partnership, item_pk: int
) -> HttpResponse:
    item = item_or_404(request, partnership, item_pk, "item")
    item_read(request, item, via="page")
    alert = item.alert if hasattr(item, "alert") else None
    acknowledgements = alert.acknowledgements.select_related("user", "acting_for") if alert else []
    return render(
        request,
        "partnerships/item.html",
        {
            "organisation": request.organisation,
            "partnership": partnership,
            "item": item,
            "alert": alert,
            "acknowledgements": acknowledgements,
            "acknowledged": any(a.user_id == request.user.pk for a in acknowledgements),
            "is_owner": tlp.is_owner(request.user, item),
            "relabel_form": RelabelForm(initial={"tlp": item.tlp}),
        },
    )


@require_GET
@partnership_view("attachment")
def shared_item_attachment(
    request: HttpRequest, partnership: Partnership, item_pk: int
) -> HttpResponse:
    """The attachment, to readers only, always as a download the browser will not sniff."""
    item = item_or_404(request, partnership, item_pk, "attachment")
    if not item.attachment:
        raise Http404(_("This item has no attachment."))
    item_read(request, item, via="download")
    response = FileResponse(
        item.attachment.open("rb"),
        as_attachment=True,
        filename=f"{item.tlp.replace(':', '-').replace('+', '-')}-{item.attachment_name}",
        content_type=item.attachment_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["X-TLP"] = item.tlp
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@partnership_view("export-pdf")
def shared_item_pdf(request: HttpRequest, partnership: Partnership, item_pk: int) -> HttpResponse:
    item = item_or_404(request, partnership, item_pk, "export-pdf")
    item_read(request, item, via="export-pdf")
    response = HttpResponse(exports.item_pdf(item), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="shared-item-{item.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@partnership_view("export-csv")
def shared_items_csv(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    items = list(tlp.readable_items(request.user, partnership).select_related("owner_organisation"))
    for item in items:
        item_read(request, item, via="export-csv")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    exports.items_csv(response, items)
    response["Content-Disposition"] = (
        f'attachment; filename="partnership-{partnership.pk}-shared-items.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@partnership_view("relabel")
def shared_item_relabel(
    request: HttpRequest, partnership: Partnership, item_pk: int
) -> HttpResponse:
    item = item_or_404(request, partnership, item_pk, "relabel")
    form = RelabelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the five TLP labels."))
    else:
        try:
            sharing.shared_item_relabel(
                actor=request.user,
                item=item,
                new_label=form.cleaned_data["tlp"],
                acting_for=request.organisation,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Label changed to %(label)s.") % {"label": item.tlp})
    return redirect(
        "partnerships:item", org_slug=request.organisation.slug, pk=partnership.pk, item_pk=item.pk
    )
