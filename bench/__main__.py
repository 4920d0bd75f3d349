"""Run every benchmark module (or those named: `python -m bench workforce`), each in its own process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    wanted = sys.argv[1:]
    modules = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if wanted:
        modules = [m for m in modules if any(w in m for w in wanted)]
    failed = []
    for module in modules:
        print(f"\n=== {module} ===", flush=True)
        if subprocess.call([sys.executable, "-m", f"bench.{module}"]) != 0:  # noqa: S603 - our own modules
            failed.append(module)
    if failed:
        print(f"\nBenchmarks that failed: {', '.join(failed)}")
        return 1
    print(f"\n{len(modules)} benchmark modules ran.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
