"""Partnerships and their members: starting one, adding a partner, a partner leaving."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scope

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.organisations.models import Organisation
from secu4all.partnerships.membership import partnership_organisation_ids, user_organisation_ids
from secu4all.partnerships.models import (
    OPEN_STATUSES,
    PUBLIC_KINDS,
    ActionItem,
    PartnerContact,
    PartnerKind,
    PartnerMembership,
    Partnership,
    SharedItem,
)
from secu4all.partnerships.selectors import partnership_scope


@transaction.atomic
def partnership_create(
    *,
    actor: AbstractBaseUser | None,
    organisation: Organisation,
    name: str,
    subject: str = "site",
    description: str = "",
    site=None,
) -> Partnership:
    with scope(organisation=organisation):
        partnership = Partnership.objects.create(
            organisation=organisation,
            name=name,
            subject=subject,
            description=description,
            site=site,
        )
        PartnerMembership.objects.create(
            organisation=organisation,
            partnership=partnership,
            member=organisation,
            kind=organisation.kind
            if organisation.kind in PartnerKind.values
            else PartnerKind.MUNICIPALITY,
            is_public=organisation.kind in PUBLIC_KINDS,
        )
    audit_record(
        actor=actor, organisation=organisation, action=AuditAction.CREATE, target=partnership
    )
    return partnership


@transaction.atomic
def partner_add(
    *,
    actor: AbstractBaseUser | None,
    partnership: Partnership,
    member: Organisation,
    kind: str,
    is_public: bool,
    contacts: Iterable[dict] = (),
    joined_on: date | None = None,
) -> PartnerMembership:
    with partnership_scope(partnership):
        if partnership.members.filter(member=member, left_on__isnull=True).exists():
            raise ValidationError(
                _("%(org)s is already a partner of %(partnership)s.")
                % {"org": member, "partnership": partnership}
            )
        membership = PartnerMembership.objects.create(
            organisation=partnership.organisation,
            partnership=partnership,
            member=member,
            kind=kind,
            is_public=is_public,
            joined_on=joined_on or date.today(),
        )
        for contact in contacts:
            PartnerContact.objects.create(
                organisation=partnership.organisation, membership=membership, **contact
            )
    audit_record(
        actor=actor,
        organisation=partnership.organisation,
        action=AuditAction.CREATE,
        target=membership,
        detail={"member": member.slug, "kind": kind},
    )
    return membership


@transaction.atomic
def partner_remove(
    *, actor: AbstractBaseUser | None, membership: PartnerMembership, on: date | None = None
) -> dict[str, int]:
    """Remove a partner; what it held has one defined outcome.

    * Its access to every non-CLEAR item ends at once: the TLP policy only counts
      organisations that are in the partnership now (``tlp.partnership_organisation_ids``),
      and it is struck from every item's recipients, so rejoining restores nothing.
    * Its open actions go back to the lead, flagged ``needs_new_owner``.
    * Items it shared stay, and their ownership passes to the lead (so the lead's admins
      decide about their label from now on).
    """
    partnership = membership.partnership
    lead = partnership.organisation
    if membership.member_id == lead.pk:
        raise ValidationError(_("The lead organisation cannot leave its own partnership."))
    if membership.left_on is not None:
        raise ValidationError(_("This partner has already left."))
    with partnership_scope(partnership):
        membership.left_on = on or date.today()
        membership.save(update_fields=["left_on"])
        actions = ActionItem.objects.filter(
            partnership=partnership, owner_organisation=membership.member, status__in=OPEN_STATUSES
        )
        moved_actions = actions.update(
            owner_organisation=lead, owner_user=None, needs_new_owner=True
        )
        items = SharedItem.objects.filter(partnership=partnership)
        moved_items = items.filter(owner_organisation=membership.member).update(
            owner_organisation=lead, owner=None
        )
        # Struck from the recipients too, so that rejoining later restores nothing by itself.
        struck = _strike_recipients(partnership, membership.member, items)
    outcome = {
        "actions_to_lead": moved_actions,
        "items_to_lead": moved_items,
        "recipients_struck": struck,
    }
    audit_record(
        actor=actor,
        organisation=lead,
        action=AuditAction.DELETE,
        target=membership,
        detail={"member": membership.member.slug, **outcome},
    )
    return outcome


def _strike_recipients(partnership: Partnership, leaver: Organisation, items) -> int:
    """Remove a leaving organisation, and named people no longer in the partnership through
    any organisation, from the recipients of every item; returns how many were removed."""
    inside = partnership_organisation_ids(partnership)
    struck = 0
    for item in items.prefetch_related("recipient_users"):
        struck += item.recipient_organisations.filter(pk=leaver.pk).count()
        struck += item.client_organisations.filter(pk=leaver.pk).count()
        item.recipient_organisations.remove(leaver)
        item.client_organisations.remove(leaver)
        gone = [u for u in item.recipient_users.all() if not user_organisation_ids(u) & inside]
        item.recipient_users.remove(*gone)
        struck += len(gone)
    return struck
