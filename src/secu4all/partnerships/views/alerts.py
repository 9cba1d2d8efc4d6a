"""Sending an incident alert and acknowledging one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from secu4all.common.errors import form_add_errors
from secu4all.partnerships.access import item_or_404, partnership_view, require_member
from secu4all.partnerships.forms import AlertForm
from secu4all.partnerships.models import Partnership
from secu4all.partnerships.services import alerts


@require_http_methods(["GET", "POST"])
@partnership_view("alert")
def alert_create(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    require_member(request, partnership, "alert")
    form = AlertForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            alert = alerts.alert_send(
                actor=request.user,
                acting_for=request.organisation,
                partnership=partnership,
                title=data["title"],
                body=data["body"],
                tlp_label=data["tlp"],
                recipient_users=data["recipient_users"],
                recipient_organisations=data["recipient_organisations"],
                client_organisations=data["client_organisations"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request, _("Alert sent to %(n)d people by e-mail.") % {"n": alert.emailed_to}
            )
            return redirect(
                "partnerships:item",
                org_slug=request.organisation.slug,
                pk=partnership.pk,
                item_pk=alert.item.pk,
            )
    return render(
        request,
        "partnerships/alert_form.html",
        {"organisation": request.organisation, "partnership": partnership, "form": form},
    )


@require_POST
@partnership_view("acknowledge")
def alert_acknowledge(request: HttpRequest, partnership: Partnership, item_pk: int) -> HttpResponse:
    item = item_or_404(request, partnership, item_pk, "acknowledge")
    if not hasattr(item, "alert"):
        raise Http404(_("This item is not an alert."))
    alerts.alert_acknowledge(actor=request.user, alert=item.alert, acting_for=request.organisation)
    messages.success(request, _("Acknowledged."))
    return redirect(
        "partnerships:item", org_slug=request.organisation.slug, pk=partnership.pk, item_pk=item.pk
    )
