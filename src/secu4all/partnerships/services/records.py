"""Records the lead keeps: RACI, agreements, signatories, certifications, exercises,
injects and observations, each saved from its validated form."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.partnerships.models import Partnership
from secu4all.partnerships.selectors import partnership_scope


@transaction.atomic
def record_save(*, actor: AbstractBaseUser, partnership: Partnership, form) -> object:
    """Save a lead-kept record (RACI, agreement, signatory, certification, exercise, inject,
    observation) from its validated form, in the partnership's tenant, and log it."""
    record = form.save(commit=False)
    created = record.pk is None
    record.organisation = partnership.organisation
    if hasattr(record, "partnership_id") and created:
        record.partnership = partnership
    with partnership_scope(partnership):
        record.save()
        form.save_m2m()
    audit_record(
        actor=actor,
        organisation=partnership.organisation,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        target=record,
    )
    return record
