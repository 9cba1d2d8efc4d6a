"""The joint action plan: actions, their status, and the measures an assessment recommends."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.engines.risk import CATALOGUE
from secu4all.organisations.models import Organisation
from secu4all.partnerships.models import ActionItem, ActionStatus, Partnership
from secu4all.partnerships.selectors import (
    is_active_member,
    partnership_scope,
    site_assessment_latest,
)


@transaction.atomic
def action_item_create(
    *,
    actor: AbstractBaseUser | None,
    partnership: Partnership,
    title: str,
    owner_organisation: Organisation,
    owner_user: AbstractBaseUser | None = None,
    deadline: date | None = None,
    status: str = ActionStatus.OPEN,
    source: str = "",
) -> ActionItem:
    if not is_active_member(partnership=partnership, organisation=owner_organisation):
        raise ValidationError(
            {"owner_organisation": _("The owner must be an organisation in the partnership.")}
        )
    with partnership_scope(partnership):
        action = ActionItem.objects.create(
            organisation=partnership.organisation,
            partnership=partnership,
            title=title,
            owner_organisation=owner_organisation,
            owner_user=owner_user,
            deadline=deadline,
            status=status,
            source=source,
        )
    audit_record(
        actor=actor, organisation=partnership.organisation, action=AuditAction.CREATE, target=action
    )
    return action


@transaction.atomic
def action_item_set_status(
    *, actor: AbstractBaseUser, action: ActionItem, status: str, acting_for: Organisation
) -> ActionItem:
    """The owner organisation or the lead may move an action along."""
    if acting_for.pk not in (action.owner_organisation_id, action.partnership.organisation_id):
        raise PermissionDenied(_("Only the owner of an action or the lead can change it."))
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Unknown status %(s)s.") % {"s": status}})
    with partnership_scope(action.partnership):
        old = action.status
        action.status = status
        action.save(update_fields=["status"])
    audit_record(
        actor=actor,
        organisation=action.organisation,
        action=AuditAction.CHANGE,
        target=action,
        detail={"status": [old, status], "acting_for": acting_for.slug},
    )
    return action


@transaction.atomic
def measures_from_assessment(
    *, actor: AbstractBaseUser, partnership: Partnership
) -> list[ActionItem]:
    """Put the measures the latest risk assessment of the partnership's site recommends into
    the joint action plan (owned by the lead until a partner takes them), once each.

    This closes the loop of the platform: the assessment's cost–risk frontier picks the
    measures, the partnership assigns them.
    """
    if partnership.site_id is None:
        raise ValidationError(_("This partnership is not around an assessed site."))
    latest = site_assessment_latest(partnership=partnership)
    chosen = ((latest.result or {}).get("selection") or {}).get("measures", []) if latest else []
    if not chosen:
        raise ValidationError(
            _("The site's latest assessment recommends no measures (set a budget or target).")
        )
    names = {m.id: m.name for m in CATALOGUE}
    source = _("Risk assessment v%(version)d") % {"version": latest.version}
    with partnership_scope(partnership):
        planned = set(partnership.actions.values_list("title", flat=True))
    created = []
    for measure in chosen:
        title = names.get(measure, measure)
        if title in planned:
            continue
        created.append(
            action_item_create(
                actor=actor,
                partnership=partnership,
                title=title,
                owner_organisation=partnership.organisation,
                source=source,
            )
        )
    return created
