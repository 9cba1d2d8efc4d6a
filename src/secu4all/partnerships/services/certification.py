"""Certification (Keurmerk Veilig Ondernemen): its stages and reminders before it lapses."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.common.tlp import Tlp
from secu4all.partnerships.models import Certification, CertificationStage
from secu4all.partnerships.selectors import certificates_expiring, partnership_scope, staff_emails
from secu4all.partnerships.services.alerts import subject_with_label

STAGE_ORDER = list(CertificationStage.values)


@transaction.atomic
def certification_advance(
    *, actor: AbstractBaseUser | None, certification: Certification, on: date | None = None
) -> Certification:
    """Move to the next stage, refusing to skip what that stage needs."""
    on = on or date.today()
    index = STAGE_ORDER.index(certification.stage)
    if index == len(STAGE_ORDER) - 1:
        raise ValidationError(_("The certificate is issued; renew it with a new track."))
    current = certification.stage
    if current == CertificationStage.LETTER_OF_INTENT and not certification.letter_of_intent_on:
        raise ValidationError(_("Record the date of the letter of intent first."))
    if current == CertificationStage.BASELINE and not certification.baseline_complete:
        raise ValidationError(
            _(
                "The baseline needs the survey among businesses, the day and night inspection "
                "walks and the incident figures."
            )
        )
    if current == CertificationStage.PLAN and not certification.plan_agreed_on:
        certification.plan_agreed_on = on
    if current == CertificationStage.AUDIT:
        certification.audit_on = certification.audit_on or on
        certification.certified_on = on
        certification.expires_on = Certification.expiry_for(on)
    certification.stage = STAGE_ORDER[index + 1]
    with partnership_scope(certification.partnership):
        certification.save()
    audit_record(
        actor=actor,
        organisation=certification.organisation,
        action=AuditAction.CHANGE,
        target=certification,
        detail={"stage": [current, certification.stage]},
    )
    return certification


def certification_send_reminders(*, today: date | None = None, within_days: int = 90) -> int:
    """E-mail the lead's admins and advisers about each certificate that is about to lapse."""
    today = today or timezone.localdate()
    sent = 0
    for certification in certificates_expiring(today=today, within_days=within_days):
        addresses = staff_emails(organisation=certification.organisation)
        with transaction.atomic(), partnership_scope(certification.partnership):
            subject = subject_with_label(
                Tlp.GREEN,
                _("Keurmerk Veilig Ondernemen of %(name)s lapses on %(date)s")
                % {"name": certification.partnership.name, "date": certification.expires_on},
            )
            message = _(
                "The certificate of %(name)s is valid until %(date)s. Start the re-certification "
                "(a new baseline and audit) in time."
            ) % {"name": certification.partnership.name, "date": certification.expires_on}
            for address in addresses:
                send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, [address])
            Certification.objects.filter(pk=certification.pk).update(last_reminder_on=today)
            audit_record(
                actor=None,
                organisation=certification.organisation,
                action=AuditAction.CHANGE,
                target=certification,
                detail={"reminder": str(today), "to": len(addresses)},
            )
            sent += 1
    return sent
