"""Sharing items under a TLP label, and changing the label of what was shared."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record, audit_refusal
from secu4all.common.tlp import Tlp
from secu4all.common.uploads import field_file_save
from secu4all.organisations.models import Organisation
from secu4all.partnerships import tlp
from secu4all.partnerships.membership import user_organisation_ids
from secu4all.partnerships.models import Partnership, SharedItem
from secu4all.partnerships.selectors import (
    community_organisations,
    is_active_member,
    member_organisations,
    partnership_scope,
)
from secu4all.partnerships.uploads import check_upload, safe_name


@transaction.atomic
def shared_item_create(
    *,
    actor: AbstractBaseUser,
    acting_for: Organisation,
    partnership: Partnership,
    kind: str,
    title: str,
    tlp_label: str | None,
    body: str = "",
    recipient_users: Iterable[AbstractBaseUser] = (),
    recipient_organisations: Iterable[Organisation] = (),
    client_organisations: Iterable[Organisation] = (),
    attachment: UploadedFile | None = None,
    source_assessment: Model | None = None,
) -> SharedItem:
    """Share an item under a TLP label; without a label, or with recipients the label does
    not allow, nothing is shared. An excerpt names its ``source_assessment``."""
    if not tlp_label:
        raise ValidationError({"tlp": _("Choose a TLP label: an item is never shared without.")})
    if tlp_label not in Tlp.values:
        raise ValidationError(
            {"tlp": _("%(label)s is not a TLP 2.0 label.") % {"label": tlp_label}}
        )
    excerpt_label_check(source=source_assessment, label=tlp_label)
    if not is_active_member(partnership=partnership, organisation=acting_for):
        raise PermissionDenied(_("Only partners in the partnership now can share in it."))
    users = list(recipient_users)
    orgs = list(recipient_organisations)
    clients = list(client_organisations)
    _check_recipients(partnership, tlp_label, users, orgs, clients)
    item = SharedItem(
        organisation=partnership.organisation,
        partnership=partnership,
        kind=kind,
        title=title,
        body=body,
        tlp=tlp_label,
        owner=actor,
        owner_organisation=acting_for,
        source_assessment=source_assessment,
    )
    if attachment is not None:
        try:
            sniffed = check_upload(attachment)
        except ValidationError as error:
            # Named by field, so a form shows the refusal at the file the reader chose.
            raise ValidationError({"attachment": error.messages}) from error
        item.attachment_name = safe_name(attachment.name, sniffed)
        item.attachment_type = sniffed.content_type
        try:
            field_file_save(item.attachment, item.attachment_name, attachment)
        except ValidationError as error:
            raise ValidationError({"attachment": error.messages}) from error
    with partnership_scope(partnership):
        item.save()
        item.recipient_users.set(users)
        item.recipient_organisations.set(orgs)
        item.client_organisations.set(clients)
    audit_record(
        actor=actor,
        organisation=partnership.organisation,
        action=AuditAction.SHARE,
        target=item,
        detail={
            "tlp": tlp_label,
            "acting_for": acting_for.slug,
            # By id: the log shows them only to readers of the item (``tlp.audit_disclosures``).
            "recipients": [u.pk for u in users],
            "organisations": [o.pk for o in orgs],
            "clients": [o.pk for o in clients],
            "attachment": item.attachment_type,
        },
    )
    return item


def _check_recipients(
    partnership: Partnership,
    label: str,
    users: list[AbstractBaseUser],
    orgs: list[Organisation],
    clients: list[Organisation],
) -> None:
    errors: dict[str, str] = {}
    members = {o.pk for o in member_organisations(partnership=partnership)}
    community = {o.pk for o in community_organisations(partnership=partnership)}
    if label == Tlp.RED:
        if not users:
            errors["recipient_users"] = _("TLP:RED needs at least one named recipient.")
        else:
            outside = [u for u in users if not (user_organisation_ids(u) & members)]
            if outside:
                errors["recipient_users"] = _("Not in a partner organisation: %(names)s.") % {
                    "names": ", ".join(u.get_username() for u in outside)
                }
    elif users:
        errors["recipient_users"] = _("Named recipients are only for TLP:RED.")
    if label in (Tlp.AMBER, Tlp.AMBER_STRICT):
        if not orgs:
            errors["recipient_organisations"] = _("%(label)s needs recipient organisations.") % {
                "label": label
            }
        elif any(o.pk not in members for o in orgs):
            errors["recipient_organisations"] = _(
                "Recipients must be organisations in the partnership."
            )
    elif orgs:
        errors["recipient_organisations"] = _(
            "Recipient organisations are only for TLP:AMBER and TLP:AMBER+STRICT."
        )
    if clients and label != Tlp.AMBER:
        errors["client_organisations"] = _("Clients may only be named under TLP:AMBER.")
    elif any(o.pk not in community for o in clients):
        errors["client_organisations"] = _("Clients must be in the partnership's community.")
    if errors:
        raise ValidationError(errors)


def shared_item_relabel(
    *, actor: AbstractBaseUser, item: SharedItem, new_label: str, acting_for: Organisation
) -> SharedItem:
    """Change an item's label. Only its owner may: anyone else is refused, and logged."""
    if new_label not in Tlp.values:
        raise ValidationError(
            {"tlp": _("%(label)s is not a TLP 2.0 label.") % {"label": new_label}}
        )
    if not tlp.can_relabel(actor, item, new_label):
        widening = tlp.widens(item.tlp, new_label)
        reason = (
            _("only the owner may lower the label from %(old)s to %(new)s")
            if widening
            else _("only the owner may change the label from %(old)s to %(new)s")
        ) % {"old": item.tlp, "new": new_label}
        # Not inside an atomic block that the refusal would roll back: it must stay on record.
        audit_refusal(
            actor=actor,
            organisation=item.organisation,
            action=AuditAction.CHANGE,
            object_type=item._meta.label_lower,
            object_id=str(item.pk),
            reason=reason,
            detail={"status": 403, "via": "relabel", "acting_for": acting_for.slug},
        )
        raise PermissionDenied(reason)
    with partnership_scope(item.partnership):
        excerpt_label_check(source=item.source_assessment, label=new_label)
    old = item.tlp
    with transaction.atomic(), partnership_scope(item.partnership):
        item.tlp = new_label
        if new_label != Tlp.RED:
            item.recipient_users.clear()
        if new_label not in (Tlp.AMBER, Tlp.AMBER_STRICT):
            item.recipient_organisations.clear()
        if new_label != Tlp.AMBER:
            item.client_organisations.clear()
        item.save(update_fields=["tlp"])
        audit_record(
            actor=actor,
            organisation=item.organisation,
            action=AuditAction.CHANGE,
            target=item,
            detail={"tlp": [old, new_label], "acting_for": acting_for.slug},
        )
    return item


def excerpt_label_check(*, source: Model | None, label: str) -> None:
    """The one rule for excerpts, wherever a label is set: never wider than the assessment's
    own label (an excerpt may be more restricted, not less)."""
    if source is not None and label in Tlp.values and tlp.widens(source.tlp, label):
        raise ValidationError(
            {
                "tlp": _("The assessment is %(source)s; an excerpt cannot be shared as %(label)s.")
                % {"source": source.tlp, "label": label}
            }
        )
