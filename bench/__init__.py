"""Benchmarks: `make bench` runs every `bench/bench_*.py` module, each in its own process.

Each module defines `main()`, sets up Django on a database of its own with `bench.support.setup_django`,
builds the data it needs (usually `onesource demo --scale N`) and prints its figures with `report`.
Benchmarks are never part of `make test`: speed is measured here, not asserted in tests.
"""
