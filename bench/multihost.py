"""Several machines on one: a database host, two web hosts and two worker hosts, each in its
own network namespace, and a web host and a worker host killed during an import under load.

    sudo .venv/bin/python bench/multihost.py [--rows 200000] [--keep-logs]

Needs root (iproute2 network namespaces, a veth pair per host on one bridge), PostgreSQL's
server binaries (`initdb`, `postgres`, run as the `postgres` user) and `redis-server`. The
hosts: ``db`` runs a private PostgreSQL (initdb in a temporary directory) and a private Redis;
``web1`` and ``web2`` run ``secu4all serve`` bound to their own address; ``wk1`` and ``wk2``
run ``secu4all worker`` on the Redis queue. Every host has its own data directory whose
``media`` folder is one shared directory (an NFS mount in a real deployment), so a file
uploaded to one web host is read by a worker on another. This process plays the client and
the TLS-terminating proxy: a small round robin over both web hosts that sends a request to
the other host when one refuses or drops it (as nginx's ``proxy_next_upstream`` does).

Steps: light load on both web hosts; a police.uk file uploaded through the web; the web host
that took the upload killed (SIGKILL to every process in its namespace); the worker host
running the import killed mid-import; the import taken up by the other worker from its last
committed batch; the rows counted in the database; then, as the reference, the same file
imported without faults. Exit status 0 when every check holds.

Names carry this process's id (``s4amh-<pid>-db``, bridge ``s4m<pid>br``), so concurrent runs
do not meet; leftovers of a run whose process is gone (killed, crashed) are removed first.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "s4amh"
HOST_NAME = "secu4all.test"  # the public name the proxy forwards, in ALLOWED_HOSTS
ORG = "multihost"
REFERENCE_ORG = "multihost-reference"  # the same file again, without faults
USERNAME = "analyst"
PASSWORD = "multihost-" + secrets.token_hex(8)
HOSTS = {"db": 2, "web1": 11, "web2": 12, "wk1": 21, "wk2": 22}  # last octet of each address
WEB_PORT = 8000
STALE_SECONDS = 20


def sh(*args: str, check: bool = True) -> str:
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- namespaces: set up, torn down, and the leftovers of dead runs removed ---


def namespaces() -> list[str]:
    return [line.split()[0] for line in sh("ip", "netns", "list").splitlines() if line.strip()]


def teardown(run_id: int) -> None:
    """Remove everything of one run: its processes, namespaces, bridge and files. Idempotent."""
    for ns in namespaces():
        if ns.startswith(f"{PREFIX}-{run_id}-"):
            for pid in sh("ip", "netns", "pids", ns, check=False).split():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(pid), signal.SIGKILL)
            sh("ip", "netns", "del", ns, check=False)
    # A deleted namespace takes its veth pairs with it only when the kernel gets round to
    # it (seconds or more on a busy machine): the host ends are deleted now.
    for link in (*HOSTS, "br"):
        sh("ip", "link", "del", f"s4m{run_id}{link}", check=False)
    shutil.rmtree(Path(tempfile.gettempdir()) / f"{PREFIX}-{run_id}", ignore_errors=True)


def remove_leftovers() -> list[int]:
    """Tear down the runs whose process is gone; which they were."""
    dead = set()
    for ns in namespaces():
        match = re.fullmatch(rf"{PREFIX}-(\d+)-\w+", ns)
        if match and not pid_alive(int(match.group(1))):
            dead.add(int(match.group(1)))
    links = "|".join((*HOSTS, "br"))
    for link in sh("ip", "-o", "link").splitlines():
        match = re.search(rf"\d+: s4m(\d+)(?:{links})[:@]", link)
        if match and not pid_alive(int(match.group(1))):
            dead.add(int(match.group(1)))
    for run_id in dead:
        teardown(run_id)
    return sorted(dead)


def free_subnet(run_id: int) -> str:
    """A /24 in 10.213.0.0/16 that no interface of this machine uses; the search starts at
    one the run's id picks, so two runs starting together do not take the same one."""
    used = sh("ip", "-4", "-o", "addr")
    for step in range(254):
        third = (run_id + step) % 254 + 1
        if f"10.213.{third}." not in used:
            return f"10.213.{third}"
    raise RuntimeError("no free /24 in 10.213.0.0/16")


