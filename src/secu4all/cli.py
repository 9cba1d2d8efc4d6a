"""The ``secu4all`` command: serve, demo, migrate, createadmin, org, curriculum, worker and
manage."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path


def _setup_django() -> None:
    production = os.environ.get("SECU4ALL_ENV", "").lower() == "production"
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE",
        "secu4all.site.settings.production" if production else "secu4all.site.settings.local",
    )
    import django

    django.setup()


def _call(*args: str, **options: object) -> None:
    from django.core.management import call_command

    call_command(*args, **options)


def cmd_migrate(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate(verbosity=args.verbosity)
    return 0


def _migrate(*, verbosity: int) -> None:
    _call("migrate", interactive=False, verbosity=verbosity)
    # The shared cache's table, when the cache is the database; a no-op otherwise.
    _call("createcachetable", verbosity=verbosity)


def default_workers() -> int:
    """Two web processes a core plus one (gunicorn's advice), unless SECU4ALL_WEB_WORKERS says."""
    configured = os.environ.get("SECU4ALL_WEB_WORKERS", "").strip()
    return int(configured) if configured else 2 * (os.cpu_count() or 1) + 1


def _share_metrics_directory() -> None:
    """Make one directory where all web processes of this host keep their request counts.

    It is emptied at start, as the counts of processes that are gone mean nothing now; and it
    must be set before Django starts: the apps import prometheus_client, which reads it once.
    """
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    directory = _run_directory() / "metrics"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)


def _run_directory() -> Path:
    """Where a running platform keeps its process files (metrics, gunicorn's control socket)."""
    return Path(os.environ.get("SECU4ALL_DATA_DIR", "var")).resolve() / "run"


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django()
    from django.conf import settings
    from gunicorn.app.base import BaseApplication
    from prometheus_client import multiprocess

    # Static files are collected before the workers start, so WhiteNoise indexes them.
    _call("collectstatic", interactive=False, verbosity=0)
    from django.core.wsgi import get_wsgi_application

    class Server(BaseApplication):
        """gunicorn, configured here rather than by a file: one way to run the platform."""

        def load_config(self) -> None:
            options = {
                "bind": f"{'[' + args.host + ']' if ':' in args.host else args.host}:{args.port}",
                "workers": args.workers,
                "worker_class": "gthread",
                "threads": args.threads,
                # A worker answering nothing for this long is replaced; a long import runs
                # in the task worker, never in a request.
                "timeout": 60,
                "graceful_timeout": 30,
                "keepalive": 5,
                # Load the app in each worker after the fork: a HUP then reloads new code.
                "preload_app": False,
                # The scheme and client address are Django's to decide, from trusted proxies
                # only (secu4all.common.proxies); gunicorn is told to believe no header.
                "forwarded_allow_ips": "",
                "secure_scheme_headers": {},
                "proc_name": "secu4all",
                "control_socket": str(_run_directory() / "gunicorn.ctl"),
                "accesslog": "-" if args.access_log else None,
                "child_exit": lambda server, worker: multiprocess.mark_process_dead(worker.pid),
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return get_wsgi_application()

    print(
        f"Secu4All is serving on http://{args.host}:{args.port}/ with {args.workers} processes "
        f"of {args.threads} threads (Ctrl+C stops it; HUP reloads the workers gracefully)"
    )
    print(f"Data directory: {settings.DATA_DIR}")
    # Connections opened before the fork (migrate, the demo data) must not be shared by the
    # processes gunicorn forks.
    from django.db import connections

    connections.close_all()
    Server().run()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _setup_django()
    from secu4all.shell.demo_loader import demo_credentials, load_demo

    _migrate(verbosity=0)
    created = load_demo()
    print("Demo data loaded." if created else "Demo data was already there; nothing changed.")
    print("\nSign in at the address below with one of these demo accounts:")
    for username, role, organisation, password in demo_credentials():
        print(f"  {username:<12} {role:<24} {organisation:<28} password: {password}")
    worker = None
    if not args.no_worker:
        # The embedded task queue needs a worker beside the web server (e-mail, imports).
        worker = subprocess.Popen([sys.executable, "-m", "secu4all.cli", "worker"])
    args.host = "127.0.0.1"
    # SIGTERM would end this process without running the finally below; as an exception
    # it unwinds like Ctrl+C, so the worker is stopped instead of left behind.
    previous = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    parent = os.getpid()
    try:
        return cmd_serve(args)
    except KeyboardInterrupt:
        return 0
    finally:
        # gunicorn's forked web processes unwind through here too when they exit: only the
        # process that started the task worker stops it.
        if os.getpid() == parent:
            signal.signal(signal.SIGTERM, previous)
            if worker is not None:
                _stop_worker(worker)


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_worker(worker: subprocess.Popen, *, grace: float = 10.0) -> None:
    """Ask the worker to stop, then make sure it has: an import it was running is taken up
    again by the next worker, from its last committed batch."""
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=grace)
        return
    except subprocess.TimeoutExpired:
        pass
    # The database worker lets a running task finish first, which for a large import can
    # take minutes: it is stopped outright instead.
    worker.kill()
    worker.wait()


