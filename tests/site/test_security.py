"""Security defaults: production refuses unsafe settings, CSP without inline code, safe cookies."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.urls import reverse

GOOD_KEY = "x" * 20 + "-production-secret-key-for-tests-only-0123456789"


def run_cli(*args: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    # A deployment has none of these; the browser tests set the last one for Playwright.
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    base["SECU4ALL_DATA_DIR"] = str(tmp_path)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "secu4all.cli", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"ALLOWED_HOSTS": "safety.example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "safety.example.org"}, "SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_without_required_setting(tmp_path, env, named) -> None:
    result = run_cli("migrate", env={"SECU4ALL_ENV": "production", **env}, tmp_path=tmp_path)
    assert result.returncode == 2
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_is_clean_in_production_mode(tmp_path) -> None:
    env = {
        "SECU4ALL_ENV": "production",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "safety.example.org",
    }
    result = run_cli(
        "manage", "check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_content_security_policy_forbids_inline_code(client) -> None:
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_pages_have_no_inline_scripts_or_styles(client, havenstad, make_member) -> None:
    client.force_login(make_member(havenstad, "org-admin"))
    for url in [
        reverse("home"),
        reverse("accounts:api_token"),
        reverse("organisations:members", args=[havenstad.slug]),
        reverse("capability", args=["crime"]),
    ]:
        html = client.get(url).content.decode()
        assert "<script>" not in html
        assert "<style" not in html
        assert " style=" not in html
        assert " onclick=" not in html


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_httponly(client, havenstad, make_member) -> None:
    make_member(havenstad, "learner", username="luca")
    client.get(reverse("accounts:login"))
    client.post(
        reverse("accounts:login"),
        {"username": "luca", "password": "correct horse battery staple"},
    )
    assert client.cookies["sessionid"]["httponly"]
    assert client.cookies["csrftoken"]["httponly"]
    assert client.cookies["sessionid"]["samesite"] == "Lax"


def test_production_cookies_are_secure_and_hsts_is_on(monkeypatch) -> None:
    import importlib

    monkeypatch.setenv("SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("ALLOWED_HOSTS", "safety.example.org")
    production = importlib.import_module("secu4all.site.settings.production")
    production = importlib.reload(production)
    assert production.SESSION_COOKIE_SECURE
    assert production.CSRF_COOKIE_SECURE
    assert production.SECURE_SSL_REDIRECT
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.ALLOWED_HOSTS == ["safety.example.org"]
