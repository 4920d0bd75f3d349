"""Cost sharing: the allocation engine at 2,000 pools x 200 receivers, and a full recharge run for 50
partners, 2,000 support cost pools and 10 million time entries, each beside its bare equivalent.

- Engine: `allocate` from an AllocationRequest as `parse_request` makes it (usage quantities as floats):
  building the share matrices from the request's dicts, solving, and rounding every figure to the penny
  by largest remainder; then `parse_request` + `allocate` from the JSON body (every amount a string);
  bare: the same system already held as numpy/scipy arrays, solved and multiplied out in floating point
  with no rounding.
- Recharge run: `create_recharge_run` on the data `onesource demo --scale 50` generates (built once, then
  reused while the benchmark database exists); bare: the same SQL aggregations in one query each plus a
  sparse numpy solve of the support system and the time split, in floats, nothing saved.
"""

from __future__ import annotations

import functools
import time
from decimal import Decimal

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from bench.support import report, setup_django, time_it

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
    # Usage as parse_request holds it (driver quantities as floats) and as the JSON body gives it (strings).
    usage: dict[str, dict[str, float]] = {}
    usage_text: dict[str, dict[str, str]] = {}
    for i, pool_id in enumerate(pool_ids):
        to_pools, to_receivers = np.flatnonzero(pool_use[i]), np.flatnonzero(receiver_use[i])
        recipients = [pool_ids[k] for k in to_pools] + [receiver_ids[j] for j in to_receivers]
        quantities = pool_use[i, to_pools].tolist() + receiver_use[i, to_receivers].tolist()
        usage[pool_id] = dict(zip(recipients, quantities, strict=True))
        usage_text[pool_id] = dict(zip(recipients, (f"{q:.0f}" for q in quantities), strict=True))
    costs = {p: Decimal(int(c)).scaleb(-2) for p, c in zip(pool_ids, cost_pennies, strict=True)}
    requests = {
        method: AllocationRequest(
            method=method,
            pools=costs,
            receivers={r: Decimal(0) for r in receiver_ids},
            usage=usage,
            order=pool_ids if method == "step_down" else None,
        )
        for method in METHODS
    }
    bodies = {
        method: {
            "method": method,
            "pools": [{"id": p, "cost": f"{c:f}"} for p, c in costs.items()],
            "receivers": [{"id": r} for r in receiver_ids],
            "usage": usage_text,
            **({"order": pool_ids} if method == "step_down" else {}),
        }
        for method in METHODS
    }
    return requests, bodies, pool_use, receiver_use, cost_pennies / 100.0


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


def parse_and_allocate(body: dict):
    from onesource.costing.engine import allocate, parse_request

    return allocate(parse_request(body))


def engine_benchmarks() -> None:
    from onesource.costing.engine import allocate  # pure: needs no database

    for label, pool_share, receiver_share in SHAPES:
        requests, bodies, pool_use, receiver_use, direct = make_problem(pool_share, receiver_share)
        dense = pool_share > 0.05
        entries = sum(len(row) for row in requests["reciprocal"].usage.values())
        print(f"-- {POOLS:,} pools x {RECEIVERS} receivers, {label} ({entries:,} usage entries)")
        for method in METHODS:
            ours, result = time_it(functools.partial(allocate, requests[method]), repeat=3)
            assert result.pool_cost_in == result.allocated_out
            bare, _ = time_it(
                functools.partial(bare_solve, method, pool_use, receiver_use, direct, dense=dense),
                repeat=3,
            )
            report(f"engine {method}", ours, bare)
            parsed, result = time_it(functools.partial(parse_and_allocate, bodies[method]), repeat=1)
            assert result.pool_cost_in == result.allocated_out
            report(f"  parse_request + allocate from the JSON body, {method}", parsed, bare)


SCALE_PARTNERS = 50


def ensure_scaled_demo() -> None:
    from django.core.management import call_command

    from onesource.costing.demo_scaled import scaled_data_present

    call_command("migrate", interactive=False, verbosity=0)
    if scaled_data_present():
        print("-- reusing the scaled demo already in the benchmark database", flush=True)
        return
    print(
        f"-- building the demo at scale {SCALE_PARTNERS} (once; reused while the database exists)", flush=True
    )
    started = time.perf_counter()
    call_command("demo", scale=SCALE_PARTNERS)
    print(f"-- demo built in {time.perf_counter() - started:.0f} s", flush=True)


TIME_QUERY = (
    "SELECT service_id, partner_id, SUM(hours) FROM costing_timeentry "
    "WHERE date >= %s AND date <= %s GROUP BY service_id, partner_id"
)
TIME_QUERY_SQLITE = TIME_QUERY.replace("costing_timeentry", "costing_timeentry NOT INDEXED")


