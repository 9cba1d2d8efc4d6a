"""The ``secu4all`` command: help for every subcommand, organisations, demo data."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled

from secu4all import cli
from secu4all.organisations.models import Membership, Organisation, Role

SUBCOMMANDS = ["serve", "demo", "migrate", "createadmin", "org create", "worker"]


@pytest.mark.parametrize("subcommand", SUBCOMMANDS)
def test_every_subcommand_has_help(subcommand, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main([*subcommand.split(), "--help"])
    assert exit_info.value.code == 0
    assert "usage: secu4all" in capsys.readouterr().out


def test_console_entry_point_is_installed(tmp_path) -> None:
    script = __import__("shutil").which("secu4all") or str(
        __import__("pathlib").Path(sys.executable).parent / "secu4all"
    )
    result = subprocess.run(  # noqa: S603
        [script, "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0
    for subcommand in ["serve", "demo", "migrate", "createadmin", "org", "worker", "manage"]:
        assert subcommand in result.stdout


@pytest.mark.django_db
def test_org_create(capsys) -> None:
    assert cli.main(["org", "create", "den-haag", "--name", "Gemeente Den Haag"]) == 0
    assert Organisation.objects.get(slug="den-haag").kind == "municipality"
    assert "Created organisation den-haag" in capsys.readouterr().out


@pytest.mark.django_db
def test_org_create_with_bad_slug_names_the_field(capsys) -> None:
    assert cli.main(["org", "create", "den haag!", "--name", "X"]) == 2
    assert "error: slug:" in capsys.readouterr().err


def test_org_create_with_unknown_kind_is_refused(capsys) -> None:
    with pytest.raises(SystemExit):
        cli.main(["org", "create", "x", "--name", "X", "--kind", "army"])
    assert "invalid choice: 'army'" in capsys.readouterr().err


@pytest.mark.django_db
def test_demo_loads_once_and_serves_on_localhost(monkeypatch, capsys) -> None:
    served = {}
    monkeypatch.setattr(cli, "cmd_serve", lambda args: served.setdefault("host", args.host) and 0)
    assert cli.main(["demo", "--no-worker", "--port", "8123"]) == 0
    assert served["host"] == "127.0.0.1"
    out = capsys.readouterr().out
    assert "Demo data loaded." in out
    users = get_user_model().objects
    with scopes_disabled():
        roles = set(
            Membership.objects.filter(organisation__slug="havenstad").values_list("role", flat=True)
        )
    assert roles == set(Role.values)
    for user in ["admin", "adviser", "analyst", "trainer", "learner", "partner"]:
        assert user in out
        assert users.get(username=user).check_password("demo-secu4all")
    count = users.count()
    assert cli.main(["demo", "--no-worker"]) == 0
    assert "already there" in capsys.readouterr().out
    assert users.count() == count