@dataclass
class Network:
    run_id: int
    subnet: str  # the first three octets

    def ns(self, host: str) -> str:
        return f"{PREFIX}-{self.run_id}-{host}"

    def address(self, host: str) -> str:
        return f"{self.subnet}.{HOSTS[host]}"

    @property
    def proxy(self) -> str:
        return f"{self.subnet}.1"

    def create(self) -> None:
        bridge = f"s4m{self.run_id}br"
        sh("ip", "link", "add", bridge, "type", "bridge")
        sh("ip", "addr", "add", f"{self.proxy}/24", "dev", bridge)
        sh("ip", "link", "set", bridge, "up")
        for host in HOSTS:
            ns, outside, inside = self.ns(host), f"s4m{self.run_id}{host}", "eth0"
            sh("ip", "netns", "add", ns)
            sh("ip", "link", "add", outside, "type", "veth", "peer", "name", f"{outside}i")
            sh("ip", "link", "set", f"{outside}i", "netns", ns)
            sh("ip", "-n", ns, "link", "set", f"{outside}i", "name", inside)
            sh("ip", "-n", ns, "addr", "add", f"{self.address(host)}/24", "dev", inside)
            sh("ip", "-n", ns, "link", "set", inside, "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "link", "set", outside, "master", bridge, "up")


# --- the hosts' processes ---


@dataclass
class Hosts:
    net: Network
    work: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def environment(self, host: str) -> dict[str, str]:
        db = self.net.address("db")
        data = self.work / "hosts" / host
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("SECU4ALL_", "DJANGO_", "PROMETHEUS_"))
        }
        env.update(
            {
                "PYTHONPATH": str(ROOT / "src"),
                "SECU4ALL_ENV": "production",
                "SECRET_KEY": self.secret_key,
                "ALLOWED_HOSTS": HOST_NAME,
                "SECU4ALL_TRUSTED_PROXIES": self.net.proxy,
                "SECU4ALL_METRICS_ALLOWED": self.net.proxy,
                "DATABASE_URL": f"postgres://postgres@{db}:5432/secu4all",
                "DATABASE_CONN_MAX_AGE": "60",
                "REDIS_URL": f"redis://{db}:6379/0",
                "SECU4ALL_CACHE_URL": f"redis://{db}:6379/1",
                "SECU4ALL_TASK_BACKEND": "rq",
                "SECU4ALL_DATA_DIR": str(data),
                # A lost import is taken up after 20 s without a committed batch, not 15 min.
                "SECU4ALL_IMPORT_STALE_SECONDS": str(STALE_SECONDS),
                "SECU4ALL_IMPORT_BATCH_ROWS": "10000",
            }
        )
        return env

    @property
    def secret_key(self) -> str:
        key_file = self.work / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(64))
        return key_file.read_text()

    def prepare_data_directories(self) -> None:
        """One data directory per host; their uploads (media, basemaps) shared directories."""
        for host in ("web1", "web2", "wk1", "wk2"):
            data = self.work / "hosts" / host
            data.mkdir(parents=True, exist_ok=True)
            for folder in ("media", "basemaps"):
                shared = self.work / "shared" / folder
                shared.mkdir(parents=True, exist_ok=True)
                (data / folder).symlink_to(shared, target_is_directory=True)

    def start(
        self, host: str, *command: str, user: str | None = None, name: str | None = None
    ) -> subprocess.Popen:
        """Start a command in the host's namespace, in its own process group, known by its
        host's name unless given another (the db host runs two)."""
        log = (self.work / "logs" / f"{host}.log").open("ab")
        prefix = ["ip", "netns", "exec", self.net.ns(host)]
        if user:
            prefix += ["runuser", "-u", user, "--"]
        process = subprocess.Popen(
            [*prefix, *command],
            env=self.environment(host),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=self.work,
        )
        self.processes[name or host] = process
        return process

    def alive(self, host: str) -> bool:
        """True while the host's main process runs; raises, pointing at its log, once it ended."""
        if self.processes[host].poll() is None:
            return True
        raise RuntimeError(f"{host} stopped; see {self.work / 'logs' / host}.log")

    def kill(self, host: str) -> None:
        """Pull the plug: SIGKILL to every process in the host's namespace. (Not only its
        process group: RQ runs each job in a child of its own session, which would live on.)"""
        ns = self.net.ns(host)
        while pids := sh("ip", "netns", "pids", ns).split():
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(pid), signal.SIGKILL)
            time.sleep(0.05)
        self.processes[host].wait()

    def secu4all(self, *args: str) -> str:
        """Run a secu4all command from the client machine (the operator's shell)."""
        done = subprocess.run(
            [sys.executable, "-m", "secu4all.cli", *args],
            env=self.environment("web1"),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"secu4all {args[0]}: {done.stderr[-2000:]}")
        return done.stdout

    def start_database_host(self) -> None:
        pgdata, address = self.work / "pgdata", self.net.address("db")
        pgdata.mkdir()
        shutil.chown(pgdata, "postgres", "postgres")
        initdb = ["runuser", "-u", "postgres", "--", "initdb", "-D", str(pgdata)]
        sh(*initdb, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C")
        with (pgdata / "pg_hba.conf").open("a") as hba:
            hba.write(f"host all all {self.net.subnet}.0/24 trust\n")
        self.start(
            "db",
            "postgres",
            "-D",
            str(pgdata),
            "-c",
            f"listen_addresses={address}",
            "-c",
            f"unix_socket_directories={pgdata}",
            "-c",
            "max_connections=200",
            user="postgres",
            name="postgres",
        )
        # Protected mode admits loopback only; this Redis listens on the private network
        # only, as a deployment's should.
        redis = ["redis-server", "--bind", address, "--port", "6379", "--save", ""]
        self.start("db", *redis, "--protected-mode", "no", name="redis")
        deadline = time.monotonic() + 60
        while sh("pg_isready", "-h", address, "-U", "postgres", check=False).find("accepting") < 0:
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not start; see {self.work}/logs/db.log")
            time.sleep(0.3)
        sh("psql", "-h", address, "-U", "postgres", "-c", "CREATE DATABASE secu4all")

    def start_web(self, host: str) -> None:
        self.start(
            host,
            sys.executable,
            "-m",
            "secu4all.cli",
            "serve",
            "--host",
            self.net.address(host),
            "--port",
            str(WEB_PORT),
            "--workers",
            "2",
            "--threads",
            "4",
        )

    def start_worker(self, host: str) -> None:
        self.start(host, sys.executable, "-m", "secu4all.cli", "worker")


# --- the client: a round robin over the web hosts with fail-over, playing the TLS proxy ---


class Client:
    def __init__(self, addresses: list[str]) -> None:
        import requests

        self.requests = requests
        self.bases = [f"http://{address}:{WEB_PORT}" for address in addresses]
        self.turn = itertools.count()
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()

    def headers(self) -> dict[str, str]:
        # What nginx adds in front of the platform: the public name and that TLS was spoken.
        return {
            "Host": HOST_NAME,
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{HOST_NAME}",
            "Referer": f"https://{HOST_NAME}/",
        }

    def request(self, method: str, path: str, *, only: int | None = None, **kw):
        """Send to the next host (or ``only`` that one); a GET whose host refused or dropped
        the connection goes to the other one (a POST is not sent twice, as nginx does not
        repeat one a host may have received). Counts the outcomes."""
        start = next(self.turn) if only is None else only
        hosts = [self.bases[(start + i) % len(self.bases)] for i in range(len(self.bases))]
        if only is not None or method != "GET":
            hosts = hosts[:1]
        for attempt, base in enumerate(hosts):
            try:
                response = self.requests.request(
                    method,
                    base + path,
                    headers=self.headers(),
                    cookies=dict(self.cookies),
                    allow_redirects=False,
                    timeout=30,
                    **kw,
                )
            except self.requests.ConnectionError:
                continue
            with self.lock:
                self.cookies.update(response.cookies.get_dict())
                ok = response.status_code < 500
                self.counts["ok" if ok and attempt == 0 else "failed over" if ok else "5xx"] += 1
            return response
        with self.lock:
            self.counts["failed"] += 1
        return None

    def sign_in(self) -> None:
        self.request("GET", "/accounts/login/")
        response = self.request(
            "POST",
            "/accounts/login/",
            data={
                "username": USERNAME,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            },
        )
        if response is None or response.status_code != 302:
            raise RuntimeError(f"sign-in refused: {response and response.status_code}")

    def upload(self, file: Path, host: int, org: str = ORG) -> int:
        """Start the import through the import page of one web host; the run's id."""
        with file.open("rb") as handle:
            response = self.request(
                "POST",
                f"/o/{org}/incidents/imports/",
                only=host,
                data={"format": "police-uk", "csrfmiddlewaretoken": self.cookies["csrftoken"]},
                files={"file": (file.name, handle, "text/csv")},
            )
        if response is None or response.status_code != 302:
            raise RuntimeError(f"upload refused: {response and response.status_code}")
        return int(re.search(r"/imports/(\d+)/", response.headers["Location"]).group(1))

    def progress(self, run_id: int, org: str = ORG) -> dict | None:
        response = self.request("GET", f"/o/{org}/incidents/imports/{run_id}/?format=json")
        return response.json() if response is not None and response.status_code == 200 else None


class Load:
    """Light load: two readers sharing the signed-in session, each reading a page every 0.1 s,
    across both web hosts."""

    PATHS = ("/healthz", "/readyz", "/", f"/o/{ORG}/incidents/imports/", f"/o/{ORG}/")

    def __init__(self, client: Client) -> None:
        self.client = client
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.loop, daemon=True) for _ in range(2)]

    def loop(self) -> None:
        for path in itertools.cycle(self.PATHS):
            if self.stop.is_set():
                return
            self.client.request("GET", path)
            time.sleep(0.1)

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


