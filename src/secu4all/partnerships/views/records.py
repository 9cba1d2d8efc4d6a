"""Records the lead keeps: RACI, agreements, signatories, certifications, exercises, injects
and observations."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secu4all.partnerships.access import partnership_view, record_or_404, require_lead
from secu4all.partnerships.forms import (
    AgreementForm,
    CertificationForm,
    ExerciseForm,
    InjectForm,
    ObservationForm,
    RaciForm,
    SignatoryForm,
)
from secu4all.partnerships.models import Agreement, Certification, Exercise, Partnership
from secu4all.partnerships.services import records

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
    require_lead(request, partnership, f"record-{what}")
    form_class, parent_model = RECORDS[what]
    instance = None
    if what == "certification" and parent_pk:
        instance = record_or_404(request, partnership, Certification, parent_pk)
    form = form_class(request.POST, instance=instance, partnership=partnership)
    parent = None
    if parent_model is not None:
        parent = record_or_404(request, partnership, parent_model, parent_pk)
        setattr(form.instance, PARENT_FIELD[parent_model], parent)
    if form.is_valid():
        records.record_save(actor=request.user, partnership=partnership, form=form)
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
