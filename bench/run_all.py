"""Run every benchmark, each in a fresh interpreter (so no warm-up carries over)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failures = 0
    print("| Benchmark | Ours | Reference | Ratio | Target | Met |")
    print("|---|---|---|---|---|---|")
    for script in sorted(HERE.glob("bench_*.py")):
        completed = subprocess.run([sys.executable, str(script)], check=False)
        failures += completed.returncode != 0
    return failures


if __name__ == "__main__":
    sys.exit(main())
