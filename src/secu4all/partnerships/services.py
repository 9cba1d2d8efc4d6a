"""Writing partnerships: members, plans, sharing, alerts, exercises and certification.

Every write is atomic and records its audit event in the lead organisation's log (the
tenant that hosts the partnership), in the same transaction. Reads of shared items are
recorded with ``item_read_record`` and refusals with ``refusal_record``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from secu4all.assessments.models import Assessment
from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.organisations.models import Organisation
from secu4all.partnerships import tlp
from secu4all.partnerships.models import (
    OPEN_STATUSES,
    PUBLIC_KINDS,
    Acknowledgement,
    ActionItem,
    ActionStatus,
    Alert,
    Certification,
    CertificationStage,
    Exercise,
    PartnerContact,
    PartnerKind,
    PartnerMembership,
    Partnership,
    SharedItem,
    SharedItemKind,
    Tlp,
)
from secu4all.partnerships.selectors import (
    certificates_expiring,
    community_organisations,
    is_active_member,
    member_organisations,
    partnership_scope,
    people_of,
    staff_emails,
)
from secu4all.partnerships.uploads import check_upload, safe_name

# --- audit of reads and refusals -----------------------------------------------------------


def item_read_record(
    *, actor: AbstractBaseUser, item: SharedItem, via: str, acting_for: Organisation | None
) -> None:
    """Log one read of an item: a page view, an API read, a download, an export."""
    audit_record(
        actor=actor,
        organisation=item.organisation,
        action=AuditAction.EXPORT if via.startswith("export") else AuditAction.VIEW,
        target=item,
        detail={
            "via": via,
            "tlp": item.tlp,
            "acting_for": acting_for.slug if acting_for else "",
        },
    )


def refusal_record(
    *,
    actor: AbstractBaseUser,
    organisation: Organisation,
    object_type: str,
    object_id: str,
    via: str,
    status: int,
    reason: str,
    acting_for: Organisation | None = None,
) -> None:
    """Log a refused read or change. The audit log has no 'refused' action of its own, so a
    refusal is the attempted action with ``outcome: refused`` and the HTTP status."""
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.CHANGE if via.startswith("relabel") else AuditAction.VIEW,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=_("refused: %(reason)s") % {"reason": reason},
        detail={
            "outcome": "refused",
            "status": status,
            "via": via,
            "reason": reason,
            "acting_for": acting_for.slug if acting_for else "",
        },
    )


# --- partnerships and members -------------------------------------------------------------


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
    inside = tlp.partnership_organisation_ids(partnership)
    struck = 0
    for item in items.prefetch_related("recipient_users"):
        struck += item.recipient_organisations.filter(pk=leaver.pk).count()
        struck += item.client_organisations.filter(pk=leaver.pk).count()
        item.recipient_organisations.remove(leaver)
        item.client_organisations.remove(leaver)
        gone = [u for u in item.recipient_users.all() if not tlp.user_organisation_ids(u) & inside]
        item.recipient_users.remove(*gone)
        struck += len(gone)
    return struck


# --- sharing ------------------------------------------------------------------------------


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
    source_assessment: Assessment | None = None,
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
        sniffed = check_upload(attachment)
        item.attachment_name = safe_name(attachment.name, sniffed)
        item.attachment_type = sniffed.content_type
        item.attachment.save(item.attachment_name, attachment, save=False)
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
            outside = [u for u in users if not (tlp.user_organisation_ids(u) & members)]
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
        refusal_record(
            actor=actor,
            organisation=item.organisation,
            object_type=item._meta.label_lower,
            object_id=str(item.pk),
            via="relabel",
            status=403,
            reason=reason,
            acting_for=acting_for,
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


# --- alerts -------------------------------------------------------------------------------


def subject_with_label(label: str, title: str) -> str:
    """E-mail subjects carry the label first, as TLP 2.0 asks: ``[TLP:AMBER] title``."""
    return f"[{label}] {title}"


def readers_of(item: SharedItem) -> list[AbstractBaseUser]:
    """Users with an e-mail address who may read ``item``: the same policy as the pages."""
    # Everyone in the partnership now; the policy then keeps only those the label allows.
    people = people_of(organisation_ids=tlp.partnership_organisation_ids(item.partnership))
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


# --- action plan and exercises -------------------------------------------------------------


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
def exercise_review_close(
    *, actor: AbstractBaseUser | None, exercise: Exercise
) -> list[ActionItem]:
    """Turn the review's follow-up actions into actions of the plan (once each)."""
    created = []
    partnership = exercise.partnership
    with partnership_scope(partnership):
        pending = exercise.observations.filter(action_item__isnull=True).exclude(follow_up="")
        for observation in pending:
            action = action_item_create(
                actor=actor,
                partnership=partnership,
                title=observation.follow_up,
                owner_organisation=observation.follow_up_owner or partnership.organisation,
                deadline=date.today() + timedelta(days=90),
                source=_("Exercise: %(title)s") % {"title": exercise.title},
            )
            observation.action_item = action
            observation.save(update_fields=["action_item"])
            created.append(action)
    return created


