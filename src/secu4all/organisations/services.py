"""Writing organisations and memberships; every change is audit-logged."""

from __future__ import annotations

import hashlib
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from pmtiles.tile import MagicNumberNotFound, SpecVersionUnsupported, TileType, deserialize_header

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.common.uploads import not_stored
from secu4all.organisations.models import (
    DataVersion,
    Membership,
    MembershipInvitation,
    Organisation,
    OrganisationKind,
    Role,
)


def organisation_create(*, slug: str, name: str, kind: str = "municipality") -> Organisation:
    if kind not in OrganisationKind.values:
        raise ValidationError(
            _("Unknown organisation kind %(kind)s; choose one of %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(OrganisationKind.values)}
        )
    organisation = Organisation(slug=slug, name=name, kind=kind)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def membership_grant(
    *,
    actor: AbstractBaseUser | None,
    organisation: Organisation,
    user: AbstractBaseUser,
    role: str,
) -> Membership:
    """Give a user a role in an organisation; granting a role already held changes nothing."""
    if role not in Role.values:
        raise ValidationError(
            _("Unknown role %(role)s; choose one of %(roles)s.")
            % {"role": role, "roles": ", ".join(Role.values)}
        )
    membership, created = Membership.objects.with_scope(organisation=organisation).get_or_create(
        organisation=organisation, user=user, role=role
    )
    if created:
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATE,
            target=membership,
            detail={"user": user.get_username(), "role": role},
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor: AbstractBaseUser, membership: Membership) -> None:
    organisation = membership.organisation
    if membership.role == Role.ORG_ADMIN:
        admins = Membership.objects.with_scope(organisation=organisation).filter(
            role=Role.ORG_ADMIN
        )
        if admins.count() <= 1:
            raise ValidationError(_("An organisation must keep at least one admin."))
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.DELETE,
        target=membership,
        detail={"user": membership.user.get_username(), "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def organisation_set_two_factor(
    *, actor: AbstractBaseUser, organisation: Organisation, required: bool
) -> Organisation:
    organisation.require_two_factor = required
    organisation.save(update_fields=["require_two_factor"])
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.CHANGE,
        target=organisation,
        detail={"require_two_factor": required},
    )
    return organisation


@transaction.atomic
def membership_invite(
    *, actor: AbstractBaseUser, organisation: Organisation, identifier: str, role: str
) -> None:
    """Invite the user with this username or e-mail address to a role in the organisation.

    The role takes effect only when the user accepts. Nothing tells the admin whether the
    user exists: the audit row names what the admin typed, in every case, so neither the
    answer nor the audit log enumerates accounts.
    """
    if role not in Role.values:
        raise ValidationError(
            _("Unknown role %(role)s; choose one of %(roles)s.")
            % {"role": role, "roles": ", ".join(Role.values)}
        )
    identifier = identifier.strip()
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.SHARE,
        object_type="organisations.membershipinvitation",
        object_repr=f"{identifier} · {role}"[:200],
        detail={
            "event": "invitation sent if the account exists",
            "invited": identifier,
            "role": role,
        },
    )
    matches = get_user_model().objects.filter(
        Q(username__iexact=identifier) | Q(email__iexact=identifier), is_active=True
    )
    invitations = MembershipInvitation.objects.with_scope(organisation=organisation)
    memberships = Membership.objects.with_scope(organisation=organisation)
    for user in matches[:2]:
        if not memberships.filter(user=user, role=role).exists():
            invitations.get_or_create(
                organisation=organisation, user=user, role=role, defaults={"invited_by": actor}
            )


def _invitation_close(
    *, user: AbstractBaseUser, invitation: MembershipInvitation, action: str, event: str
) -> None:
    """Record the invited user's answer and remove the invitation; only they may answer."""
    if invitation.user_id != user.pk:
        raise ValidationError(_("This invitation is for someone else."))
    organisation = invitation.organisation
    audit_record(
        actor=user,
        organisation=organisation,
        action=action,
        target=invitation,
        detail={"event": event, "user": user.get_username(), "role": invitation.role},
    )
    MembershipInvitation.objects.with_scope(organisation=organisation).filter(
        pk=invitation.pk
    ).delete()


