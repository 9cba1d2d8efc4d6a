"""API token authentication: tokens expire, obey two-factor rules and never mix with a session."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from secu4all.accounts.selectors import api_token_expires_at, confirmed_totp_device
from secu4all.organisations.selectors import requires_two_factor


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's token, refused once expired, when the user's two-factor duty is unmet, or when the
    request also carries the session of another user.

    A token is created only from the account page, which a user with a confirmed device reaches
    only from a verified session, and enrolling a device revokes every token; so a token of a
    user with a confirmed device was always issued with the second factor. A user whose
    organisation demands two factors but who has no device yet gets no API access at all.
    """

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            return None
        token_user = found[0]
        django_request = getattr(request, "_request", request)
        session_user = getattr(django_request, "user", None)
        if (
            session_user is not None
            and session_user.is_authenticated
            and session_user.pk != token_user.pk
        ):
            raise AuthenticationFailed(
                _(
                    "This request carries the session of one user and the API token of "
                    "another. Send one of them only."
                )
            )
        return found

    def authenticate_credentials(self, key: str):
        user, token = super().authenticate_credentials(key)
        if api_token_expires_at(token=token) <= timezone.now():
            raise AuthenticationFailed(
                _(
                    "This API token expired after %(days)s days. Create a new one on your "
                    "account page."
                )
                % {"days": settings.API_TOKEN_MAX_AGE_DAYS}
            )
        if confirmed_totp_device(user=user) is None and requires_two_factor(user=user):
            raise AuthenticationFailed(
                _(
                    "Your organisation requires two-factor authentication. Set it up by "
                    "signing in on the web before you use the API."
                )
            )
        return user, token
