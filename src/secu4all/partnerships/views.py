"""Pages of partnerships: partners, plan, exercises, certification, and TLP-labelled sharing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.common.tlp import TLP_WIDTH
from secu4all.organisations.models import Role
from secu4all.partnerships import exports, services, texts, tlp
from secu4all.partnerships.access import (
    item_or_404,
    partnership_view,
    require_partnership_role,
)
from secu4all.partnerships.forms import (
    ActionItemForm,
    ActionStatusForm,
    AgreementForm,
    AlertForm,
    CertificationForm,
    ExerciseForm,
    InjectForm,
    ObservationForm,
    PartnerForm,
    PartnershipForm,
    RaciForm,
    RelabelForm,
    SearchForm,
    SharedItemForm,
    SignatoryForm,
)
from secu4all.partnerships.models import (
    ActionItem,
    Agreement,
    Certification,
    Exercise,
    PartnerMembership,
    Partnership,
    Tlp,
)
from secu4all.partnerships.selectors import (
    action_list,
    alert_list,
    alerts_awaiting,
    is_active_member,
    member_list,
    open_actions_of,
    partnership_list,
    partnership_scope,
)

LEAD_ROLES = (Role.ORG_ADMIN, Role.SECURITY_ADVISER)


def _is_lead(request: HttpRequest, partnership: Partnership) -> bool:
    """Advisers and admins of the lead organisation manage the partnership."""
    return request.organisation.pk == partnership.organisation_id and bool(
        request.roles & set(LEAD_ROLES)
    )


def _require_lead(request: HttpRequest, partnership: Partnership, via: str) -> None:
    if not _is_lead(request, partnership):
        services.refusal_record(
            actor=request.user,
            organisation=partnership.organisation,
            object_type="partnerships.partnership",
            object_id=str(partnership.pk),
            via=via,
            status=403,
            reason="not the lead",
            acting_for=request.organisation,
        )
        raise PermissionDenied(_("Only the lead organisation's advisers and admins can do this."))


def _require_member(request: HttpRequest, partnership: Partnership, via: str) -> None:
    """Plans, contacts and exercises are for the partners; the wider community (the GREEN
    audience) sees the partnership's shared items only. Logged 403 otherwise."""
    if not is_active_member(partnership=partnership, organisation=request.organisation):
        services.refusal_record(
            actor=request.user,
            organisation=partnership.organisation,
            object_type="partnerships.partnership",
            object_id=str(partnership.pk),
            via=via,
            status=403,
            reason="community, not a partner",
            acting_for=request.organisation,
        )
        raise PermissionDenied(_("Only the partners themselves can do or see this."))


def _record_or_404(request: HttpRequest, partnership: Partnership, model, pk: int):
    """A row of this partnership by id; a guessed or foreign id is a logged 404."""
    found = model.objects.filter(partnership=partnership, pk=pk).first()
    if found is None:
        services.refusal_record(
            actor=request.user,
            organisation=partnership.organisation,
            object_type=model._meta.label_lower,
            object_id=str(pk),
            via="record",
            status=404,
            reason="no such record in this partnership",
            acting_for=request.organisation,
        )
        raise Http404(_("Nothing of this partnership has this number."))
    return found


