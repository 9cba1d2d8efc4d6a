"""Ten million incidents: the crime overview and its hotspot map from counts, not rows.

Loads N incidents straight into a fresh database (PostgreSQL: one server-side INSERT ...
SELECT over generate_series, no rows through Python; SQLite: executemany of rows made with
numpy), builds the counts as ``rebuild_incident_counts`` does, then times through the
Django test client the crime overview page (which draws the hotspot map: Gi* on 100 m
cells), and the hotspot map's selector (``hotspot_layer``) alone. The reference is the same
page and selector reading the rows (the organisation's counts unmarked), in the same run.

Targets (issue 16, point 3): overview and map ≤ 1 s with 10,000,000 incidents in one
organisation on PostgreSQL, and with 1,000,000 on SQLite.

    python bench/bench_scale.py --db sqlite --rows 1000000
    python bench/bench_scale.py --db postgres --rows 10000000
    python bench/bench_scale.py --db postgres --rows 60000000 --organisations 43

Every run ends with its own figures extrapolated to the national scale (60,000,000 rows):
disk, load and counts build, from the bytes and seconds per row it measured.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date

NATIONAL = 60_000_000
YEARS = 10
SNAP_POINTS = 6000  # police.uk-style anonymised locations: many incidents share one
AREAS = 300
CATEGORIES = (
    "anti-social-behaviour",
    "violence",
    "other-theft",
    "criminal-damage",
    "shoplifting",
    "burglary",
    "vehicle-crime",
    "public-order",
    "drugs",
    "bicycle-theft",
    "robbery",
    "theft-from-person",
    "weapons",
    "other",
)
EPSG = 32631  # UTM 31N, around The Hague
X0, Y0 = 580_000, 5_760_000  # south-west corner of a 30 × 25 km region

COLUMNS = (
    "organisation_id, fingerprint, source_id, occurred_on, occurred_at, precision, month, "
    "weekday, hour, category, source_category, lon, lat, x, y, area_code, area_name, "
    "location_text, outcome, import_run_id, source_row"
)

# One row per g in 1..N: days in date order (monthly files arrive in order), snap points
# skewed to a few hot ones, 70 % with a time of day, 5 % without a location.
PG_INSERT = f"""
INSERT INTO incidents_incident ({COLUMNS})
SELECT %(org)s, %(org)s || '-' || lpad(g::text, 9, '0'), '', d, t, CASE WHEN t IS NULL
  THEN 'day' ELSE 'minute' END, date_trunc('month', d)::date,
  CASE WHEN t IS NULL THEN NULL ELSE extract(isodow FROM d)::int END,
  CASE WHEN t IS NULL THEN NULL ELSE extract(hour FROM t)::int END,
  (%(categories)s::text[])[1 + floor(power(random(), 2) * 14)::int], 'generated',
  CASE WHEN loc THEN 4.3 + (sx - 595000) / 68000.0 END,
  CASE WHEN loc THEN 52.0 + (sy - 5760000) / 111000.0 END,
  CASE WHEN loc THEN sx END, CASE WHEN loc THEN sy END,
  'E0' || lpad((p %% {AREAS})::text, 7, '0'), 'Area ' || (p %% {AREAS}), '', '', %(run)s, g
