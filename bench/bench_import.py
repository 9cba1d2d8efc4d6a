"""Incident import and map page at scale: 1,000,000 CSV rows into SQLite and PostgreSQL.

Targets (issue 4): import ≤ 60 s per database; the crime overview for 1,000,000
incidents answers in ≤ 1 s. References measured in the same run: one ORM ``save()`` per
row (on a sample, scaled linearly), and shipping every point as GeoJSON (the naive map).

    python bench/bench_import.py [--rows N] [--db sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from secu4all.incidents import demo_generator

ROOT = Path(__file__).resolve().parents[1]


def make_csv(rows: int, seed: int = 1) -> bytes:
    import numpy as np

    rng = np.random.default_rng(seed)
    lon = 4.30 + rng.normal(0, 0.02, rows)
    lat = 52.078 + rng.normal(0, 0.012, rows)
    day = rng.integers(0, 730, rows)
    dates = (np.datetime64("2024-01-01") + day).astype(str)
    minutes = rng.integers(0, 1440, rows)
    times = [f"{m // 60:02d}:{m % 60:02d}" for m in minutes]
    categories = np.array(["burglary", "violence", "bicycle-theft", "criminal-damage", "drugs"])
    cats = categories[rng.integers(0, 5, rows)]
    lines = ["id,date,time,category,lon,lat,area,area_name"]
    lines += [
        f"B{i},{d},{t},{c},{x:.6f},{y:.6f},BU0999{i % 9}00,Area {i % 9}"
        for i, (d, t, c, x, y) in enumerate(zip(dates, times, cats, lon, lat, strict=True))
    ]
    return ("\n".join(lines) + "\n").encode()


# The demo generator writes the same columns, so its mapping serves the benchmark too.
MAPPING = demo_generator.MAPPING


def run_one(rows: int, db: str) -> None:
    def verdict(met: bool) -> str:
        # The targets speak of a million rows; smaller runs are for trying the script.
        return ("yes" if met else "NO") if rows >= 1_000_000 else "n/a below 1,000,000 rows"

    os.environ["DJANGO_SETTINGS_MODULE"] = "secu4all.site.settings.local"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django_scopes import scope, scopes_disabled

    from secu4all.incidents.models import Incident
    from secu4all.incidents.services import import_run_create, import_run_execute
    from secu4all.organisations.services import membership_grant, organisation_create

    call_command("migrate", verbosity=0)
    org = organisation_create(slug=f"bench-{uuid.uuid4().hex[:6]}", name="Bench")
    data = make_csv(rows)

    start = time.perf_counter()
    run = import_run_create(
        organisation=org,
        actor=None,
        file_name="bench.csv",
        data=None,
        format="csv",
        mapping=MAPPING,
    )
    run = import_run_execute(run=run, data=data)
    ours = time.perf_counter() - start
    assert run.imported == rows, (run.imported, run.rejected, run.message)

    # Reference: one ORM save per row, as a naive importer does, on a sample.
    sample = 2000
    template = Incident.objects.with_scope(organisation=org).first()
    start = time.perf_counter()
    with scope(organisation=org):
        for i in range(sample):
            template.pk = None
            template.fingerprint = f"naive-{i}"
            template.save()
    naive = (time.perf_counter() - start) * rows / sample

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=f"b{uuid.uuid4().hex[:6]}")
    membership_grant(actor=None, organisation=org, user=user, role="analyst")
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    url = f"/o/{org.slug}/incidents/?method=gistar&cell=100"
    client.get(url)  # warm caches (projection objects, templates)
    start = time.perf_counter()
    response = client.get(url)
    page = time.perf_counter() - start
    assert response.status_code == 200

    # Reference: the naive map ships every point to the browser as GeoJSON.
    import json

    start = time.perf_counter()
    with scopes_disabled():
        points = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [i.lon, i.lat]},
                "properties": {"category": i.category},
            }
            for i in Incident.objects.filter(organisation=org).only("lon", "lat", "category")
        ]
    json.dumps({"type": "FeatureCollection", "features": points})
    naive_map = time.perf_counter() - start

    print(
        f"| import {rows:,} rows, {db} | {ours:.1f} s | {naive:.0f} s (ORM save per row, "
        f"scaled from {sample:,}) | {naive / ours:,.0f}x | ≤ 60 s | "
        f"{verdict(ours <= 60)} |",
        flush=True,
    )
    print(
        f"| overview page, {rows:,} incidents, {db} | {page:.2f} s | {naive_map:.1f} s "
        f"(every point as GeoJSON) | {naive_map / page:,.0f}x | ≤ 1 s | "
        f"{verdict(page <= 1)} |",
        flush=True,
    )


def psql(sql: str) -> bool:
    """Run one statement on the local PostgreSQL server; False if it is not reachable."""
    command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql]
    return subprocess.run(command, check=False).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both", "child"], default="both")
    parser.add_argument("--child-db", default="")
    args = parser.parse_args()
    if args.db == "child":
        run_one(args.rows, args.child_db)
        return 0
    failures = 0
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        with tempfile.TemporaryDirectory() as data_dir:
            env = {**os.environ, "SECU4ALL_DATA_DIR": data_dir}
            env.pop("DATABASE_URL", None)
            name = f"secu4all_bench_{os.getpid()}"
            if db == "postgres":
                if not psql(f"CREATE DATABASE {name}"):
                    print("| PostgreSQL | not reachable at 127.0.0.1:5432: skipped |")
                    continue
                env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
            child = [
                sys.executable,
                __file__,
                "--db",
                "child",
                "--child-db",
                db,
                "--rows",
                str(args.rows),
            ]
            try:
                failures += subprocess.run(child, env=env, check=False).returncode != 0
            finally:
                if db == "postgres":
                    psql(f"DROP DATABASE IF EXISTS {name}")
    return failures


if __name__ == "__main__":
    sys.exit(main())
