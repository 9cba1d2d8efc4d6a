"""The scale benchmark runs end to end on a small SQLite database (its smoke version)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_scale_benchmark_smoke_run_compares_counts_with_rows(tmp_path) -> None:
    env = {**os.environ, "BENCH_TMP": str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(  # noqa: S603 (this interpreter on the project's own script)
        [sys.executable, str(ROOT / "bench" / "bench_scale.py"), "--rows", "3000"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert sum(line.startswith("| overview page") for line in lines) == 2, done.stdout
    assert any(line.startswith("| hotspot map") for line in lines), done.stdout
    assert any(line.startswith("| extrapolated to 60,000,000 rows") for line in lines)