# --- the data ---


def police_uk_file(path: Path, rows: int, rejected_every: int = 97) -> tuple[int, int]:
    """A police.uk file of ``rows`` distinct crimes; every ``rejected_every``th has a month
    that does not exist. Returns (importable rows, rejected rows)."""
    import numpy as np

    rng = np.random.default_rng(16)
    lon = -1.55 + rng.normal(0, 0.03, rows)
    lat = 53.80 + rng.normal(0, 0.02, rows)
    month = rng.integers(1, 13, rows)
    year = rng.integers(2021, 2025, rows)
    types = np.array(["Burglary", "Violence and sexual offences", "Bicycle theft", "Drugs"])
    kinds = types[rng.integers(0, len(types), rows)]
    header = (
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        "LSOA name,Crime type,Last outcome category,Context\n"
    )
    rejected = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(header)
        for i in range(rows):
            when = f"{year[i]}-{month[i]:02d}"
            if i % rejected_every == rejected_every - 1:
                when, rejected = f"{year[i]}-13", rejected + 1
            out.write(
                f"mh{i:08d},{when},West Yorkshire Police,West Yorkshire Police,"
                f"{lon[i]:.6f},{lat[i]:.6f},On or near Street {i % 500},E0100{i % 900:04d},"
                f"Leeds {i % 900:03d}A,{kinds[i]},Under investigation,\n"
            )
    return rows - rejected, rejected