def bare_recharge(year: int) -> dict[tuple[int, int], float]:
    """The run's arithmetic with nothing around it: grouped SQL, then a sparse solve and the time split.

    Returns {(service id, partner id): shared actual cost charged} in floats, for front-line services."""
    from django.db import connection

    from onesource.costing.recharge import period_bounds

    start, end = period_bounds(year, None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT service_id, is_support FROM costing_agreement WHERE year = %s", [year])
        agreements = cursor.fetchall()
        cursor.execute(
            "SELECT service_id, SUM(amount) FROM costing_actualline "
            "WHERE year = %s AND owner_partner_id IS NULL GROUP BY service_id",
            [year],
        )
        actuals = dict(cursor.fetchall())
        cursor.execute(
            "SELECT service_id, SUM(amount) FROM costing_budgetline "
            "WHERE year = %s AND owner_partner_id IS NULL GROUP BY service_id",
            [year],
        )
        budgets = dict(cursor.fetchall())
        cursor.execute(
            "SELECT support_service_id, user_service_id, quantity FROM costing_supportusage WHERE year = %s",
            [year],
        )
        usage = cursor.fetchall()
        # One pass over the table: on SQLite the index would turn the scan into random reads.
        time_query = TIME_QUERY_SQLITE if connection.vendor == "sqlite" else TIME_QUERY
        cursor.execute(time_query, [start, end])
        hours = cursor.fetchall()
    pools = [sid for sid, is_support in agreements if is_support]
    lines = [sid for sid, is_support in agreements if not is_support]
    pool_index = {sid: i for i, sid in enumerate(pools)}
    line_index = {sid: j for j, sid in enumerate(lines)}
    n, m = len(pools), len(lines)
    usage_arr = np.array([(s, u, float(q)) for s, u, q in usage], dtype=np.float64).reshape(-1, 3)
    src = np.array([pool_index.get(int(s), -1) for s in usage_arr[:, 0]])
    to_pool = np.array([pool_index.get(int(u), -1) for u in usage_arr[:, 1]])
    to_line = np.array([line_index.get(int(u), -1) for u in usage_arr[:, 1]])
    keep_p, keep_r = (src >= 0) & (to_pool >= 0), (src >= 0) & (to_line >= 0)
    P = sp.csr_matrix((usage_arr[keep_p, 2], (src[keep_p], to_pool[keep_p])), shape=(n, n))
    R = sp.csr_matrix((usage_arr[keep_r, 2], (src[keep_r], to_line[keep_r])), shape=(n, m))
    totals = np.asarray(P.sum(axis=1)).ravel() + np.asarray(R.sum(axis=1)).ravel()
    scale = sp.diags(1.0 / totals)
    system = (sp.identity(n) - (scale @ P).T).tocsc()
    shares_to_lines = (scale @ R).T
    # Both the budgets and the actuals go through the support allocation, as in the run; partners are
    # charged the actual cost (budget share plus variance share), split by their hours.
    cost = {}
    for name, ledger in (("budget", budgets), ("actual", actuals)):
        direct = np.array([float(ledger.get(sid, 0)) for sid in pools])
        pool_totals = spla.spsolve(system, direct)
        cost[name] = np.array([float(ledger.get(sid, 0)) for sid in lines]) + shares_to_lines @ pool_totals
    by_service: dict[int, list[tuple[int, float]]] = {}
    for sid, pid, h in hours:
        by_service.setdefault(sid, []).append((pid, float(h)))
    charges: dict[tuple[int, int], float] = {}
    for sid, j in line_index.items():
        partner_ids = [pid for pid, _ in by_service.get(sid, [])]
        partner_hours = np.array([h for _, h in by_service.get(sid, [])])
        if partner_hours.size:
            split = cost["actual"][j] * partner_hours / partner_hours.sum()
            charges.update({(sid, pid): float(v) for pid, v in zip(partner_ids, split, strict=True)})
    return charges


def recharge_run_benchmark() -> None:
    from django.db import connection

    from onesource.core.models import Partner, User
    from onesource.costing import actions
    from onesource.costing.demo_scaled import SCALE_YEAR
    from onesource.costing.models import Agreement, TimeEntry

    ensure_scaled_demo()
    partners = Partner.objects.dangerously_unscoped().count()
    pools = Agreement.objects.dangerously_unscoped().filter(year=SCALE_YEAR, is_support=True).count()
    entries = TimeEntry.objects.dangerously_unscoped().filter(date__year__gte=SCALE_YEAR).count()
    print(
        f"-- recharge run {SCALE_YEAR}: {partners} partners, {pools:,} support cost pools, "
        f"{entries:,} time entries ({connection.vendor})",
        flush=True,
    )
    user = User.objects.get(username="manager")

    def full_run():
        return actions.create_recharge_run(
            year=SCALE_YEAR, support_method="reciprocal", note="Benchmark", acting_user=user
        )

    ours, run = time_it(full_run, repeat=1)
    assert run.check_in == run.check_out
    actions.delete_draft_run(run, acting_user=user)  # leave the benchmark database as it was
    bare, _ = time_it(lambda: bare_recharge(SCALE_YEAR), repeat=1)
    report("full recharge run (saved, reconciled to the penny)", ours, bare)


def main() -> None:
    engine_benchmarks()
    setup_django("costing")
    recharge_run_benchmark()


if __name__ == "__main__":
    main()
