"""Serving behind a proxy, health and readiness, metrics: what operators and load balancers use."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django_scopes import scopes_disabled

from secu4all import cli
from secu4all.common.proxies import client_address, parse_networks
from secu4all.incidents.models import ImportRun, ImportStatus
from tests.support.people import organisation_make

LOOPBACK = parse_networks(["127.0.0.1", "::1"])
PROXIES = parse_networks(["10.0.0.0/8"])


def test_the_client_is_the_first_untrusted_hop_from_the_right() -> None:
    # A client may write anything left of what the proxies appended.
    chain = "198.51.100.66, 203.0.113.7, 10.0.0.2"
    assert client_address("10.0.0.1", chain, PROXIES) == "203.0.113.7"
    assert client_address("203.0.113.9", chain, PROXIES) == "203.0.113.9"
    assert client_address("10.0.0.1", "", PROXIES) == "10.0.0.1"


def test_networks_must_parse() -> None:
    with pytest.raises(ValueError, match=r"10\.0\.0\.300"):
        parse_networks(["10.0.0.300"])
    assert parse_networks(["10.1.2.3"])[0] == ipaddress.ip_network("10.1.2.3/32")


REDIRECTING = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "TRUSTED_PROXIES": ["10.0.0.0/8"],
}


@pytest.mark.django_db
@override_settings(**REDIRECTING)
def test_https_from_a_trusted_proxy_is_not_redirected(client) -> None:
    response = client.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


@pytest.mark.django_db
@override_settings(**REDIRECTING)
def test_a_forged_forwarded_proto_from_anyone_else_is_dropped(client) -> None:
    response = client.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert response.wsgi_request.META.get("HTTP_X_FORWARDED_PROTO") is None


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_the_rate_limits_see_the_client_behind_a_trusted_proxy(client) -> None:
    behind = client.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert behind.wsgi_request.META["REMOTE_ADDR"] == "203.0.113.7"
    forged = client.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert forged.wsgi_request.META["REMOTE_ADDR"] == "198.51.100.1"


@pytest.mark.django_db
def test_health_and_readiness(client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "task_queue": "ok"}


@pytest.mark.django_db
def test_readiness_is_503_when_the_database_does_not_answer(client, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"
    # Liveness does not depend on the database: the process itself is fine.
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
@override_settings(TASK_BACKEND="rq")
def test_readiness_checks_redis_when_tasks_go_through_it(client, monkeypatch, redis_server) -> None:
    import django_rq
    import redis

    assert client.get("/readyz").json()["checks"]["task_queue"] == "ok"
    closed = _free_port()
    monkeypatch.setattr(
        django_rq, "get_connection", lambda name: redis.Redis(port=closed, socket_timeout=1)
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "task_queue": "unavailable"}


@pytest.mark.django_db
def test_metrics_give_latency_by_view_queue_depth_and_imports(client) -> None:
    organisation = organisation_make("metrics-town")
    with scopes_disabled():
        ImportRun.objects.create(
            organisation=organisation,
            file_name="a.csv",
            format="csv",
            status=ImportStatus.DONE,
            rows=10,
            processed=10,
            imported=7,
            rejected=3,
        )
    client.get("/healthz")
    body = client.get("/metrics").content.decode()
    assert 'secu4all_request_seconds_count{method="GET",status="2xx",view="healthz"}' in body
    assert 'secu4all_task_queue_depth{queue="default"}' in body
    assert 'secu4all_import_rows_total{outcome="rejected"} 3.0' in body
    assert 'secu4all_import_rows_total{outcome="imported"} 7.0' in body


@pytest.mark.django_db
def test_metrics_are_for_the_monitoring_host_only(client) -> None:
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    with override_settings(METRICS_ALLOWED=["203.0.113.0/24"]):
        assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_serve_runs_several_processes_by_default(monkeypatch) -> None:
    monkeypatch.delenv("SECU4ALL_WEB_WORKERS", raising=False)
    assert cli.default_workers() == 2 * (os.cpu_count() or 1) + 1
    monkeypatch.setenv("SECU4ALL_WEB_WORKERS", "3")
    assert cli.default_workers() == 3


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, *, source: str, headers: dict[str, str]) -> tuple[int, str]:
    """One request from a chosen loopback address, without following redirects."""
    with socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(source, 0)) as s:
        lines = [f"GET {path} HTTP/1.1", "Host: localhost", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head = answer.split(b"\r\n\r\n", 1)[0].decode()
    return int(head.split()[1]), head


def test_production_server_behind_a_tls_proxy(tmp_path: Path) -> None:
    """The real server, production settings: HTTPS said by the proxy on 127.0.0.1 is believed,
    the same header from 127.0.0.2 is not, and plain HTTP is redirected."""
    port = _free_port()
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {
        **os.environ,
        "SECU4ALL_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "secu4all.site.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "localhost",
        "SECU4ALL_DATA_DIR": str(tmp_path),
        "SECU4ALL_TRUSTED_PROXIES": "127.0.0.1",
        "DATABASE_URL": database,
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    command = [sys.executable, "-m", "secu4all.cli"]
    # healthz needs no table; the home page reads the organisations.
    subprocess.run([*command, "migrate", "-v", "0"], env=env, check=True, timeout=300)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603
        [*command, "serve", "--port", str(port), "--workers", "2", "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                status, _head = _get(port, "/healthz", source="127.0.0.1", headers={})
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.stdout.read().decode()) from None
                time.sleep(0.5)
        assert status == 200  # exempt from the redirect, for the load balancer
        https = {"X-Forwarded-Proto": "https"}
        assert _get(port, "/", source="127.0.0.1", headers=https)[0] == 200
        status, head = _get(port, "/", source="127.0.0.1", headers={})
        assert status == 301
        assert "Location: https://localhost/" in head
        assert _get(port, "/", source="127.0.0.2", headers=https)[0] == 301
        # Several processes answer: the master and at least two workers.
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(children) >= 2
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
    assert server.returncode == 0, "gunicorn stops gracefully on SIGTERM"
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)


def test_the_cache_is_shared_between_processes(tmp_path: Path) -> None:
    """Back-off counters and rate limits hold across web processes only if their cache does:
    what one process counts, another one sees (the database cache `migrate` makes)."""
    env = {**os.environ, "SECU4ALL_DATA_DIR": str(tmp_path)}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECU4ALL_CACHE_URL"):
        env.pop(name, None)
    command = [sys.executable, "-m", "secu4all.cli"]
    subprocess.run([*command, "migrate", "-v", "0"], env=env, check=True, timeout=300)  # noqa: S603
    shell = [*command, "manage", "shell", "-c"]
    count = "from django.core.cache import cache; cache.add('n', 0); print(cache.incr('n'))"
    outputs = [
        subprocess.run(  # noqa: S603
            [*shell, count], env=env, check=True, timeout=120, capture_output=True, text=True
        ).stdout.splitlines()[-1]
        for _ in range(2)
    ]
    assert outputs == ["1", "2"]
