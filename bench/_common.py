"""Timing, memory and reporting helpers shared by the benchmarks."""

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "chicago-burglary"


def best_time(function: Callable[[], object], repeats: int = 3) -> float:
    """Best wall-clock time of ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory_mb(function: Callable[[], object]) -> float:
    """Peak Python/numpy heap allocation during one call, in MB (tracemalloc)."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def report(name: str, ours: float, reference: float, reference_name: str, target: str, met: bool):
    """Print one result row: our time, the reference time, the ratio and the target."""
    print(
        f"| {name} | {ours:.3f} s | {reference:.2f} s ({reference_name}) | "
        f"{reference / ours:,.0f}x | {target} | {'yes' if met else 'NO'} |",
        flush=True,
    )