FROM (
  SELECT g, d, loc, p,
    CASE WHEN random() < 0.7 THEN d + make_interval(mins => floor(random() * 1440)::int)
    END AS t,
    {X0} + ((p * 7919) %% 30000) + random() * 20 AS sx,
    {Y0} + ((p * 104729) %% 25000) + random() * 20 AS sy
  FROM (
    SELECT g, DATE '2015-01-01' + (g::bigint * {YEARS * 365} / %(rows)s)::int AS d,
      random() > 0.05 AS loc, floor(power(random(), 3) * {SNAP_POINTS})::int AS p
    FROM generate_series(1, %(rows)s) AS g
  ) AS base
) AS placed
"""  # noqa: S608 (constants only; the values are parameters)


def sqlite_rows(org: int, run: int, rows: int, start: int, total: int):
    """The same incidents as PG_INSERT, made with numpy in batches for executemany."""
    import numpy as np

    rng = np.random.default_rng(start)
    g = np.arange(start, start + rows)
    days = (g.astype(np.int64) * YEARS * 365 // total).astype(int)
    points = (rng.random(rows) ** 3 * SNAP_POINTS).astype(int)
    located = rng.random(rows) > 0.05
    timed = rng.random(rows) < 0.7
    minutes = rng.integers(0, 1440, rows)
    sx = X0 + (points * 7919) % 30000 + rng.random(rows) * 20
    sy = Y0 + (points * 104729) % 25000 + rng.random(rows) * 20
    cats = (rng.random(rows) ** 2 * 14).astype(int)
    first = date(2015, 1, 1).toordinal()
    for i in range(rows):
        day = date.fromordinal(first + int(days[i]))
        at = None
        if timed[i]:
            at = f"{day.isoformat()} {minutes[i] // 60:02d}:{minutes[i] % 60:02d}:00"
        loc = bool(located[i])
        x, y = float(sx[i]), float(sy[i])
        yield (
            org,
            f"{org}-{g[i]:09d}",
            "",
            day.isoformat(),
            at,
            "minute" if at else "day",
            day.replace(day=1).isoformat(),
            day.isoweekday() if at else None,
            int(minutes[i] // 60) if at else None,
            CATEGORIES[cats[i]],
            "generated",
            4.3 + (x - 595000) / 68000 if loc else None,
            52.0 + (y - 5760000) / 111000 if loc else None,
            x if loc else None,
            y if loc else None,
            f"E0{points[i] % AREAS:07d}",
            f"Area {points[i] % AREAS}",
            "",
            "",
            run,
            int(g[i]),
        )


def load(connection, org: int, run: int, rows: int) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                PG_INSERT,
                {"org": org, "run": run, "rows": rows, "categories": list(CATEGORIES)},
            )
            return
        marks = ", ".join(["%s"] * 21)
        sql = f"INSERT INTO incidents_incident ({COLUMNS}) VALUES ({marks})"  # noqa: S608
        batch = 200_000
        for start in range(1, rows + 1, batch):
            cursor.executemany(
                sql, list(sqlite_rows(org, run, min(batch, rows + 1 - start), start, rows))
            )


def secondary_indexes(connection) -> list[str]:
    """Drop the incidents' plain indexes (rebuilt after the load, faster than kept up)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = 'incidents_incident'::regclass AND NOT "
                "EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                "tbl_name = 'incidents_incident' AND sql IS NOT NULL"
            )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f"DROP INDEX {name}")
    return [definition.replace(" ON ONLY ", " ON ") for _name, definition in found]


def disk_bytes(connection) -> dict[str, int]:
    tables = {
        "incidents": "incidents_incident",
        "counts": "incidents_incidentcellcount incidents_incidentcelltotal "
        "incidents_incidenttimecount incidents_incidentareacount",
    }
    sizes = {}
    with connection.cursor() as cursor:
        for key, names in tables.items():
            total = 0
            for name in names.split():
                if connection.vendor == "postgresql":
                    # A partitioned table's size is its partitions' (a plain table has
                    # no partition tree).
                    cursor.execute(
                        "SELECT pg_total_relation_size(%s::regclass) + coalesce((SELECT "
                        "sum(pg_total_relation_size(relid)) FROM pg_partition_tree(%s::regclass) "
                        "WHERE relid <> %s::regclass), 0)",
                        [name, name, name],
                    )
                else:
                    cursor.execute(
                        "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = %s OR name "
                        "IN (SELECT name FROM sqlite_master WHERE tbl_name = %s)",
                        [name, name],
                    )
                total += int(cursor.fetchone()[0])
            sizes[key] = total
    return sizes


