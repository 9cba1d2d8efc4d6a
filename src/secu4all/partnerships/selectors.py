"""Reading partnerships across organisations, where the tenant scope is lifted.

A partnership is hosted by its lead organisation, but its partners work under their own
organisation's URL. ``partnership_list`` and ``partnership_for`` therefore read without the
django-scopes filter, with an explicit filter instead: the acting organisation must be the
lead, an active member or in the partnership's community. Everything inside a partnership is
then read with ``scope(organisation=partnership.organisation)`` (see ``partnership_scope``),
and shared items only through ``partnerships.tlp``. The other unscoped reads here are each
filtered explicitly: one partnership's organisations, the staff of one organisation, and the
nightly search for certificates about to lapse; who belongs to which organisation and
partnership now is read in ``partnerships.membership``, below both this module and the policy.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from secu4all.assessments.selectors import assessment_list
from secu4all.organisations.models import Organisation
from secu4all.organisations.permissions import Permission, roles_with
from secu4all.partnerships.membership import people_of
from secu4all.partnerships.models import (
    OPEN_STATUSES,
    ActionItem,
    Alert,
    Certification,
    CertificationStage,
    PartnerMembership,
    Partnership,
    SharedItem,
)
from secu4all.partnerships.tlp import readable_items


def _visible_to(organisation: Organisation) -> Q:
    return (
        Q(organisation=organisation)
        | Q(members__member=organisation, members__left_on__isnull=True)
        | Q(community=organisation)
    )


def partnership_list(*, organisation: Organisation) -> list[Partnership]:
    """The partnerships ``organisation`` leads, belongs to now or is in the community of."""
    with scopes_disabled():
        ids = Partnership.objects.filter(_visible_to(organisation)).values("pk")
        return list(
            Partnership.objects.filter(pk__in=ids)
            .select_related("organisation", "site")
            .order_by("name")
        )


def partners_invited(*, organisation: Organisation) -> bool:
    """Whether a partnership the organisation leads has another organisation as a member."""
    return (
        PartnerMembership.objects.with_scope(organisation=organisation)
        .exclude(member=organisation)
        .exists()
    )


def partnership_for(*, organisation: Organisation, pk: int) -> Partnership:
    """The partnership ``pk`` if ``organisation`` is in it, else 404 — also when it exists."""
    with scopes_disabled():
        found = (
            Partnership.objects.filter(pk=pk)
            .filter(pk__in=Partnership.objects.filter(_visible_to(organisation)).values("pk"))
            .select_related("organisation", "site")
            .first()
        )
    if found is None:
        raise Http404(_("No partnership of yours has this number."))
    return found


def partnership_scope(partnership: Partnership) -> AbstractContextManager:
    """Read the rows of one partnership, which live in its lead organisation's tenant."""
    return scope(organisation=partnership.organisation)


def site_assessment_latest(*, partnership: Partnership) -> Model | None:
    """The latest assessment of the partnership's site, as the lead keeps it; None without."""
    if partnership.site_id is None:
        return None
    # The site is read as the partnership names it; its assessments in the lead's tenant.
    with scopes_disabled():
        site = partnership.site
    with partnership_scope(partnership):
        return assessment_list(site=site).first()


def is_active_member(*, partnership: Partnership, organisation: Organisation) -> bool:
    if organisation.pk == partnership.organisation_id:
        return True
    with partnership_scope(partnership):
        return partnership.members.filter(member=organisation, left_on__isnull=True).exists()


def member_list(*, partnership: Partnership) -> QuerySet[PartnerMembership]:
    return (
        PartnerMembership.objects.with_scope(organisation=partnership.organisation)
        .filter(partnership=partnership)
        .select_related("member")
        .prefetch_related("contacts")
        .order_by("left_on", "member__name")
    )


def member_organisations(*, partnership: Partnership) -> list[Organisation]:
    """The lead and the active members, the organisations items can be addressed to."""
    with scopes_disabled():
        ids = {partnership.organisation_id}
        ids |= set(
            partnership.members.filter(left_on__isnull=True).values_list("member_id", flat=True)
        )
        return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def community_organisations(*, partnership: Partnership) -> list[Organisation]:
    """Members plus the community: everyone GREEN reaches, and who may be an AMBER client."""
    with scopes_disabled():
        extra = list(partnership.community.all())
    return sorted({*member_organisations(partnership=partnership), *extra}, key=lambda o: o.name)


def action_list(*, partnership: Partnership) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.with_scope(organisation=partnership.organisation)
        .filter(partnership=partnership)
        .select_related("owner_organisation", "owner_user")
    )


def open_actions_of(*, partnership: Partnership, organisation: Organisation) -> QuerySet:
    return action_list(partnership=partnership).filter(
        owner_organisation=organisation, status__in=OPEN_STATUSES
    )


def alert_list(*, items: QuerySet[SharedItem]) -> list[Alert]:
    """Alerts among already-readable items, newest first."""
    return sorted(
        (item.alert for item in items.select_related("alert") if hasattr(item, "alert")),
        key=lambda alert: alert.sent_at,
        reverse=True,
    )


def partner_users(*, partnership: Partnership) -> QuerySet:
    """People of the lead and active members: who may be named as RED recipients."""
    return people_of(organisation_ids=[o.pk for o in member_organisations(partnership=partnership)])


def certificates_expiring(*, today: date, within_days: int) -> list[Certification]:
    """Certificates that lapse within ``within_days`` and had no reminder in the last month,
    in every organisation (a nightly task, not a user, asks)."""
    with scopes_disabled():
        return list(
            Certification.objects.filter(
                stage=CertificationStage.CERTIFIED,
                expires_on__gte=today,
                expires_on__lte=today + timedelta(days=within_days),
            )
            .exclude(last_reminder_on__gt=today - timedelta(days=30))
            .select_related("partnership", "organisation")
        )


def staff_emails(*, organisation: Organisation) -> list[str]:
    """E-mail addresses of those who may lead the organisation's partnerships (its admins and
    security advisers)."""
    with scopes_disabled():
        return list(
            get_user_model()
            .objects.filter(
                memberships__organisation=organisation,
                memberships__role__in=roles_with(Permission.LEAD_PARTNERSHIP, organisation),
                is_active=True,
            )
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )


def alerts_awaiting(*, user, organisation: Organisation) -> list[tuple[Partnership, SharedItem]]:
    """Alerts the user may read in the organisation's partnerships and has not acknowledged."""
    waiting = []
    for partnership in partnership_list(organisation=organisation):
        with partnership_scope(partnership):
            items = (
                readable_items(user, partnership)
                .filter(alert__isnull=False)
                .exclude(alert__acknowledgements__user=user)
                .order_by("-created_at")
            )
            waiting.extend((partnership, item) for item in items)
    return waiting
