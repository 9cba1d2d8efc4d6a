"""Sign-in, sign-out, password reset and the two-factor steps."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from secu4all.accounts import throttling
from secu4all.accounts.forms import QueuedPasswordResetForm, RecoveryCodeForm, TokenForm
from secu4all.accounts.selectors import (
    api_token_expires_at,
    api_token_of,
    confirmed_totp_device,
    pending_totp_device,
    recovery_codes_left,
)
from secu4all.accounts.services import (
    api_token_revoke,
    api_token_rotate,
    recovery_code_use,
    recovery_codes_regenerate,
    totp_device_confirm,
    totp_device_start,
    two_factor_enrolment_check,
)
from secu4all.common.redirects import safe_target
from secu4all.organisations.selectors import membership_invitation_list_for_user
from secu4all.organisations.services import (
    membership_invitation_accept,
    membership_invitation_decline,
)


def _backoff_response(request: HttpRequest, template: str, wait: int) -> HttpResponse:
    response = render(request, template, {"minutes": max(1, -(-wait // 60))}, status=429)
    response["Retry-After"] = str(wait)
    return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        username = request.POST.get("username", "")[:150]
        wait = throttling.sign_in_wait(request=request, username=username)
        if wait:
            return _backoff_response(request, "accounts/locked_out.html", wait)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            throttling.sign_in_succeeded(username=username)
        else:
            throttling.sign_in_failed(request=request, username=username)
        return response

    def get_success_url(self) -> str:
        target = super().get_success_url()
        if membership_invitation_list_for_user(user=self.request.user).exists():
            return f"{reverse('accounts:invitations')}?{urlencode({'next': target})}"
        return target


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        email = request.POST.get("email", "")[:254]
        wait = throttling.password_reset_wait(request=request, email=email)
        if wait:
            return _backoff_response(request, "accounts/password_reset_wait.html", wait)
        throttling.password_reset_requested(request=request, email=email)
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        api_token_revoke(actor=form.user, user=form.user, reason="password reset")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:api_token")

    def form_valid(self, form):
        response = super().form_valid(form)
        api_token_revoke(actor=form.user, user=form.user, reason="password changed")
        messages.success(self.request, _("Your password was changed."))
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return safe_target(request, target, str(reverse_lazy("home")))


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    device = confirmed_totp_device(user=request.user)
    if device is None:
        return redirect("accounts:two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("That code is not valid. Codes change every 30 seconds."))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_recovery(request: HttpRequest) -> HttpResponse:
    """The second step with a one-time recovery code instead of the authenticator app."""
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if recovery_code_use(request=request, code=form.cleaned_data["code"]):
            messages.info(
                request,
                _("Recovery code accepted. It cannot be used again."),
            )
            return redirect(_safe_next(request))
        form.add_error("code", _("That recovery code is not valid or was used already."))
    return render(
        request, "accounts/two_factor_recovery.html", {"form": form, "next": _safe_next(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a first device, or, from a verified session, replace the device."""
    try:
        two_factor_enrolment_check(user=request.user, session_verified=request.user.is_verified())
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
        return redirect(
            f"{reverse('accounts:two_factor_verify')}?"
            f"{urlencode({'next': reverse('accounts:two_factor_setup')})}"
        )
    device = pending_totp_device(user=request.user) or totp_device_start(
        user=request.user, session_verified=request.user.is_verified()
    )
    replacing = confirmed_totp_device(user=request.user) is not None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = totp_device_confirm(
            request=request, device=device, token=form.cleaned_data["token"]
        )
        if codes is not None:
            messages.success(request, _("Two-factor authentication is on."))
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error("token", _("That code is not valid. Codes change every 30 seconds."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code"))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": b32encode(device.bin_key).decode(),
            "device": device,
            "replacing": replacing,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left; new ones from a verified session, shown once."""
    codes = None
    if request.method == "POST":
        codes = recovery_codes_regenerate(
            user=request.user, session_verified=request.user.is_verified()
        )
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": codes,
            "codes_left": recovery_codes_left(user=request.user),
            "verified": request.user.is_verified(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request: HttpRequest) -> HttpResponse:
    """Create, replace or revoke the user's API token; the key is shown once, on creation."""
    new_key = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        api_token_revoke(actor=request.user, user=request.user, reason="revoked by its owner")
        messages.success(request, _("Your API token was revoked."))
        return redirect("accounts:api_token")
    if request.method == "POST":
        new_key = api_token_rotate(user=request.user)
    token = api_token_of(user=request.user)
    return render(
        request,
        "accounts/api_token.html",
        {
            "new_key": new_key,
            "has_token": token is not None,
            "token": token,
            "expires_at": api_token_expires_at(token=token) if token else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest) -> HttpResponse:
    """The user's pending invitations to a role, each to accept or decline."""
    pending = membership_invitation_list_for_user(user=request.user)
    if request.method == "POST":
        invitation = pending.filter(pk=_int_or_none(request.POST.get("invitation"))).first()
        answer = request.POST.get("answer")
        if invitation is None or answer not in ("accept", "decline"):
            messages.error(request, _("That invitation is no longer open."))
        elif answer == "accept":
            membership = membership_invitation_accept(user=request.user, invitation=invitation)
            messages.success(request, _("%(membership)s added.") % {"membership": membership})
        else:
            membership_invitation_decline(user=request.user, invitation=invitation)
            messages.info(request, _("Invitation declined."))
        return redirect(
            f"{reverse('accounts:invitations')}?{urlencode({'next': _safe_next(request)})}"
        )
    return render(
        request,
        "accounts/invitations.html",
        {"invitations": list(pending), "next": _safe_next(request)},
    )


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None