@transaction.atomic
def membership_invitation_accept(
    *, user: AbstractBaseUser, invitation: MembershipInvitation
) -> Membership:
    """The invited user takes the role: only now does it become a membership."""
    _invitation_close(
        user=user, invitation=invitation, action=AuditAction.CHANGE, event="invitation accepted"
    )
    return membership_grant(
        actor=user, organisation=invitation.organisation, user=user, role=invitation.role
    )


@transaction.atomic
def membership_invitation_decline(
    *, user: AbstractBaseUser, invitation: MembershipInvitation
) -> None:
    _invitation_close(
        user=user, invitation=invitation, action=AuditAction.DELETE, event="invitation declined"
    )


def _base_map_header(path: Path) -> dict:
    """The PMTiles v3 header of the archive at ``path``; ValidationError naming the problem."""
    with path.open("rb") as handle:
        head = handle.read(127)
    try:
        header = deserialize_header(head)
    except (MagicNumberNotFound, UnicodeDecodeError, IndexError):
        raise ValidationError(
            _("%(file)s is not a PMTiles archive (its first bytes are not “PMTiles”).")
            % {"file": path.name}
        ) from None
    except (SpecVersionUnsupported, ValueError):
        raise ValidationError(
            _("%(file)s is a PMTiles archive of another version; version 3 is needed.")
            % {"file": path.name}
        ) from None
    if header["tile_type"] != TileType.MVT:
        raise ValidationError(
            _("%(file)s holds image tiles; the base map needs vector tiles (MVT).")
            % {"file": path.name}
        )
    return header


@transaction.atomic
def _base_map_copy(source: Path, target: Path) -> None:
    """Copy under a passing name, then rename: a full disk leaves neither a half archive under
    the final name (which the next upload of the same file would take for complete) nor a
    passing file."""
    passing = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
    try:
        shutil.copyfile(source, passing)
        passing.replace(target)
    except OSError as error:
        passing.unlink(missing_ok=True)
        raise not_stored(source.name) from error


def organisation_set_base_map(
    *,
    actor: AbstractBaseUser | None,
    organisation: Organisation,
    source: Path,
    attribution: str = "",
    public: bool = False,
) -> Organisation:
    """Check the PMTiles archive at ``source`` and make it the organisation's base map.

    The archive is copied under BASE_MAP_ROOT with a name that changes with its content, so a
    reader holding the old version's ETag never gets bytes of the new one mixed in.
    """
    size = source.stat().st_size
    if size > settings.BASE_MAP_MAX_BYTES:
        raise ValidationError(
            _("%(file)s is %(size)s MB; a base map may be at most %(max)s MB.")
            % {
                "file": source.name,
                "size": size // 1024**2,
                "max": settings.BASE_MAP_MAX_BYTES // 1024**2,
            }
        )
    _base_map_header(source)
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        for piece in iter(lambda: handle.read(1024**2), b""):
            digest.update(piece)
    root = Path(settings.BASE_MAP_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    name = f"{organisation.slug}-{digest.hexdigest()[:16]}.pmtiles"
    if not (root / name).exists():
        _base_map_copy(source, root / name)
    previous = organisation.base_map
    organisation.base_map = name
    organisation.base_map_attribution = attribution.strip()[:200]
    organisation.base_map_public = public
    organisation.save(update_fields=["base_map", "base_map_attribution", "base_map_public"])
    if previous and previous != name:
        # The old archive goes once the new one is recorded; readers re-read on a new ETag.
        transaction.on_commit(lambda: (root / previous).unlink(missing_ok=True))
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.CHANGE,
        target=organisation,
        detail={"base_map": name, "bytes": size, "public": public},
    )
    return organisation


def data_changed(*, organisation: Organisation, topic: str) -> int:
    """Raise the organisation's version of ``topic`` (e.g. its incidents) after a change to
    that data, and return the new version: results cached under the old one are stale."""
    versions = DataVersion.objects.with_scope(organisation=organisation).filter(topic=topic)
    with transaction.atomic():
        if not versions.update(version=F("version") + 1):
            # The first change: two processes may race to create the row; one wins.
            DataVersion.objects.with_scope(organisation=organisation).get_or_create(
                organisation=organisation, topic=topic
            )
            versions.update(version=F("version") + 1)
        return versions.values_list("version", flat=True).get()