VERIFY = """
import json
from django_scopes import scopes_disabled
from secu4all.incidents.models import ImportRun, Incident, RejectedRow
with scopes_disabled():
    run = ImportRun.objects.get(pk={run_id})
    rows = Incident.objects.filter(import_run=run)
    print(json.dumps({{
        "status": run.status, "attempts": run.attempts, "imported": run.imported,
        "rejected": run.rejected, "duplicates": run.duplicates, "message": run.message,
        "rows_found": rows.count(),
        "fingerprints": rows.values("fingerprint").distinct().count(),
        "in_organisation": Incident.objects.filter(organisation=run.organisation).count(),
        "rejections_found": RejectedRow.objects.filter(run=run).count(),
        "tasks_waiting": __import__("django_rq").get_queue("default").count,
    }}))
"""

SETUP = """
from django.contrib.auth import get_user_model
from secu4all.organisations.services import organisation_create, membership_grant
user = get_user_model().objects.create_user(username={user!r}, password={password!r})
for slug in {orgs!r}:
    organisation = organisation_create(slug=slug, name=slug)
    membership_grant(actor=None, organisation=organisation, user=user, role="analyst")
"""


def running_worker_host(hosts: Hosts) -> str | None:
    """The worker host whose worker runs a job now, from the workers' own record in Redis."""
    from redis import Redis
    from rq import Worker

    connection = Redis.from_url(hosts.environment("wk1")["REDIS_URL"])
    for worker in Worker.all(connection=connection):
        if worker.get_current_job_id():
            ns = sh("ip", "netns", "identify", str(worker.pid), check=False).strip()
            for host in ("wk1", "wk2"):
                if ns == hosts.net.ns(host):
                    return host
    return None


