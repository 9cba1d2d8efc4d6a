"""Writing accounts: users, their second factor, recovery codes and API tokens.

Every change to how a user proves who they are is written to the audit log of each
organisation the user belongs to (an account has no organisation of its own) and, for the
second factor, mailed to the user through the task queue, so an intruder cannot change it
unnoticed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from secu4all.accounts.selectors import (
    RECOVERY_DEVICE_NAME,
    confirmed_totp_device,
    recovery_device,
)
from secu4all.accounts.tasks import send_email
from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.common.tasks import enqueue_or_explain
from secu4all.organisations.selectors import organisation_list_for_user

User = get_user_model()

RECOVERY_CODE_COUNT = 10


def _account_event_record(
    *, actor: User | None, user: User, action: AuditAction, detail: dict[str, Any]
) -> None:
    """One audit event in every organisation the user belongs to."""
    for organisation in organisation_list_for_user(user=user):
        audit_record(
            actor=actor,
            organisation=organisation,
            action=action,
            object_type="accounts.user",
            object_id=str(user.pk),
            object_repr=user.get_username(),
            detail=detail,
        )


def _account_event_notify(*, user: User, sentence: str) -> None:
    """Mail the user about a change to their sign-in, in the language of this request."""
    if not user.email:
        return
    subject = _("Security change on your Secu4All account")
    body = "\n\n".join(
        [
            sentence,
            _(
                "If this was not you, reset your password at once and tell the admin of "
                "your organisation."
            ),
        ]
    )
    transaction.on_commit(
        lambda: enqueue_or_explain(send_email, subject=subject, body=body, to=[user.email])
    )


def two_factor_enrolment_check(*, user: User, session_verified: bool) -> None:
    """Refuse to enrol or replace a device unless the session already passed the existing
    factor (or a recovery code): a password alone must never replace the second factor."""
    if confirmed_totp_device(user=user) is not None and not session_verified:
        raise PermissionDenied(
            _(
                "Your account already has two-factor authentication. Enter a code from your "
                "authenticator app or a recovery code first."
            )
        )


@transaction.atomic
def totp_device_start(*, user: User, session_verified: bool) -> TOTPDevice:
    """An unconfirmed TOTP device for the user, replacing any earlier unconfirmed one."""
    two_factor_enrolment_check(user=user, session_verified=session_verified)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_device_confirm(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device if the code is right and mark this session as verified.

    Returns the new recovery codes (shown once), or None for a wrong code. A confirmed
    device replaces any earlier one, and revokes the user's API token, which was issued
    under the old factor.
    """
    user = request.user
    two_factor_enrolment_check(user=user, session_verified=user.is_verified())
    if not device.verify_token(token):
        return None
    with transaction.atomic():
        earlier = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk)
        replaced = earlier.exists()
        earlier.delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_create(user=user)
        Token.objects.filter(user=user).delete()
        _account_event_record(
            actor=user,
            user=user,
            action=AuditAction.CHANGE if replaced else AuditAction.CREATE,
            detail={"event": "two-factor device replaced" if replaced else "two-factor enrolled"},
        )
        _account_event_notify(
            user=user,
            sentence=(
                _("A new authenticator app replaced the old one for your account %(username)s.")
                if replaced
                else _("Two-factor authentication was turned on for your account %(username)s.")
            )
            % {"username": user.get_username()},
        )
    otp_login(request, device)
    return codes


def _recovery_codes_create(*, user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User, session_verified: bool) -> list[str]:
    """New recovery codes, the old ones void; only from a session verified with two factors."""
    if not session_verified:
        raise PermissionDenied(_("New recovery codes need a session verified with two factors."))
    codes = _recovery_codes_create(user=user)
    _account_event_record(
        actor=user,
        user=user,
        action=AuditAction.CHANGE,
        detail={"event": "recovery codes regenerated"},
    )
    _account_event_notify(
        user=user,
        sentence=_(
            "New recovery codes were made for your account %(username)s; the old ones no "
            "longer work."
        )
        % {"username": user.get_username()},
    )
    return codes


def recovery_code_use(*, request, code: str) -> bool:
    """Verify the session with a one-time recovery code; the code is spent."""
    user = request.user
    device = recovery_device(user=user)
    if device is None or not device.verify_token(code.strip().lower()):
        return False
    with transaction.atomic():
        left = device.token_set.count()
        _account_event_record(
            actor=user,
            user=user,
            action=AuditAction.LOGIN,
            detail={"event": "recovery code used", "codes_left": left},
        )
        _account_event_notify(
            user=user,
            sentence=_(
                "A recovery code was used to sign in to your account %(username)s. "
                "%(left)s codes are left."
            )
            % {"username": user.get_username(), "left": left},
        )
    otp_login(request, device)
    return True


@transaction.atomic
def api_token_rotate(*, user: User) -> str:
    """A new API token for the user; any earlier token stops working."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    _account_event_record(
        actor=user, user=user, action=AuditAction.CREATE, detail={"event": "API token created"}
    )
    return token.key


@transaction.atomic
def api_token_revoke(*, actor: User, user: User, reason: str) -> bool:
    """Remove the user's API token; ``reason`` goes into the audit log. False if none."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    if deleted:
        _account_event_record(
            actor=actor,
            user=user,
            action=AuditAction.DELETE,
            detail={"event": "API token revoked", "reason": reason},
        )
    return bool(deleted)
