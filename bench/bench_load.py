"""Load test of the platform as deployed: `secu4all serve` and the task worker on loopback,
locust users (bench/load/locustfile.py) for a bounded time, and the database checked after.

For each database (a fresh data directory, migrate, the demo data) it runs, on one server:

1. ceiling: /healthz, which touches no database, with users sending as fast as they can:
   the most this server configuration answers (gunicorn, WSGI, Django's middleware);
2. saturation: the staff pages with the same users and no think time: what the platform
   answers at most, beside that ceiling;
3. staff: the target number of staff browsing and writing with 1–3 s think time, partners
   reading shared items, and one incidents import uploaded and run by the task worker;
4. survey burst (PostgreSQL): citizens answering the public survey, each from a network of
   its own behind the reverse proxy (127.0.0.1 is trusted as the proxy), then the complete
   responses counted in the database: none may be lost.

It prints one Markdown table per database, with the machine's load average (`uptime`)
beside each run: the machine is shared, and locust itself takes CPU from the server.

    .venv/bin/python bench/bench_load.py                      # SQLite 30 staff, PG 100 + burst
    .venv/bin/python bench/bench_load.py --database postgres --staff 100 --run-time 120
    .venv/bin/python bench/bench_load.py --database sqlite --staff 30 --skip-burst
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOAD = ROOT / "bench" / "load"
PYTHON = sys.executable
LOCUST = str(Path(PYTHON).with_name("locust"))
POSTGRES = "postgres://postgres@127.0.0.1:5432"
STAFF_CLASSES = ["Adviser", "Analyst", "Learner", "Partner", "Importer"]
NO_REQUESTS = {"requests": 0, "failures": 0, "rps": 0.0, "median": 0.0, "p95": 0.0, "p99": 0.0}


@dataclass(frozen=True)
class Target:
    p95_ms: float
    description: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_average() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(root: int) -> float:
    """CPU time (user + system) of a process, its live descendants and its reaped children.

    The web server's CPU per request does not depend on how busy the shared machine is, where
    its latency does: requests per CPU-second, page against /healthz, is the capacity ratio.
    """
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue  # gone meanwhile
        # utime, stime, cutime, cstime are fields 14-17 of stat, 12-15 after the name.
        total += sum(int(v) for v in fields[11:15]) / TICKS
        stack += [int(c) for c in children]
    return total


class Platform:
    """A fresh data directory (and PostgreSQL database), the server and the task worker."""

    def __init__(self, database: str, workers: int | None) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="secu4all-load-"))
        self.env = {
            **os.environ,
            "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{LOAD}",
            "SECU4ALL_DATA_DIR": str(self.directory / "data"),
            # Citizens arrive through the reverse proxy, which names them in X-Forwarded-For.
            "SECU4ALL_TRUSTED_PROXIES": "127.0.0.1",
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.database = None
        if database == "postgres":
            self.database = f"secu4all_load_{os.getpid()}"
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", self.database],
                check=True,
            )
            subprocess.run(
                ["createdb", "-h", "127.0.0.1", "-U", "postgres", self.database], check=True
            )
            self.env["DATABASE_URL"] = f"{POSTGRES}/{self.database}"
        if workers:
            self.env["SECU4ALL_WEB_WORKERS"] = str(workers)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.processes: list[subprocess.Popen] = []

    def prepare(self, import_rows: int) -> Path:
        """Migrate, load the demo data and write the plan; returns the plan's path."""
        background = max(import_rows * 8 // 10, 1)
        out = subprocess.run(
            [
                PYTHON,
                str(LOAD / "plan.py"),
                "prepare",
                str(self.directory),
                str(background),
                str(max(import_rows - background, 1)),
                "60",  # learners of their own, more than a run's learners
            ],
            env=self.env,
            check=False,
            capture_output=True,
            text=True,
        )
        if out.returncode:
            raise SystemExit(f"preparing the data failed:\n{out.stderr}")
        return Path(out.stdout.strip().splitlines()[-1])

    def state(self) -> dict:
        out = subprocess.run(
            [PYTHON, str(LOAD / "plan.py"), "count"],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    def start(self) -> None:
        log = (self.directory / "server.log").open("w")
        cli = [PYTHON, "-m", "secu4all.cli"]
        self.processes.append(
            subprocess.Popen(
                [*cli, "serve", "--port", str(self.port)], env=self.env, stdout=log, stderr=log
            )
        )
        self.processes.append(
            subprocess.Popen([*cli, "worker"], env=self.env, stdout=log, stderr=log)
        )
        deadline = time.monotonic() + 300  # collectstatic on a busy machine takes a while
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:  # noqa: S310 -- our own http://127.0.0.1
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(1)
        raise SystemExit(f"the server did not answer on {self.url}; see {log.name}")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.database:
            subprocess.run(
                [
                    "dropdb",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "--if-exists",
                    "--force",
                    self.database,
                ],
                check=False,
            )
        shutil.rmtree(self.directory, ignore_errors=True)


def run_locust(
    platform: Platform,
    plan: Path,
    name: str,
    classes: list[str],
    *,
    users: int,
    spawn_rate: float,
    seconds: int,
    think: str = "1,3",
    extra_env: dict | None = None,
) -> dict:
    """One bounded headless locust run; its per-scenario summary, with the load average."""
    summary = platform.directory / f"{name}.json"
    env = {
        **platform.env,
        "SECU4ALL_LOAD_PLAN": str(plan),
        "SECU4ALL_LOAD_SUMMARY": str(summary),
        "SECU4ALL_LOAD_THINK": think,
        **(extra_env or {}),
    }
    before = load_average()
    web = platform.processes[0].pid
    cpu = cpu_seconds(web)
    subprocess.run(
        [
            LOCUST,
            "-f",
            str(LOAD / "locustfile.py"),
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(spawn_rate),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "30",
            "--host",
            platform.url,
            "--csv",
            str(platform.directory / name),
            *classes,
        ],
        env=env,
        cwd=LOAD,
        check=False,
        capture_output=True,
        text=True,
    )
    if not summary.exists():
        raise SystemExit(f"locust wrote no summary for {name}")
    result = json.loads(summary.read_text())
    result["load"] = f"{before} -> {load_average()}"
    requests = sum(s["requests"] for s in result["scenarios"].values())
    result["cpu_ms_per_request"] = 1000 * (cpu_seconds(web) - cpu) / max(requests, 1)
    return result


def row(
    label: str,
    users: int,
    stats: dict,
    target: Target | None,
    load: str,
    met: bool | None = None,
    cpu_ms: float | None = None,
) -> str:
    errors = stats["failures"]
    if met is None and target is not None:
        met = stats["p95"] <= target.p95_ms and errors == 0
    return (
        f"| {label} | {users} | {stats['requests']:,} | {stats['rps']:.1f} | "
        f"{stats['median']:.0f} ms | {stats['p95']:.0f} ms | {stats['p99']:.0f} ms | {errors} | "
        f"{target.description if target else '-'} | "
        f"{'-' if met is None else ('yes' if met else 'NO')} | "
        f"{'-' if cpu_ms is None else f'{cpu_ms:.1f} ms'} | {load} |"
    )


def merged(summary: dict, scenarios: list[str]) -> dict:
    """Requests of several scenarios together: counts add up, percentiles are the worst."""
    parts = [summary["scenarios"][s] for s in scenarios if s in summary["scenarios"]]
    if not parts:
        return {**NO_REQUESTS}
    return {
        "requests": sum(p["requests"] for p in parts),
        "failures": sum(p["failures"] for p in parts),
        "rps": sum(p["rps"] for p in parts),
        "median": max(p["median"] for p in parts),
        "p95": max(p["p95"] for p in parts),
        "p99": max(p["p99"] for p in parts),
    }


def bench(database: str, args: argparse.Namespace) -> list[str]:
    staff = args.staff or (100 if database == "postgres" else 30)
    target = (
        Target(300, "p95 <= 300 ms, 0 errors")
        if database == "postgres"
        else Target(500, "p95 <= 500 ms, 0 errors")
    )
    platform = Platform(database, args.workers)
    lines = [
        f"\n### {database}: {staff} staff, {args.run_time} s, "
        f"{platform.env.get('SECU4ALL_WEB_WORKERS') or 'default'} web workers\n",
        "| Scenario | Users | Requests | req/s | Median | p95 | p99 | Errors | Target | Met | "
        "Server CPU / request | Load (1, 5, 15 min) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    problems: list[str] = []
    try:
        plan = platform.prepare(args.import_rows)
        platform.start()
        c = args.concurrency
        ceiling = run_locust(
            platform,
            plan,
            "ceiling",
            ["Health"],
            users=c,
            spawn_rate=c,
            seconds=args.ceiling_seconds,
            think="0,0",
        )
        top = ceiling["scenarios"]["ceiling"]
        ceiling_cpu = ceiling["cpu_ms_per_request"]
        lines.append(
            row(
                "ceiling: /healthz, no think time",
                c,
                top,
                None,
                ceiling["load"],
                cpu_ms=ceiling_cpu,
            )
        )
        saturation = run_locust(
            platform,
            plan,
            "saturation",
            STAFF_CLASSES[:4],
            users=c,
            spawn_rate=c,
            seconds=args.ceiling_seconds * 2,
            think="0,0",
        )
        pages = merged(saturation, ["staff", "partners"])
        ratio = pages["rps"] / top["rps"]
        # On a busy machine the rates say how much CPU the server got; CPU per request
        # says what it needs: the same ratio, free of the other processes.
        page_cpu = saturation["cpu_ms_per_request"]
        lines.append(
            row(
                f"saturation: staff pages, no think time: {ratio:.1%} of the ceiling's "
                f"req/s; {ceiling_cpu / page_cpu:.1%} of its requests per CPU-second "
                f"(sign-ins included)",
                c,
                pages,
                Target(float("inf"), ">= 50 % of the ceiling"),
                saturation["load"],
                met=ratio >= 0.5,
                cpu_ms=page_cpu,
            )
        )
        partners = max(1, staff // 10)
        run = run_locust(
            platform,
            plan,
            "staff",
            STAFF_CLASSES,
            users=staff + partners + 1,
            spawn_rate=args.spawn_rate,
            seconds=args.run_time,
            extra_env={"SECU4ALL_LOAD_PARTNERS": str(partners)},
        )
        scenarios = run["scenarios"]
        for name in ("staff", "partners", "sign-in"):
            scenarios.setdefault(name, {**NO_REQUESTS, "errors": ["no request made"]})
        lines.append(
            row(
                "staff: six capabilities, reads and writes",
                staff,
                scenarios["staff"],
                target,
                run["load"],
                cpu_ms=run["cpu_ms_per_request"],
            )
        )
        lines.append(
            row("partners: shared items", partners, scenarios["partners"], target, run["load"])
        )
        lines.append(
            row(
                "sign-in (once a session, Argon2)",
                staff + partners + 1,
                scenarios["sign-in"],
                None,
                run["load"],
            )
        )
        imports = platform.state()["imports"]
        last = imports[-1] if imports else {"imported": 0, "rows": 0, "seconds": 0, "status": "-"}
        watched = scenarios.get("import", {**NO_REQUESTS})
        lines.append(
            row(
                f"import during the run: {last['imported']:,} of {last['rows']:,} rows in "
                f"{last['seconds'] or 0:.0f} s ({last['status']}; "
                f"{last.get('duplicates', 0):,} already there, {len(imports)} run(s))",
                1,
                watched,
                Target(float("inf"), "finishes, 0 errors"),
                run["load"],
                met=last["status"] == "done" and watched["failures"] == 0,
            )
        )
        problems += [f"staff: {e}" for e in scenarios["staff"]["errors"]]
        problems += [f"partners: {e}" for e in scenarios["partners"]["errors"]]
        if database == "postgres" and not args.skip_burst:
            before = platform.state()["complete_responses"]
            n = args.respondents
            burst = run_locust(
                platform,
                plan,
                "burst",
                ["Respondent"],
                users=n,
                spawn_rate=n / args.burst_seconds,
                seconds=args.burst_seconds + 120,
                extra_env={"SECU4ALL_LOAD_RESPONDENTS": str(n)},
            )
            stored = platform.state()["complete_responses"] - before
            survey = burst["scenarios"].get("survey", {**NO_REQUESTS, "errors": []})
            met = (
                survey["p95"] <= 300
                and survey["failures"] == 0
                and stored == burst["respondents_done"] == n
            )
            lines.append(
                row(
                    f"survey burst: {burst['respondents_done']:,} of {n:,} sent in "
                    f"{burst['seconds']:.0f} s, {stored:,} stored",
                    n,
                    survey,
                    Target(300, f"{n:,} in {args.burst_seconds} s, p95 <= 300 ms, none lost"),
                    burst["load"],
                    met=met,
                    cpu_ms=burst["cpu_ms_per_request"],
                )
            )
            problems += [f"survey: {e}" for e in survey["errors"]]
    finally:
        platform.stop()
    lines += [f"\n- {p}" for p in problems[:10]]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--staff", type=int, help="concurrent staff (100 on PG, 30 on SQLite)")
    parser.add_argument("--run-time", type=int, default=150, help="seconds of the staff run")
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="staff signing in a second")
    parser.add_argument(
        "--concurrency", type=int, default=20, help="users of the ceiling and saturation runs"
    )
    parser.add_argument("--ceiling-seconds", type=int, default=20)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--burst-seconds", type=int, default=600)
    parser.add_argument("--skip-burst", action="store_true")
    parser.add_argument("--workers", type=int, help="web processes (default: 2 a core + 1)")
    args = parser.parse_args()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for database in databases:
        print("\n".join(bench(database, args)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
