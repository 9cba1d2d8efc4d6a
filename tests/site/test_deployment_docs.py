"""The deployment guide cannot fall behind the code: every environment variable the platform
reads is in its table, every example file it names exists, and the example files hold what
the guide says (the compose services, the systemd units' commands, nginx's fail-over).

The variables are found in the source at test time, so one added tomorrow fails this test
until docs/deployment.md describes it.
"""

from __future__ import annotations

import ast
import configparser
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "secu4all"
SETTINGS = PACKAGE / "site" / "settings"
GUIDE = ROOT / "docs" / "deployment.md"
DEPLOY = ROOT / "deploy"
ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*[A-Z0-9]")


def _is_environ(node: ast.expr) -> bool:
    """``os.environ`` or a bare ``environ``."""
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _first_name(args: list[ast.expr]) -> str | None:
    if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
        return args[0].value
    return None


def _call_reads(node: ast.Call, *, settings: bool) -> set[str]:
    """The variable one call reads, if it reads one."""
    func, name = node.func, _first_name(node.args)
    if (
        isinstance(func, ast.Attribute)
        and func.attr == "config"
        and isinstance(func.value, ast.Name)
        and func.value.id == "dj_database_url"
    ):
        env = [k.value for k in node.keywords if k.arg == "env"]
        return {env[0].value if env else "DATABASE_URL"}
    if name is None or not ENV_NAME.fullmatch(name):
        return set()
    if isinstance(func, ast.Attribute):
        reads = (func.attr in {"get", "setdefault"} and _is_environ(func.value)) or (
            func.attr == "getenv"
        )
    else:
        reads = settings and isinstance(func, ast.Name) and func.id not in {"_", "getattr"}
    return {name} if reads else set()


def variables_read(source: str, *, settings: bool) -> set[str]:
    """The environment variables a module reads.

    Anywhere: ``os.environ.get(NAME)``, ``os.environ[NAME]``, ``os.environ.setdefault(NAME)``,
    ``os.getenv(NAME)``, and ``dj_database_url.config()`` (DATABASE_URL, or its ``env=``).
    In the settings also any helper called with a variable's name first (``env_list(NAME)``,
    ``required(NAME)``, one added later), and every ``"SECU4ALL_…"`` string.
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and _is_environ(node.value):
            name = node.slice.value if isinstance(node.slice, ast.Constant) else None
            if isinstance(name, str):
                found.add(name)
        elif isinstance(node, ast.Call):
            found |= _call_reads(node, settings=settings)
        elif (
            settings
            and isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("SECU4ALL_")
            and ENV_NAME.fullmatch(node.value)
        ):
            found.add(node.value)
    return found


def platform_variables() -> set[str]:
    """What the settings read, and the SECU4ALL_* variables any module reads."""
    found: set[str] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        in_settings = path.parent == SETTINGS
        names = variables_read(path.read_text(encoding="utf-8"), settings=in_settings)
        found |= names if in_settings else {n for n in names if n.startswith("SECU4ALL_")}
    return found


def documented_variables() -> set[str]:
    """The first column of the guide's table of environment variables."""
    section = GUIDE.read_text(encoding="utf-8").split("## Environment variables", 1)[1]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section, flags=re.MULTILINE))


def test_the_scanner_finds_every_way_of_reading_a_variable() -> None:
    source = """
import os
import dj_database_url
A = os.environ.get("SECU4ALL_ONE", "x")
B = os.environ["SECU4ALL_TWO"]
C = os.getenv("THIRD_PARTY")
D = env_list("ALLOWED_THINGS")
E = required("SECRET_THING")
F = dj_database_url.config(default="sqlite://")
G = _("Not a variable")
H = getattr(settings, "SECU4ALL_A_SETTING", "")
"""
    assert variables_read(source, settings=True) == {
        "SECU4ALL_ONE",
        "SECU4ALL_TWO",
        "THIRD_PARTY",
        "ALLOWED_THINGS",
        "SECRET_THING",
        "DATABASE_URL",
        "SECU4ALL_A_SETTING",
    }
    # Outside the settings only real reads of the environment count.
    assert variables_read(source, settings=False) == {
        "SECU4ALL_ONE",
        "SECU4ALL_TWO",
        "THIRD_PARTY",
        "DATABASE_URL",
    }


def test_the_scanner_sees_the_platforms_own_variables() -> None:
    # Variables that will always be there: an empty scan cannot pass for a complete guide.
    assert {"SECU4ALL_DATA_DIR", "SECU4ALL_ENV", "SECRET_KEY", "DATABASE_URL"} <= (
        platform_variables()
    )