# --- certification (Keurmerk Veilig Ondernemen) --------------------------------------------

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


# --- records the lead keeps -----------------------------------------------------------------


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


@transaction.atomic
def measures_from_assessment(
    *, actor: AbstractBaseUser, partnership: Partnership
) -> list[ActionItem]:
    """Put the measures the latest risk assessment of the partnership's site recommends into
    the joint action plan (owned by the lead until a partner takes them), once each.

    This closes the loop of the platform: the assessment's cost–risk frontier picks the
    measures, the partnership assigns them.
    """
    from secu4all.engines.risk import CATALOGUE

    if partnership.site_id is None:
        raise ValidationError(_("This partnership is not around an assessed site."))
    latest = (
        Assessment.objects.with_scope(organisation=partnership.organisation)
        .filter(site_id=partnership.site_id)
        .order_by("-version")
        .first()
    )
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


def assessment_excerpt(*, partnership: Partnership):
    """The latest assessment of the partnership's site and a short excerpt of it (the three
    highest risks and the recommended measures), or (None, "") when there is none."""
    from secu4all.engines.risk import CATALOGUE

    if partnership.site_id is None:
        return None, ""
    latest = (
        Assessment.objects.with_scope(organisation=partnership.organisation)
        .filter(site_id=partnership.site_id)
        .order_by("-version")
        .first()
    )
    if latest is None:
        return None, ""
    scenarios = sorted(latest.result.get("scenarios", []), key=lambda s: -s.get("risk", 0))[:3]
    names = {m.id: m.name for m in CATALOGUE}
    lines = [
        _("Excerpt of the risk assessment of %(site)s, version %(version)d.")
        % {"site": partnership.site.name, "version": latest.version},
        "",
        _("Highest risks:"),
        *(
            f"- {_(s.get('name', s.get('id', '')))}: {s.get('risk', 0):.0f} "
            f"→ {s.get('residual_risk', 0):.0f}"
            for s in scenarios
        ),
    ]
    chosen = (latest.result.get("selection") or {}).get("measures", [])
    if chosen:
        lines += ["", _("Recommended measures:"), *(f"- {_(names.get(m, m))}" for m in chosen)]
    return latest, "\n".join(lines)


def assessment_excerpt_share(
    *, actor: AbstractBaseUser, acting_for: Organisation, partnership: Partnership, **fields
) -> SharedItem:
    """Share an excerpt of the site's assessment; never under a wider label than the
    assessment's own (an excerpt may be more restricted, not less)."""
    latest, _body = assessment_excerpt(partnership=partnership)
    if latest is None:
        raise ValidationError(_("The partnership's site has no assessment to share from."))
    fields["kind"] = SharedItemKind.ASSESSMENT_EXCERPT
    return shared_item_create(
        actor=actor,
        acting_for=acting_for,
        partnership=partnership,
        source_assessment=latest,
        **fields,
    )


def excerpt_label_check(*, source: Assessment | None, label: str) -> None:
    """The one rule for excerpts, wherever a label is set: never wider than the assessment's
    own label (an excerpt may be more restricted, not less)."""
    if source is not None and label in Tlp.values and tlp.widens(source.tlp, label):
        raise ValidationError(
            {
                "tlp": _("The assessment is %(source)s; an excerpt cannot be shared as %(label)s.")
                % {"source": source.tlp, "label": label}
            }
        )
