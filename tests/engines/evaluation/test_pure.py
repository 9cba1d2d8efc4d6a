"""The evaluation engine is pure: importing it loads neither Django nor pandas."""

import subprocess
import sys


def test_importing_the_engine_loads_no_django_and_no_pandas():
    code = (
        "import sys, secu4all.engines.evaluation; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'pandas')))"
    )
    completed = subprocess.run(  # noqa: S603 (our own interpreter, a fixed command)
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"