def test_the_guide_names_every_environment_variable() -> None:
    missing = sorted(platform_variables() - documented_variables())
    assert not missing, (
        f"docs/deployment.md does not describe {', '.join(missing)}: add a row to its table "
        "of environment variables (meaning and default)"
    )


def test_every_deploy_file_exists_and_the_guide_names_it() -> None:
    expected = {
        "secu4all.env.example",
        "secu4all-backup.sh",
        "Dockerfile",
        "compose.yaml",
        "nginx/secu4all.conf",
        "nginx/compose.conf",
        "systemd/secu4all-web.service",
        "systemd/secu4all-worker@.service",
        "systemd/secu4all-backup.service",
        "systemd/secu4all-backup.timer",
    }
    # Only these: an operator's own secu4all.env and tls/ beside them are no concern here.
    present = {p.relative_to(DEPLOY).as_posix() for p in DEPLOY.rglob("*") if p.is_file()}
    assert expected <= present
    guide = GUIDE.read_text(encoding="utf-8")
    unnamed = sorted(f for f in expected if f"deploy/{f}" not in guide)
    assert not unnamed, f"docs/deployment.md does not mention deploy/{unnamed}"


def test_the_compose_file_has_the_services_of_a_deployment() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "nginx"}
    assert services["web"]["command"][:2] == ["secu4all", "serve"]
    assert services["worker"]["command"] == ["secu4all", "worker"]
    for name in ("web", "worker"):
        environment = services[name]["environment"]
        assert environment["SECU4ALL_TASK_BACKEND"] == "rq"
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        build = services[name]["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).is_file()
    # The uploads are shared by the web server and the workers, and every volume is declared.
    assert services["web"]["volumes"] == services["worker"]["volumes"]
    used = {
        volume.split(":")[0]
        for service in services.values()
        for volume in service.get("volumes", [])
        if not volume.startswith(".")
    }
    assert used <= set(compose["volumes"])
    for volume in services["nginx"]["volumes"]:
        source = volume.split(":")[0]
        if source.endswith(".conf"):
            assert (DEPLOY / source).is_file()


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # systemd's keys are case-sensitive
    unit.read_string((DEPLOY / "systemd" / name).read_text(encoding="utf-8"))
    return unit


def test_the_systemd_units_run_the_platform() -> None:
    web = _unit("secu4all-web.service")["Service"]
    assert " serve " in web["ExecStart"]
    assert web["ExecReload"] == "/bin/kill -HUP $MAINPID"
    worker = _unit("secu4all-worker@.service")["Service"]
    assert worker["ExecStart"].endswith("secu4all worker")
    # Stopping signals the worker alone, which lets the running task finish first.
    assert worker["KillMode"] == "mixed"
    backup = _unit("secu4all-backup.service")["Service"]
    assert backup["ExecStart"].endswith("secu4all-backup.sh")
    assert _unit("secu4all-backup.timer")["Timer"]["OnCalendar"]
    for service in (web, worker, backup):
        assert service["EnvironmentFile"] == "/etc/secu4all/secu4all.env"
        assert service["User"] == "secu4all"


def test_the_backup_script_keeps_what_the_guide_promises() -> None:
    script = (DEPLOY / "secu4all-backup.sh").read_text(encoding="utf-8")
    kept = dict(re.findall(r'"\$BACKUP_DIR/(\w+)" .*-mtime \+(\d+) -delete', script))
    assert kept == {"daily": "14", "weekly": "56", "monthly": "366"}
    guide = GUIDE.read_text(encoding="utf-8")
    for line in ("| daily | every night | 14 days |", "| weekly |", "| monthly |"):
        assert line in guide


def test_nginx_fails_over_and_tells_the_scheme() -> None:
    site = (DEPLOY / "nginx" / "secu4all.conf").read_text(encoding="utf-8")
    upstream = re.search(r"upstream secu4all \{(.*?)\}", site, flags=re.DOTALL).group(1)
    assert len(re.findall(r"^\s*server \S+:8000", upstream, flags=re.MULTILINE)) >= 2
    assert "proxy_next_upstream error timeout" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert site.count("{") == site.count("}")


def test_the_example_environment_sets_only_variables_the_platform_reads() -> None:
    lines = (DEPLOY / "secu4all.env.example").read_text(encoding="utf-8").splitlines()
    names = {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}
    assert {"SECU4ALL_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"} <= names
    unknown = sorted(names - platform_variables())
    assert not unknown, f"deploy/secu4all.env.example sets {unknown}, which nothing reads"