def cmd_worker(args: argparse.Namespace) -> int:
    _setup_django()
    from django.conf import settings

    from secu4all.common.task_workers import new_worker_id, watch_workers
    from secu4all.incidents.tasks import watch_stalled_imports

    watch_stalled_imports()
    # Its sign of life, the tasks dead workers left running, the tasks parked while Redis was
    # away.
    worker_id = new_worker_id()
    watch_workers(worker_id)
    if settings.TASK_BACKEND == "rq":
        _call("rqworker", "default", job_class="django_tasks_rq.Job", burst=args.burst)
    else:
        options = {"batch": True} if args.burst else {}
        _call("db_worker", worker_id=worker_id, **options)
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    _setup_django()
    options: dict[str, object] = {"interactive": not args.noinput}
    if args.username:
        options["username"] = args.username
    if args.email:
        options["email"] = args.email
    _call("createsuperuser", **options)
    return 0


def cmd_org_create(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.exceptions import ValidationError

    from secu4all.organisations.services import organisation_create

    try:
        organisation = organisation_create(slug=args.slug, name=args.name, kind=args.kind)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                print(f"error: {field}: {message}", file=sys.stderr)
        return 2
    print(f"Created organisation {organisation.slug} ({organisation.name}, {organisation.kind}).")
    return 0


def cmd_org_basemap(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.exceptions import ValidationError

    from secu4all.organisations.models import Organisation
    from secu4all.organisations.services import organisation_set_base_map

    organisation = Organisation.objects.filter(slug=args.slug).first()
    if organisation is None:
        print(f"error: no organisation is called {args.slug}", file=sys.stderr)
        return 2
    source = Path(args.file)
    if not source.is_file():
        print(f"error: {source}: no such file", file=sys.stderr)
        return 2
    try:
        organisation_set_base_map(
            actor=None,
            organisation=organisation,
            source=source,
            attribution=args.attribution,
            public=args.public,
        )
    except ValidationError as error:
        for message in error.messages:
            print(f"error: {source}: {message}", file=sys.stderr)
        return 2
    print(f"Base map of {organisation.slug} set from {source}.")
    return 0


def cmd_incidents_import(args: argparse.Namespace) -> int:
    _setup_django()
    import json
    from pathlib import Path

    from django_scopes import scopes_disabled

    from secu4all.common.files import ImportFileError
    from secu4all.incidents.services import (
        import_run_create,
        import_run_execute,
        import_summary,
        parse_mapping,
    )
    from secu4all.organisations.models import Organisation

    path = Path(args.file)
    organisation = Organisation.objects.filter(slug=args.org).first()
    if organisation is None:
        print(f"error: there is no organisation {args.org!r}", file=sys.stderr)
        return 2
    if not path.is_file():
        print(f"error: {path} is not a file", file=sys.stderr)
        return 2
    try:
        mapping = (
            parse_mapping(Path(args.mapping).read_text(encoding="utf-8"), name=args.mapping)
            if args.mapping
            else None
        )
    except (ImportFileError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    def progress(done: int, total: int) -> None:
        if args.json:
            return
        width = 40
        filled = width * done // max(total, 1)
        print(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} rows",
            end="",
            file=sys.stderr,
            flush=True,
        )

    with scopes_disabled():
        run = import_run_create(
            organisation=organisation,
            actor=None,
            file_name=path.name,
            data=None,
            format=args.format,
            mapping=mapping,
        )
        run = import_run_execute(run=run, data=path.read_bytes(), progress=progress)
        summary = {"file": str(path), "organisation": organisation.slug, **import_summary(run)}
        if run.message:
            summary["message"] = run.message
        rejections = list(run.rejections.values_list("row", "field", "reason")[:20])
    if args.json:
        print(json.dumps(summary))
    else:
        print(file=sys.stderr)
        print(
            f"{path.name}: {run.rows:,} rows: {run.imported:,} imported "
            f"({run.no_location:,} without location), {run.rejected:,} rejected, "
            f"{run.duplicates:,} already there."
        )
        if run.message:
            print(run.message)
        for row, field, reason in rejections:
            print(f"  row {row}: {field}: {reason}")
        if run.rejected > len(rejections):
            print(
                f"  … and {run.rejected - len(rejections):,} more rejected rows (see the web page)"
            )
    return 0 if run.status == "done" else 1


def cmd_hotspots(args: argparse.Namespace) -> int:
    _setup_django()
    from datetime import date
    from pathlib import Path

    from django_scopes import scopes_disabled

    from secu4all.incidents import maps
    from secu4all.incidents.selectors import IncidentFilter, hotspot_layer, incident_list
    from secu4all.organisations.models import Organisation

    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in {".geojson", ".json", ".png", ".html"}:
        print(
            f"error: --out must end in .geojson, .png or .html, not {suffix or 'nothing'}",
            file=sys.stderr,
        )
        return 2
    organisation = Organisation.objects.filter(slug=args.org).first()
    if organisation is None:
        print(f"error: there is no organisation {args.org!r}", file=sys.stderr)
        return 2
    try:
        filters = IncidentFilter(
            date_from=date.fromisoformat(args.date_from) if args.date_from else None,
            date_to=date.fromisoformat(args.date_to) if args.date_to else None,
            category=args.category or "",
        )
        with scopes_disabled():
            incidents = incident_list(organisation=organisation, filters=filters)
            layer = hotspot_layer(
                organisation=organisation, incidents=incidents, method=args.method, cell=args.cell
            )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if layer is None:
        print("error: no located incidents match", file=sys.stderr)
        return 1
    if suffix == ".png":
        out.write_bytes(maps.to_png(layer, scale=4))
    elif suffix == ".html":
        title = f"{organisation.name}: {args.method}, {args.cell:g} m"
        out.write_text(maps.to_html(layer, title=title), encoding="utf-8")
    else:
        import json

        out.write_text(json.dumps(maps.to_geojson(layer)), encoding="utf-8")
    print(
        f"Wrote {out}: {layer.method} on {layer.grid.nx}×{layer.grid.ny} cells of "
        f"{layer.grid.cell_size:g} m from {layer.n_points:,} incidents."
    )
    return 0


def cmd_assess(args: argparse.Namespace) -> int:
    """Assess a site described in YAML, without a database."""
    _setup_django()
    import json
    from pathlib import Path

    from secu4all.assessments.report import report_pdf
    from secu4all.common.safe_yaml import UserYamlError, load_user_yaml
    from secu4all.engines import risk

    path = Path(args.file)
    try:
        mapping = load_user_yaml(path.read_bytes(), name=path.name)
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except UserYamlError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        result = risk.assess(mapping)
    except ValueError as error:
        print(f"error: {path.name}: {error}", file=sys.stderr)
        return 2
    data = result.to_dict()
    print(
        f"{data['site']['name']}: total risk {data['total_risk']:.0f}"
        f"{' (incomplete: unanswered questions scored as worst)' if data['incomplete'] else ''}"
    )
    for scenario in sorted(data["scenarios"], key=lambda s: -s["risk"]):
        print(f"  {scenario['risk']:6.0f}  {scenario['cell']['label']:<10} {scenario['name']}")
    if data.get("selection"):
        selection = data["selection"]
        print(
            f"Recommended within the budget: {', '.join(selection['measures']) or 'nothing'}; "
            f"cost {selection['cost']:,.0f}, residual risk {selection['residual_risk']:.0f}."
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps(data, indent=2, ensure_ascii=False, default=list), encoding="utf-8"
        )
    if args.report:
        pdf = report_pdf(
            result=json.loads(json.dumps(data, default=list)),
            data=mapping,
            tlp=args.tlp,
            title=data["site"]["name"],
        )
        Path(args.report).write_bytes(pdf)
    return 0


def _curriculum_path(args: argparse.Namespace):
    from pathlib import Path

    from secu4all.training.curriculum import default_path

    if args.path:
        return Path(args.path)
    path = default_path()
    try:
        return path.relative_to(Path.cwd())  # shorter file:line lines, clickable in editors
    except ValueError:
        return path


def cmd_curriculum_check(args: argparse.Namespace) -> int:
    """Print every problem as file:line: problem; exit 1 when there is any."""
    from secu4all.engines.curriculum import read_curriculum

    path = _curriculum_path(args)
    curriculum, problems = read_curriculum(path)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {path}.", file=sys.stderr)
        return 1
    lessons = sum(len(m.lessons) for m in curriculum.modules)
    items = sum(len(lesson.items) for m in curriculum.modules for lesson in m.lessons)
    scenarios = sum(len(m.scenarios) for m in curriculum.modules)
    print(
        f"{path}: OK: {len(curriculum.modules)} modules, {lessons} lessons, {items} exercise "
        f"items, {scenarios} scenarios, in every language."
    )
    return 0


def cmd_curriculum_load(args: argparse.Namespace) -> int:
    _setup_django()
    from secu4all.training.curriculum import CurriculumRefusedError, curriculum_load

    path = _curriculum_path(args)
    try:
        result = curriculum_load(path)
    except CurriculumRefusedError as refused:
        for problem in refused.problems:
            print(problem)
        print(
            f"Refused: {len(refused.problems)} problem(s) in {path}; "
            "the curriculum in the database is unchanged.",
            file=sys.stderr,
        )
        return 1
    counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
    if result.changed:
        print(f"Loaded {path} (version {result.version.digest[:12]}): {counts}.")
    else:
        print(f"{path} is already loaded (version {result.version.digest[:12]}); nothing changed.")
    return 0


def cmd_xapi_forward(args: argparse.Namespace) -> int:
    _setup_django()
    from secu4all.training.lrs import forward_pending, lrs_configured

    if not lrs_configured():
        print("error: SECU4ALL_LRS_ENDPOINT is not set", file=sys.stderr)
        return 2
    sent, pending = forward_pending()
    print(f"Sent {sent} learning statements; {pending} still pending.")
    return 0 if not pending else 1


def cmd_backup(args: argparse.Namespace) -> int:
    _setup_django()
    from secu4all.common.backups import BackupError, backup_create

    try:
        summary = backup_create(Path(args.file))
    except BackupError as error:
        print(f"secu4all backup: {error}", file=sys.stderr)
        return 1
    print(
        f"Backed up {summary.total_rows} rows in {len(summary.rows)} tables ({summary.engine}) "
        f"and {summary.files} uploaded files to {args.file}"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _setup_django()
    from secu4all.common.backups import BackupError, backup_restore

    try:
        summary = backup_restore(Path(args.file), replace=args.replace)
    except BackupError as error:
        print(f"secu4all restore: {error}", file=sys.stderr)
        return 1
    # A backup of an earlier release is brought up to this one.
    _migrate(verbosity=0)
    print(
        f"Restored {summary.total_rows} rows in {len(summary.rows)} tables ({summary.engine}) "
        f"and {summary.files} uploaded files from {args.file}; every table checked"
    )
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["secu4all manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    from secu4all.organisations.models import OrganisationKind

    parser = argparse.ArgumentParser(
        prog="secu4all",
        description="Secu4All: an open platform for safer public spaces. "
        "Data lives in $SECU4ALL_DATA_DIR (default ./var).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_serving_options(p: argparse.ArgumentParser, host: bool) -> None:
        p.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
        p.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="web processes (2 x cores + 1, or SECU4ALL_WEB_WORKERS)",
        )
        p.add_argument("--threads", type=int, default=4, help="threads per process (4)")
        p.add_argument("--access-log", action="store_true", help="log every request")
        if host:
            p.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")

    p = sub.add_parser("serve", help="serve the web platform")
    add_serving_options(p, host=True)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "demo", help="migrate, load the demo data once and serve on 127.0.0.1 with a task worker"
    )
    add_serving_options(p, host=False)
    p.add_argument("--no-worker", action="store_true", help="do not start a task worker")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("migrate", help="create or update the database tables")
    p.add_argument("-v", "--verbosity", type=int, default=1, choices=[0, 1, 2, 3])
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "backup", help="write the database, uploaded files and local key to one archive"
    )
    p.add_argument("file", help="the archive to write, e.g. secu4all-2026-12-03.tar.gz")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup into an empty database and data folder")
    p.add_argument("file", help="an archive written by secu4all backup")
    p.add_argument(
        "--replace", action="store_true", help="overwrite a database and files that hold data"
    )
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("createadmin", help="create a platform administrator (superuser)")
    p.add_argument("--username")
    p.add_argument("--email")
    p.add_argument(
        "--noinput",
        action="store_true",
        help="take the password from DJANGO_SUPERUSER_PASSWORD instead of asking",
    )
    p.set_defaults(func=cmd_createadmin)

    org = sub.add_parser("org", help="manage organisations")
    org_sub = org.add_subparsers(dest="org_command", required=True, metavar="ACTION")
    p = org_sub.add_parser("create", help="create an organisation")
    p.add_argument("slug", help="short name used in URLs, e.g. den-haag")
    p.add_argument("--name", required=True, help="full name, e.g. 'Gemeente Den Haag'")
    p.add_argument("--kind", default="municipality", choices=OrganisationKind.values)
    p.set_defaults(func=cmd_org_create)
    p = org_sub.add_parser("basemap", help="set an organisation's base map (a PMTiles archive)")
    p.add_argument("slug", help="the organisation's short name")
    p.add_argument("file", help="a PMTiles v3 archive of vector tiles of the region")
    p.add_argument("--attribution", default="", help="source shown on the map")
    p.add_argument("--public", action="store_true", help="serve it to everyone, not members only")
    p.set_defaults(func=cmd_org_basemap)

    incidents = sub.add_parser("incidents", help="import incident data")
    incidents_sub = incidents.add_subparsers(
        dest="incidents_command", required=True, metavar="ACTION"
    )
    p = incidents_sub.add_parser("import", help="import a file of incidents or area counts")
    p.add_argument("file", help="the CSV or GeoJSON file")
    p.add_argument("--format", required=True, choices=["police-uk", "csv", "geojson", "nl-police"])
    p.add_argument("--org", required=True, help="slug of the organisation that owns the data")
    p.add_argument("--mapping", help="JSON or YAML column mapping (csv and geojson formats)")
    p.add_argument("--json", action="store_true", help="print one JSON object with the counts")
    p.set_defaults(func=cmd_incidents_import)

    p = sub.add_parser("hotspots", help="write a hotspot map as GeoJSON, PNG or HTML")
    p.add_argument("--org", required=True, help="slug of the organisation")
    p.add_argument("--method", default="gistar", choices=["gistar", "kde", "local-moran"])
    p.add_argument("--cell", type=float, default=100.0, help="cell size in metres (100)")
    p.add_argument("--from", dest="date_from", help="first date, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="last date, YYYY-MM-DD")
    p.add_argument("--category", help="one category of the common taxonomy, e.g. burglary")
    p.add_argument("--out", required=True, help="output file: .geojson, .png or .html")
    p.set_defaults(func=cmd_hotspots)

    p = sub.add_parser("assess", help="assess a site described in a YAML file (no database)")
    p.add_argument("file", help="the YAML file; see examples/assessment-example.yaml")
    p.add_argument("--report", help="write the report as PDF to this file")
    p.add_argument("--json", help="write the full result as JSON to this file")
    p.add_argument("--tlp", default="TLP:AMBER", help="label on every page of the report")
    p.set_defaults(func=cmd_assess)

    curriculum = sub.add_parser("curriculum", help="check or load the training curriculum")
    curriculum_sub = curriculum.add_subparsers(
        dest="curriculum_command", required=True, metavar="ACTION"
    )
    for name, func, text in (
        ("check", cmd_curriculum_check, "check every file; print file:line: problem"),
        ("load", cmd_curriculum_load, "check, then load into the database (idempotent)"),
    ):
        p = curriculum_sub.add_parser(name, help=text)
        p.add_argument("path", nargs="?", help="the curriculum folder (content/curriculum)")
        p.set_defaults(func=func)

    p = sub.add_parser("xapi-forward", help="send pending learning statements to the LRS now")
    p.set_defaults(func=cmd_xapi_forward)

    p = sub.add_parser("worker", help="run the background task worker")
    p.add_argument("--burst", action="store_true", help="run the queued tasks, then stop")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser(
        "manage", help="pass the rest of the line to Django's manage.py", add_help=False
    )
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from django.core.exceptions import ImproperlyConfigured

    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["serve"], ["demo"]):
        _share_metrics_directory()
    try:
        # Models are imported for choices, so Django is configured before parsing.
        _setup_django()
        args = build_parser().parse_args(argv)
        return int(args.func(args) or 0)
    except ImproperlyConfigured as error:
        print(f"secu4all: configuration error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
