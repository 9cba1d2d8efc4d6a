"""Where the time of the slowest pages goes: each page requested in this process, as a
signed-in user, under pyinstrument; prints the time of each and the profile of the slow ones.

    .venv/bin/python bench/load/profile_pages.py [--threshold-ms 100]

A fresh data directory with the demo data (SQLite, or DATABASE_URL's database when set) is
made first, as bench/bench_load.py does; each page is requested three times and the last
request is profiled, so one-off costs (first import, an empty cache) are not what it shows.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

PAGES = {
    "admin": [
        "/o/havenstad/",
        "/o/havenstad/incidents/",
        "/o/havenstad/incidents/hotspots.geojson",
        "/o/havenstad/incidents/near-repeats/",
        "/o/havenstad/sites/",
        "/o/havenstad/sites/{site}/",
        "/o/havenstad/sites/{site}/assess/",
        "/o/havenstad/perception/",
        "/o/havenstad/perception/waves/{wave}/",
        "/o/havenstad/perception/waves/{wave}/fear-gap/",
        "/o/havenstad/partnerships/",
        "/o/havenstad/partnerships/{partnership}/",
        "/o/havenstad/partnerships/{partnership}/items/",
        "/o/havenstad/neighbourhoods/",
    ],
    "learner": ["/o/havenstad/training/", "/o/havenstad/training/lessons/{lesson}/"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threshold-ms", type=float, default=100.0)
    args = parser.parse_args()
    os.environ.setdefault("SECU4ALL_DATA_DIR", tempfile.mkdtemp(prefix="secu4all-profile-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "secu4all.site.settings.local"
    from secu4all import cli

    cli._setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from plan import build_plan
    from pyinstrument import Profiler

    from secu4all.shell.demo_loader import load_demo

    cli._migrate(verbosity=0)
    load_demo()
    directory = Path(os.environ["SECU4ALL_DATA_DIR"])
    plan = __import__("json").loads(
        build_plan(directory, import_background=10, import_burglaries=10).read_text()
    )
    ids = {
        "site": plan["sites"][0],
        "wave": plan["wave"]["pk"],
        "partnership": plan["partnerships"][0],
        "lesson": plan["lessons"][0],
    }
    slow = []
    for username, pages in PAGES.items():
        client = Client(HTTP_HOST="localhost")
        client.force_login(get_user_model().objects.get(username=username))
        for page in pages:
            url = page.format(**ids)
            for _ in range(2):
                client.get(url)
            profiler = Profiler(interval=0.001)
            start = time.perf_counter()
            with profiler:
                response = client.get(url)
            ms = 1000 * (time.perf_counter() - start)
            print(f"{response.status_code} {ms:7.0f} ms  {url}", flush=True)
            if ms >= args.threshold_ms:
                slow.append((ms, url, profiler))
    for ms, url, profiler in sorted(slow, key=lambda s: s[0], reverse=True):
        print(f"\n=== {url}: {ms:.0f} ms")
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