def timed(function, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def run_one(rows: int, organisations: int, db: str) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "secu4all.site.settings.local"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_scopes import scope, scopes_disabled

    from secu4all.incidents import counts
    from secu4all.incidents.models import CountedOrganisation, ImportRun
    from secu4all.incidents.selectors import IncidentFilter, Selection, hotspot_layer
    from secu4all.organisations.services import membership_grant, organisation_create

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    per_org = rows // organisations
    orgs = []
    start = time.perf_counter()
    indexes = secondary_indexes(connection)
    for i in range(organisations):
        org = organisation_create(slug=f"scale-{i}-{uuid.uuid4().hex[:4]}", name=f"Force {i}")
        org.projection_epsg = EPSG
        org.save()
        with scope(organisation=org):
            run = ImportRun.objects.create(
                organisation=org, file_name="generated", format="csv", status="done"
            )
        load(connection, org.pk, run.pk, per_org)
        orgs.append(org)
    with connection.cursor() as cursor:
        for definition in indexes:
            cursor.execute(definition)
        cursor.execute("VACUUM ANALYZE" if db == "postgres" else "ANALYZE")
    loaded = time.perf_counter() - start

    start = time.perf_counter()
    with scopes_disabled():
        for org in orgs:
            counts.rebuild(org)
    if db == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    built = time.perf_counter() - start
    sizes = disk_bytes(connection)

    org = orgs[0]
    user = get_user_model().objects.create_user(username=f"b{uuid.uuid4().hex[:6]}")
    membership_grant(actor=None, organisation=org, user=user, role="analyst")
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    views = {
        "overview page": "?method=gistar&cell=100",
        "overview page, 2019-03-10 to 2020-06-20, violence": "?method=gistar&cell=100"
        "&date_from=2019-03-10&date_to=2020-06-20&category=violence",
    }
    failures = 0

    def page(query: str) -> None:
        # The hotspot layer is cached per data version (incidents.analyses): timed uncached.
        cache.clear()
        response = client.get(f"/o/{org.slug}/incidents/{query}")
        assert response.status_code == 200, response.status_code

    def layer() -> None:
        with scope(organisation=org):
            hotspot_layer(
                organisation=org,
                incidents=Selection(org, IncidentFilter()),
                method="gistar",
                cell=100,
            )

    results = []
    for name, query in views.items():
        page(query)  # warm caches (projection objects, templates)
        results.append((name, timed(lambda q=query: page(q), 3)))
    results.append(("hotspot map (hotspot_layer, Gi*, 100 m)", timed(layer, 3)))
    with scopes_disabled():
        CountedOrganisation.objects.filter(organisation=org).delete()
    reference = [timed(lambda q=query: page(q), 1) for query in views.values()]
    reference.append(timed(layer, 1))
    label = "PostgreSQL" if db == "postgres" else "SQLite"
    for (name, ours), rows_time in zip(results, reference, strict=True):
        met = ours <= 1
        failures += not met
        print(
            f"| {name}, {per_org:,} incidents, {label} | {ours:.3f} s | {rows_time:.2f} s "
            f"(the same from rows) | {rows_time / ours:,.0f}x | ≤ 1 s | "
            f"{'yes' if met else 'NO'} |",
            flush=True,
        )
    gb = 1e9
    print(
        f"| load {rows:,} rows in {organisations} organisation(s), {label} | {loaded:.0f} s | "
        f"counts built in {built:.0f} s | incidents {sizes['incidents'] / gb:.2f} GB, "
        f"counts {sizes['counts'] / gb:.3f} GB |",
        flush=True,
    )
    scale = NATIONAL / rows
    print(
        f"| extrapolated to {NATIONAL:,} rows (x{scale:.1f}, linear), {label} | load "
        f"{loaded * scale / 60:.0f} min | counts built in {built * scale / 60:.0f} min | "
        f"incidents {sizes['incidents'] * scale / gb:.0f} GB, counts at most "
        f"{sizes['counts'] * scale / gb:.1f} GB |",
        flush=True,
    )
    return failures


def psql(sql: str) -> bool:
    """Run one statement on the local PostgreSQL server; False if it is not reachable."""
    command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql]
    return subprocess.run(command, check=False).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--organisations", type=int, default=1)
    parser.add_argument("--db", choices=["sqlite", "postgres", "child"], default="sqlite")
    parser.add_argument("--child-db", default="")
    args = parser.parse_args()
    if args.db == "child":
        return run_one(args.rows, args.organisations, args.child_db)
    print(f"df before: {subprocess.check_output(['df', '-h', '/work']).decode().splitlines()[-1]}")
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as data_dir:
        env = {**os.environ, "SECU4ALL_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        name = f"secu4all_scale_{os.getpid()}"
        if args.db == "postgres":
            if not psql(f"CREATE DATABASE {name}"):
                print("| PostgreSQL | not reachable at 127.0.0.1:5432 |")
                return 1
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
        child = [
            sys.executable,
            __file__,
            "--db",
            "child",
            "--child-db",
            args.db,
            "--rows",
            str(args.rows),
            "--organisations",
            str(args.organisations),
        ]
        try:
            return subprocess.run(child, env=env, check=False).returncode
        finally:
            if args.db == "postgres":
                psql(f"DROP DATABASE IF EXISTS {name}")


if __name__ == "__main__":
    sys.exit(main())