@require_http_methods(["GET", "POST"])
def partnership_index(request: HttpRequest, org_slug: str) -> HttpResponse:
    require_partnership_role(request, "list")
    can_create = bool(request.roles & set(LEAD_ROLES))
    form = PartnershipForm(request.POST or None)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied(_("Only advisers and admins start a partnership."))
        if form.is_valid():
            partnership = services.partnership_create(
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
            "is_lead": _is_lead(request, partnership),
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


@require_http_methods(["GET", "POST"])
@partnership_view("items")
def shared_items(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    member = is_active_member(partnership=partnership, organisation=request.organisation)
    form = SharedItemForm(request.POST or None, request.FILES or None, partnership=partnership)
    if request.method == "POST":
        _require_member(request, partnership, "share")
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.shared_item_create(
                    actor=request.user,
                    acting_for=request.organisation,
                    partnership=partnership,
                    kind=data["kind"],
                    title=data["title"],
                    body=data["body"],
                    tlp_label=data["tlp"],
                    recipient_users=data["recipient_users"],
                    recipient_organisations=data["recipient_organisations"],
                    client_organisations=data["client_organisations"],
                    attachment=data["attachment"],
                )
            except ValidationError as error:
                _attach_errors(form, error)
            else:
                messages.success(request, _("Shared as %(label)s.") % {"label": item.tlp})
                return redirect(
                    "partnerships:item",
                    org_slug=request.organisation.slug,
                    pk=partnership.pk,
                    item_pk=item.pk,
                )
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


def _attach_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error("attachment" if "attachment" in form.fields else None, error)


@require_GET
@partnership_view("item")
def shared_item_detail(
    request: HttpRequest, partnership: Partnership, item_pk: int
) -> HttpResponse:
    item = item_or_404(request, partnership, item_pk, "item")
    services.item_read_record(
        actor=request.user, item=item, via="page", acting_for=request.organisation
    )
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
    services.item_read_record(
        actor=request.user, item=item, via="download", acting_for=request.organisation
    )
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
    services.item_read_record(
        actor=request.user, item=item, via="export-pdf", acting_for=request.organisation
    )
    response = HttpResponse(exports.item_pdf(item), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="shared-item-{item.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@partnership_view("export-csv")
def shared_items_csv(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    items = list(tlp.readable_items(request.user, partnership).select_related("owner_organisation"))
    for item in items:
        services.item_read_record(
            actor=request.user, item=item, via="export-csv", acting_for=request.organisation
        )
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
            services.shared_item_relabel(
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


@require_http_methods(["GET", "POST"])
@partnership_view("alert")
def alert_create(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    _require_member(request, partnership, "alert")
    form = AlertForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            alert = services.alert_send(
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
            _attach_errors(form, error)
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
    services.alert_acknowledge(
        actor=request.user, alert=item.alert, acting_for=request.organisation
    )
    messages.success(request, _("Acknowledged."))
    return redirect(
        "partnerships:item", org_slug=request.organisation.slug, pk=partnership.pk, item_pk=item.pk
    )


@require_POST
@partnership_view("partner-add")
def partner_add(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    _require_lead(request, partnership, "partner-add")
    form = PartnerForm(request.POST, partnership=partnership)
    if form.is_valid():
        data = form.cleaned_data
        contacts = (
            [{"name": data["contact_name"], "email": data["contact_email"]}]
            if data["contact_name"]
            else []
        )
        services.partner_add(
            actor=request.user,
            partnership=partnership,
            member=data["member"],
            kind=data["kind"],
            is_public=data["is_public"],
            contacts=contacts,
        )
        messages.success(request, _("%(org)s joined.") % {"org": data["member"]})
    else:
        messages.error(
            request,
            _("The partner was not added: %(errors)s")
            % {"errors": "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())},
        )
    return redirect("partnerships:detail", org_slug=request.organisation.slug, pk=partnership.pk)


@require_http_methods(["GET", "POST"])
@partnership_view("partner-remove")
def partner_remove(request: HttpRequest, partnership: Partnership, member_pk: int) -> HttpResponse:
    """GET says what removal will do to what the partner holds; POST does it."""
    _require_lead(request, partnership, "partner-remove")
    membership = _record_or_404(request, partnership, PartnerMembership, member_pk)
    if request.method == "GET":
        return render(
            request,
            "partnerships/partner_remove.html",
            {
                "organisation": request.organisation,
                "partnership": partnership,
                "membership": membership,
                "open_actions": open_actions_of(
                    partnership=partnership, organisation=membership.member
                ),
                "owned_items": partnership.shared_items.filter(
                    owner_organisation=membership.member
                ).count(),
            },
        )
    try:
        outcome = services.partner_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "%(org)s left. Its access to non-CLEAR items ended; %(actions)d open actions "
                "went to the lead and %(items)d shared items are now owned by the lead."
            )
            % {
                "org": membership.member,
                "actions": outcome["actions_to_lead"],
                "items": outcome["items_to_lead"],
            },
        )
    return redirect("partnerships:detail", org_slug=request.organisation.slug, pk=partnership.pk)


@require_POST
@partnership_view("action-add")
def action_add(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    _require_lead(request, partnership, "action-add")
    form = ActionItemForm(request.POST, partnership=partnership)
    if form.is_valid():
        services.action_item_create(
            actor=request.user, partnership=partnership, **form.cleaned_data
        )
        messages.success(request, _("Action added to the plan."))
    else:
        messages.error(
            request,
            _("The action was not added: %(errors)s")
            % {"errors": "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())},
        )
    return redirect("partnerships:detail", org_slug=request.organisation.slug, pk=partnership.pk)


@require_POST
@partnership_view("action-status")
def action_status(request: HttpRequest, partnership: Partnership, action_pk: int) -> HttpResponse:
    action = _record_or_404(request, partnership, ActionItem, action_pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.action_item_set_status(
                actor=request.user,
                action=action,
                status=form.cleaned_data["status"],
                acting_for=request.organisation,
            )
        except PermissionDenied:
            services.refusal_record(
                actor=request.user,
                organisation=partnership.organisation,
                object_type="partnerships.actionitem",
                object_id=str(action.pk),
                via="action-status",
                status=403,
                reason="not the owner",
                acting_for=request.organisation,
            )
            raise
        messages.success(request, _("Status saved."))
    return redirect("partnerships:detail", org_slug=request.organisation.slug, pk=partnership.pk)


@require_GET
@partnership_view("exercise")
def exercise_detail(
    request: HttpRequest, partnership: Partnership, exercise_pk: int
) -> HttpResponse:
    _require_member(request, partnership, "exercise")
    exercise = _record_or_404(request, partnership, Exercise, exercise_pk)
    return render(
        request,
        "partnerships/exercise.html",
        {
            "organisation": request.organisation,
            "partnership": partnership,
            "exercise": exercise,
            "injects": exercise.injects.all(),
            "observations": exercise.observations.select_related("follow_up_owner", "action_item"),
            "participants": exercise.participants.all(),
            "is_lead": _is_lead(request, partnership),
            "inject_form": InjectForm(partnership=partnership, auto_id="id_inject_%s"),
            "observation_form": ObservationForm(
                partnership=partnership, auto_id="id_observation_%s"
            ),
        },
    )


@require_POST
@partnership_view("exercise-review")
def exercise_review_close(
    request: HttpRequest, partnership: Partnership, exercise_pk: int
) -> HttpResponse:
    _require_lead(request, partnership, "exercise-review")
    exercise = _record_or_404(request, partnership, Exercise, exercise_pk)
    created = services.exercise_review_close(actor=request.user, exercise=exercise)
    messages.success(
        request, _("%(n)d follow-up actions entered the action plan.") % {"n": len(created)}
    )
    return redirect(
        "partnerships:exercise",
        org_slug=request.organisation.slug,
        pk=partnership.pk,
        exercise_pk=exercise.pk,
    )


@require_POST
@partnership_view("certification")
def certification_advance(
    request: HttpRequest, partnership: Partnership, certification_pk: int
) -> HttpResponse:
    _require_lead(request, partnership, "certification")
    certification = _record_or_404(request, partnership, Certification, certification_pk)
    try:
        services.certification_advance(actor=request.user, certification=certification)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Stage: %(stage)s.") % {"stage": certification.get_stage_display()}
        )
    return redirect("partnerships:detail", org_slug=request.organisation.slug, pk=partnership.pk)


@require_GET
def template_text(request: HttpRequest, org_slug: str, name: str) -> HttpResponse:
    """The information-sharing agreement and DPIA checklist templates, in the reader's language."""
    require_partnership_role(request, "template")
    found = texts.TEXTS.get(name)
    if found is None:
        raise Http404(_("There is no template called %(name)s.") % {"name": name})
    return render(
        request,
        "partnerships/template_text.html",
        {"organisation": request.organisation, "title": found.title, "html": texts.render(name)},
    )


@require_GET
def search(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Search the items of every partnership of the organisation that the user may read."""
    require_partnership_role(request, "search")
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    hits = []
    if query:
        for partnership in partnership_list(organisation=request.organisation):
            with partnership_scope(partnership):
                found = tlp.readable_items(request.user, partnership).filter(
                    Q(title__icontains=query) | Q(body__icontains=query)
                )
                hits.extend((partnership, item) for item in found)
        hits.sort(key=lambda hit: (TLP_WIDTH[Tlp(hit[1].tlp)], hit[1].title))
        # The titles in the results are themselves read: the search is logged with them. The
        # query is not the event's text: it says what the items found contain, so the log
        # shows it only to readers of all of them (``tlp.audit_search_disclosures``).
        audit_record(
            actor=request.user,
            organisation=request.organisation,
            action=AuditAction.VIEW,
            object_type="partnerships.search",
            detail={"via": "search", "query": query, "items": [item.pk for _p, item in hits]},
        )
    return render(
        request,
        "partnerships/search.html",
        {"organisation": request.organisation, "form": form, "query": query, "hits": hits},
    )


# What the lead may add: the form, and the parent it hangs from (none: the partnership).
RECORDS = {
    "raci": (RaciForm, None),
    "agreement": (AgreementForm, None),
    "certification": (CertificationForm, None),
    "exercise": (ExerciseForm, None),
    "signatory": (SignatoryForm, Agreement),
    "inject": (InjectForm, Exercise),
    "observation": (ObservationForm, Exercise),
}
PARENT_FIELD = {Agreement: "agreement", Exercise: "exercise"}


@require_POST
@partnership_view("record")
def record_add(
    request: HttpRequest, partnership: Partnership, what: str, parent_pk: int = 0
) -> HttpResponse:
    """Add (or, for a certification, update) a record the lead keeps; 404 for an unknown kind."""
    if what not in RECORDS:
        raise Http404(_("Nothing called %(what)s can be added.") % {"what": what})
    _require_lead(request, partnership, f"record-{what}")
    form_class, parent_model = RECORDS[what]
    instance = None
    if what == "certification" and parent_pk:
        instance = _record_or_404(request, partnership, Certification, parent_pk)
    form = form_class(request.POST, instance=instance, partnership=partnership)
    parent = None
    if parent_model is not None:
        parent = _record_or_404(request, partnership, parent_model, parent_pk)
        setattr(form.instance, PARENT_FIELD[parent_model], parent)
    if form.is_valid():
        services.record_save(actor=request.user, partnership=partnership, form=form)
        messages.success(request, _("Saved."))
    else:
        messages.error(
            request,
            _("Not saved: %(errors)s")
            % {
                "errors": "; ".join(
                    f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}"
                    for k, v in form.errors.items()
                )
            },
        )
    if isinstance(parent, Exercise):
        return redirect(
            "partnerships:exercise",
            org_slug=request.organisation.slug,
            pk=partnership.pk,
            exercise_pk=parent.pk,
        )
    return redirect("partnerships:detail", org_slug=request.organisation.slug, pk=partnership.pk)


@require_POST
@partnership_view("measures")
def measures_from_assessment(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    _require_lead(request, partnership, "measures")
    try:
        created = services.measures_from_assessment(actor=request.user, partnership=partnership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(n)d recommended measures entered the action plan.") % {"n": len(created)}
        )
    return redirect("partnerships:detail", org_slug=request.organisation.slug, pk=partnership.pk)


@require_http_methods(["GET", "POST"])
@partnership_view("excerpt")
def assessment_excerpt_share(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    """Share an excerpt of the site's risk assessment: advisers and admins of the lead only,
    as only they may read assessments."""
    _require_lead(request, partnership, "excerpt")
    latest, body = services.assessment_excerpt(partnership=partnership)
    if latest is None:
        raise Http404(_("The partnership's site has no assessment to share from."))
    initial = {
        "kind": "assessment-excerpt",
        "title": _("Risk assessment of %(site)s (excerpt)") % {"site": partnership.site.name},
        "body": body,
        "tlp": latest.tlp,
    }
    form = SharedItemForm(request.POST or None, initial=initial, partnership=partnership)
    del form.fields["kind"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.assessment_excerpt_share(
                actor=request.user,
                acting_for=request.organisation,
                partnership=partnership,
                title=data["title"],
                body=data["body"],
                tlp_label=data["tlp"],
                recipient_users=data["recipient_users"],
                recipient_organisations=data["recipient_organisations"],
                client_organisations=data["client_organisations"],
                attachment=data["attachment"],
            )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(request, _("Shared as %(label)s.") % {"label": item.tlp})
            return redirect(
                "partnerships:item",
                org_slug=request.organisation.slug,
                pk=partnership.pk,
                item_pk=item.pk,
            )
    return render(
        request,
        "partnerships/excerpt_form.html",
        {
            "organisation": request.organisation,
            "partnership": partnership,
            "form": form,
            "assessment": latest,
        },
        status=400 if request.method == "POST" else 200,
    )