# --- the run ---


@dataclass
class Step:
    name: str
    killed: str
    ok: int
    failed_over: int
    failed: int
    rows: str
    seconds: float


def wait_until(check, what: str, timeout: float, interval: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


def run(rows: int, work: Path) -> int:
    net = Network(os.getpid(), free_subnet(os.getpid()))
    net.create()
    hosts = Hosts(net, work)
    (work / "logs").mkdir()
    hosts.prepare_data_directories()
    steps: list[Step] = []
    started = time.monotonic()
    hosts.start_database_host()
    hosts.secu4all("migrate", "-v", "0")
    setup = SETUP.format(orgs=[ORG, REFERENCE_ORG], user=USERNAME, password=PASSWORD)
    hosts.secu4all("manage", "shell", "-c", setup)
    for host in ("web1", "web2"):
        hosts.start_web(host)
    for host in ("wk1", "wk2"):
        hosts.start_worker(host)
    client = Client([net.address("web1"), net.address("web2")])
    for host in (0, 1):
        wait_until(
            lambda host=host: (
                hosts.alive(f"web{host + 1}")
                and (r := client.request("GET", "/readyz", only=host)) is not None
                and r.status_code == 200
            ),
            f"web host {host + 1} to be ready",
            timeout=300,
        )
    expected, rejected = police_uk_file(work / "crimes.csv", rows)
    client.counts.clear()
    steps.append(Step("five hosts up, migrated", "", 0, 0, 0, "", time.monotonic() - started))

    def step(name: str, killed: str, since: float, rows_text: str = "") -> None:
        counts = dict(client.counts)
        client.counts.clear()
        steps.append(
            Step(
                name,
                killed,
                counts.get("ok", 0),
                counts.get("failed over", 0),
                counts.get("failed", 0) + counts.get("5xx", 0),
                rows_text,
                time.monotonic() - since,
            )
        )

    with Load(client):
        since = time.monotonic()
        client.sign_in()
        time.sleep(5)
        step("light load, all hosts up", "", since)

        since = uploaded = time.monotonic()
        run_id = client.upload(work / "crimes.csv", host=0)
        step(f"{rows:,} rows uploaded to web1", "", since)

        since = time.monotonic()
        busy = wait_until(
            lambda: (
                (p := client.progress(run_id)) and p["status"] == "running" and p["processed"] and p
            ),
            "the first committed batch",
            timeout=600,
        )
        hosts.kill("web1")
        step("import running", "web1 (SIGKILL)", since, f"{busy['processed']:,}/{busy['rows']:,}")

        # The worker is killed well into the import, so it resumes from a batch in the middle.
        since = time.monotonic()
        progress = wait_until(
            lambda: (
                (p := client.progress(run_id))
                and (p["status"] != "running" or p["processed"] >= 0.4 * p["rows"])
                and p
            ),
            "the import to pass 40 %",
            timeout=600,
            interval=0.2,
        )
        worker = running_worker_host(hosts)
        if worker is None or progress.get("status") != "running":
            print(f"The import was no longer running when the worker was to be killed: {progress}")
        else:
            hosts.kill(worker)
        step(
            "import running on one worker",
            f"{worker} (SIGKILL)" if worker else "none",
            since,
            f"{progress.get('processed', 0):,}/{progress.get('rows', 0):,}",
        )

        since = time.monotonic()
        final = wait_until(
            lambda: (p := client.progress(run_id)) and p["status"] in {"done", "failed"} and p,
            "the import to end",
            timeout=900,
            interval=1,
        )
        step("import taken up and finished", "", since, f"{final['imported']:,}/{expected:,}")
        with_faults = time.monotonic() - uploaded

        # The reference, in the same run: the same file on the hosts left, nothing killed.
        since = time.monotonic()
        reference_id = client.upload(work / "crimes.csv", host=1, org=REFERENCE_ORG)
        reference = wait_until(
            lambda: (
                (p := client.progress(reference_id, REFERENCE_ORG))
                and p["status"] in {"done", "failed"}
                and p
            ),
            "the reference import to end",
            timeout=900,
            interval=1,
        )
        without_faults = time.monotonic() - since
        step(
            "reference: same file to web2, no fault",
            "",
            since,
            f"{reference['imported']:,}/{expected:,}",
        )

    facts = __import__("json").loads(
        hosts.secu4all("manage", "shell", "-c", VERIFY.format(run_id=run_id)).splitlines()[-1]
    )
    checks = {
        "ImportRun done": facts["status"] == "done",
        "taken up again (attempts >= 2)": facts["attempts"] >= 2,
        "rows found = importable rows": facts["rows_found"] == expected,
        "no duplicate rows (distinct fingerprints)": facts["fingerprints"] == expected,
        "run counts imported = importable rows": facts["imported"] == expected,
        "nothing else in the organisation": facts["in_organisation"] == expected,
        "rejected rows reported once each": facts["rejections_found"]
        == rejected
        == facts["rejected"],
        "no request lost (failed = 0)": all(s.failed == 0 for s in steps),
        "no task left waiting": facts["tasks_waiting"] == 0,
        "reference import done, every row": reference["status"] == "done"
        and reference["imported"] == expected,
    }
    print_table(steps, expected, facts, checks, time.monotonic() - started)
    print(
        f"Import from upload to done: {with_faults:.1f} s with a web host and the import's worker "
        f"killed, {without_faults:.1f} s without faults (reference, same run): "
        f"{with_faults / without_faults:.2f}x; the lost worker is noticed after "
        f"SECU4ALL_IMPORT_STALE_SECONDS = {STALE_SECONDS} s without a committed batch."
    )
    return 0 if all(checks.values()) else 1


def print_table(steps: list[Step], expected: int, facts: dict, checks: dict, total: float) -> None:
    print("\n| step | killed | requests ok | failed over | failed | import rows | time |")
    print("|---|---|---|---|---|---|---|")
    for s in steps:
        print(
            f"| {s.name} | {s.killed or '—'} | {s.ok} | {s.failed_over} | {s.failed} | "
            f"{s.rows or '—'} | {s.seconds:.1f} s |"
        )
    print(
        f"\nImport: expected {expected:,} rows, found {facts['rows_found']:,} "
        f"({facts['fingerprints']:,} distinct), {facts['rejections_found']:,} rejected rows "
        f"reported, run {facts['status']} after {facts['attempts']} attempts; total {total:.0f} s."
    )
    if facts["message"]:
        print(f"Run message: {facts['message']}")
    for name, held in checks.items():
        print(f"  {'ok  ' if held else 'FAIL'} {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000, help="rows in the import (200,000)")
    parser.add_argument(
        "--keep-logs", action="store_true", help="copy the hosts' logs to ./multihost-logs"
    )
    parser.add_argument(
        "--cleanup", action="store_true", help="only remove what earlier runs left behind"
    )
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("multihost.py needs root: it creates network namespaces.", file=sys.stderr)
        return 2
    left = remove_leftovers()
    if left:
        print(f"Removed what earlier runs left behind: {', '.join(map(str, left))}")
    if args.cleanup:
        return 0
    work = Path(tempfile.gettempdir()) / f"{PREFIX}-{os.getpid()}"
    work.mkdir(mode=0o755)
    # SIGTERM unwinds like Ctrl+C, so the namespaces are removed on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return run(args.rows, work)
    finally:
        if args.keep_logs and (work / "logs").exists():
            shutil.copytree(work / "logs", Path("multihost-logs"), dirs_exist_ok=True)
        teardown(os.getpid())


if __name__ == "__main__":
    sys.exit(main())
