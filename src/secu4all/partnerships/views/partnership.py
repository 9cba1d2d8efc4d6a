"""Pages of one partnership and the list of them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from secu4all.organisations.permissions import Permission, has_permission
from secu4all.partnerships import texts, tlp
from secu4all.partnerships.access import (
    is_lead,
    partnership_view,
    require_partnerships_permission,
)
from secu4all.partnerships.forms import (
    ActionItemForm,
    ActionStatusForm,
    AgreementForm,
    CertificationForm,
    ExerciseForm,
    PartnerForm,
    PartnershipForm,
    RaciForm,
    SearchForm,
    SignatoryForm,
)
from secu4all.partnerships.models import Partnership
from secu4all.partnerships.selectors import (
    action_list,
    alert_list,
    alerts_awaiting,
    is_active_member,
    member_list,
    partnership_list,
)
from secu4all.partnerships.services import members


@require_http_methods(["GET", "POST"])
def partnership_index(request: HttpRequest, org_slug: str) -> HttpResponse:
    require_partnerships_permission(request, "list")
    can_create = has_permission(request, Permission.LEAD_PARTNERSHIP)
    form = PartnershipForm(request.POST or None)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied(_("Only advisers and admins start a partnership."))
        if form.is_valid():
            partnership = members.partnership_create(
                actor=request.user, organisation=request.organisation, **form.cleaned_data
            )
            return redirect("partnerships:detail", org_slug=org_slug, pk=partnership.pk)
    return render(
        request,
        "partnerships/index.html",
        {
            "organisation": request.organisation,
            "partnerships": partnership_list(organisation=request.organisation),
            "waiting": alerts_awaiting(user=request.user, organisation=request.organisation),
            "form": form if can_create else None,
            "search_form": SearchForm(),
        },
    )


@require_GET
@partnership_view("detail")
def partnership_detail(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    items = tlp.readable_items(request.user, partnership)
    context = {
        "organisation": request.organisation,
        "partnership": partnership,
        "alerts": alert_list(items=items)[:5],
        "item_count": items.count(),
        "texts": texts.TEXTS,
    }
    if not is_active_member(partnership=partnership, organisation=request.organisation):
        # The community sees what is shared with it, not the partners' plans and contacts.
        return render(request, "partnerships/community.html", context)
    return render(
        request,
        "partnerships/detail.html",
        {
            **context,
            "is_lead": is_lead(request, partnership),
            "members": member_list(partnership=partnership),
            "community": partnership.community.all(),
            "actions": action_list(partnership=partnership),
            "raci": partnership.raci.select_related("partner", "action_item"),
            "agreements": [
                (a, SignatoryForm(partnership=partnership, auto_id=f"id_a{a.pk}_%s"))
                for a in partnership.agreements.prefetch_related("signatories__partner")
            ],
            "certifications": [
                (
                    c,
                    CertificationForm(
                        instance=c, partnership=partnership, auto_id=f"id_c{c.pk}_%s"
                    ),
                )
                for c in partnership.certifications.all()
            ],
            "exercises": partnership.exercises.all(),
            "partner_form": PartnerForm(partnership=partnership, auto_id="id_partner_%s"),
            "action_form": ActionItemForm(partnership=partnership, auto_id="id_action_%s"),
            "status_form": ActionStatusForm(),
            "raci_form": RaciForm(partnership=partnership, auto_id="id_raci_%s"),
            "agreement_form": AgreementForm(partnership=partnership, auto_id="id_agreement_%s"),
            "certification_form": CertificationForm(partnership=partnership),
            "exercise_form": ExerciseForm(partnership=partnership, auto_id="id_exercise_%s"),
        },
    )
