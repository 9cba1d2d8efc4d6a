"""Sign-in, sign-out, password reset and the two-factor steps."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from rest_framework.authtoken.models import Token

from secu4all.accounts.forms import QueuedPasswordResetForm, TokenForm
from secu4all.accounts.selectors import confirmed_totp_device, pending_totp_device
from secu4all.accounts.services import api_token_rotate, totp_device_confirm, totp_device_start
from secu4all.site.redirects import safe_target


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


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
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if confirmed_totp_device(user=request.user) is not None and request.user.is_verified():
        messages.info(request, _("Two-factor authentication is already on for your account."))
        return redirect("home")
    device = pending_totp_device(user=request.user) or totp_device_start(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_device_confirm(request=request, device=device, token=form.cleaned_data["token"]):
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("home")
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
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request: HttpRequest) -> HttpResponse:
    """Create or replace the user's API token; the key is shown once, right after creation."""
    new_key = api_token_rotate(user=request.user) if request.method == "POST" else None
    has_token = Token.objects.filter(user=request.user).exists()
    return render(request, "accounts/api_token.html", {"new_key": new_key, "has_token": has_token})
