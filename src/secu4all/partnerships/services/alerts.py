"""Incident alerts: a shared item e-mailed to its readers, and their acknowledgements."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.organisations.models import Organisation
from secu4all.partnerships import tlp
from secu4all.partnerships.membership import partnership_organisation_ids, people_of
from secu4all.partnerships.models import (
    Acknowledgement,
    Alert,
    Partnership,
    SharedItem,
    SharedItemKind,
)
from secu4all.partnerships.selectors import partnership_scope
from secu4all.partnerships.services.sharing import shared_item_create


def subject_with_label(label: str, title: str) -> str:
    """E-mail subjects carry the label first, as TLP 2.0 asks: ``[TLP:AMBER] title``."""
    return f"[{label}] {title}"


def readers_of(item: SharedItem) -> list[AbstractBaseUser]:
    """Users with an e-mail address who may read ``item``: the same policy as the pages."""
    # Everyone in the partnership now; the policy then keeps only those the label allows.
    people = people_of(organisation_ids=partnership_organisation_ids(item.partnership))
    return [u for u in people.exclude(email="").order_by("pk") if tlp.can_read(u, item)]


@transaction.atomic
def alert_send(
    *,
    actor: AbstractBaseUser,
    acting_for: Organisation,
    partnership: Partnership,
    title: str,
    body: str,
    tlp_label: str | None,
    recipient_users: Iterable[AbstractBaseUser] = (),
    recipient_organisations: Iterable[Organisation] = (),
    client_organisations: Iterable[Organisation] = (),
    email: bool = True,
) -> Alert:
    """An incident alert: a shared item shown in the platform and e-mailed to its readers
    (``email=False`` only for demo data, which must not mail anyone)."""
    item = shared_item_create(
        actor=actor,
        acting_for=acting_for,
        partnership=partnership,
        kind=SharedItemKind.INCIDENT_ALERT,
        title=title,
        body=body,
        tlp_label=tlp_label,
        recipient_users=recipient_users,
        recipient_organisations=recipient_organisations,
        client_organisations=client_organisations,
    )
    readers = [u for u in readers_of(item) if u.pk != actor.pk] if email else []
    with partnership_scope(partnership):
        alert = Alert.objects.create(
            organisation=partnership.organisation, item=item, emailed_to=len(readers)
        )
    subject = subject_with_label(item.tlp, title)
    message = "\n\n".join(
        [
            item.tlp,
            _("Alert from %(org)s in %(partnership)s.")
            % {"org": acting_for.name, "partnership": partnership.name},
            body,
            _("Please acknowledge it in Secu4All. This message is %(label)s.")
            % {"label": item.tlp},
        ]
    )
    addresses = [u.email for u in readers]

    def send() -> None:
        # One message per reader, so no reader learns who else received it.
        for address in addresses:
            send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, [address])

    transaction.on_commit(send)
    return alert


@transaction.atomic
def alert_acknowledge(
    *, actor: AbstractBaseUser, alert: Alert, acting_for: Organisation
) -> Acknowledgement:
    if not tlp.can_read(actor, alert.item):
        raise PermissionDenied(_("You cannot acknowledge an alert you may not read."))
    with partnership_scope(alert.item.partnership):
        ack, created = Acknowledgement.objects.get_or_create(
            organisation=alert.organisation,
            alert=alert,
            user=actor,
            defaults={"acting_for": acting_for},
        )
    if created:
        audit_record(
            actor=actor,
            organisation=alert.organisation,
            action=AuditAction.CHANGE,
            target=alert,
            detail={"acknowledged": True, "tlp": alert.item.tlp, "acting_for": acting_for.slug},
        )
    return ack
