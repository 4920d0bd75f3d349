"""What every benchmark shares: a database of its own, timing, and printing figures side by side."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent


def setup_django(name: str) -> None:
    """Use `var/bench-<name>.sqlite3`, or BENCH_DATABASE_URL (e.g. PostgreSQL) when it is set."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onesource.settings.dev")
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{PROJECT_DIR / 'var' / f'bench-{name}.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    (PROJECT_DIR / "var").mkdir(exist_ok=True)
    import django

    django.setup()


def time_it(fn: Callable[[], Any], *, repeat: int = 3) -> tuple[float, Any]:
    """Median wall time in seconds over `repeat` runs, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def report(label: str, ours: float, bare: float | None = None) -> None:
    """One line: our time, and beside it the bare query's time and the ratio."""
    line = f"{label:<60} {ours * 1000:10.1f} ms"
    if bare is not None:
        ratio = ours / bare if bare > 0 else float("inf")
        line += f"   bare {bare * 1000:10.1f} ms   ratio {ratio:6.1f}x"
    print(line, flush=True)
