"""Cost sharing: the allocation engine at 2,000 pools x 200 receivers, beside a bare numpy solve.

The engine's figure includes building the share matrices from the request's dicts, solving, and rounding
every figure to the penny by largest remainder; the bare figure is the same system already held as
numpy/scipy arrays, solved and multiplied out in floating point with no rounding.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from bench.support import report, time_it

POOLS = 2_000
RECEIVERS = 200
# (label, share of other pools each pool serves, share of receivers each pool serves)
SHAPES = [
    ("dense: every receiver, 10% of pools", 0.10, 1.0),
    ("fully dense: every receiver and every pool", 1.0, 1.0),
    ("sparse: 20 receivers, 5 pools", 5 / POOLS, 20 / RECEIVERS),
]
METHODS = ("direct", "step_down", "reciprocal")


def make_problem(pool_share: float, receiver_share: float, seed: int = 20140401):
    """Random usage as arrays (for the bare solve) and as an AllocationRequest (for the engine)."""
    from onesource.costing.engine import AllocationRequest

    rng = np.random.default_rng(seed)
    pool_ids = [f"P{i:04d}" for i in range(POOLS)]
    receiver_ids = [f"R{j:03d}" for j in range(RECEIVERS)]
    cost_pennies = rng.integers(1_000_00, 5_000_000_00, size=POOLS)
    pool_links = max(1, round(pool_share * POOLS))
    receiver_links = max(1, round(receiver_share * RECEIVERS))
    pool_use = np.zeros((POOLS, POOLS))
    receiver_use = np.zeros((POOLS, RECEIVERS))
    for i in range(POOLS):
        pool_use[i, rng.choice(POOLS, pool_links, replace=False)] = rng.integers(1, 10, pool_links)
        receiver_use[i, rng.choice(RECEIVERS, receiver_links, replace=False)] = rng.integers(
            1, 100, receiver_links
        )
    np.fill_diagonal(pool_use, 0)
    usage: dict[str, dict[str, Decimal]] = {}
    for i, pool_id in enumerate(pool_ids):
        row = {pool_ids[k]: Decimal(int(pool_use[i, k])) for k in np.flatnonzero(pool_use[i])}
        row.update(
            {receiver_ids[j]: Decimal(int(receiver_use[i, j])) for j in np.flatnonzero(receiver_use[i])}
        )
        usage[pool_id] = row
    requests = {
        method: AllocationRequest(
            method=method,
            pools={p: Decimal(int(c)).scaleb(-2) for p, c in zip(pool_ids, cost_pennies, strict=True)},
            receivers={r: Decimal(0) for r in receiver_ids},
            usage=usage,
            order=pool_ids if method == "step_down" else None,
        )
        for method in METHODS
    }
    return requests, pool_use, receiver_use, cost_pennies / 100.0


def bare_solve(
    method: str, pool_use: np.ndarray, receiver_use: np.ndarray, direct: np.ndarray, *, dense: bool
):
    """The same system in plain numpy/scipy: shares, S = (I - Pᵀ)⁻¹D, receivers' amounts in floats."""
    if method == "direct":
        shares = receiver_use / receiver_use.sum(axis=1, keepdims=True)
        return shares * direct[:, None]
    counted = np.triu(pool_use, 1) if method == "step_down" else pool_use
    totals = counted.sum(axis=1) + receiver_use.sum(axis=1)
    if dense:
        system = np.eye(POOLS) - (counted / totals[:, None]).T
        totals_s = np.linalg.solve(system, direct)
    else:
        system = sp.identity(POOLS, format="csc") - sp.csr_matrix(counted / totals[:, None]).T.tocsc()
        totals_s = spla.spsolve(system, direct)
    return (receiver_use / totals[:, None]) * totals_s[:, None]


def engine_benchmarks() -> None:
    from onesource.costing.engine import allocate

    for label, pool_share, receiver_share in SHAPES:
        requests, pool_use, receiver_use, direct = make_problem(pool_share, receiver_share)
        dense = pool_share > 0.05
        entries = sum(len(row) for row in requests["reciprocal"].usage.values())
        print(f"-- {POOLS:,} pools x {RECEIVERS} receivers, {label} ({entries:,} usage entries)")
        for method in METHODS:
            ours, result = time_it(lambda m=method, r=requests: allocate(r[m]), repeat=3)
            assert result.pool_cost_in == result.allocated_out
            bare, _ = time_it(
                lambda m=method, d=dense, args=(pool_use, receiver_use, direct): bare_solve(
                    m, *args, dense=d
                ),
                repeat=3,
            )
            report(f"engine {method}", ours, bare)


def main() -> None:
    engine_benchmarks()


if __name__ == "__main__":
    main()
