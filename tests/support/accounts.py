"""Signing in through the login page and reading a TOTP device's current code."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.support.people import PASSWORD


def login(client: Client, username: str, password: str = PASSWORD) -> HttpResponse:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
