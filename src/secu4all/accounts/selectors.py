"""Reading accounts: the user's TOTP device, recovery codes and API token."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

RECOVERY_DEVICE_NAME = "recovery codes"


def confirmed_totp_device(*, user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp_device(*, user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def recovery_device(*, user: AbstractBaseUser) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()


def recovery_codes_left(*, user: AbstractBaseUser) -> int:
    device = recovery_device(user=user)
    return device.token_set.count() if device is not None else 0


def api_token_of(*, user: AbstractBaseUser) -> Token | None:
    return Token.objects.filter(user=user).first()


def api_token_expires_at(*, token: Token) -> datetime:
    return token.created + timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS)


def api_tokens_of_users(*, user_ids: list[int]) -> dict[int, Token]:
    return {token.user_id: token for token in Token.objects.filter(user_id__in=user_ids)}
