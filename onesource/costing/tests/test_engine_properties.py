"""Properties of the allocation engine on random inputs, checked against exact rational arithmetic."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from onesource.costing.engine import allocate_json

METHODS = ["direct", "step_down", "reciprocal"]


@st.composite
def problems(draw, *, later_only: bool = False) -> dict[str, Any]:
    """Random pools, receivers and usage; every pool uses at least one receiver, so all methods apply.

    With later_only, a pool is only ever used by pools after it (usage[i][k] > 0 only for k > i).
    """
    n = draw(st.integers(1, 5))
    m = draw(st.integers(1, 4))
    pools = [f"P{i}" for i in range(n)]
    receivers = [f"R{j}" for j in range(m)]
    pennies = st.integers(0, 10_000_000)
    quantity = st.integers(0, 50)
    usage: dict[str, dict[str, str]] = {}
    for i, pool in enumerate(pools):
        row = {r: str(draw(quantity)) for r in receivers}
        if all(v == "0" for v in row.values()):
            row[receivers[draw(st.integers(0, m - 1))]] = str(draw(st.integers(1, 50)))
        for k, other in enumerate(pools):
            if (k > i or not later_only) and draw(st.booleans()):
                row[other] = str(draw(quantity))  # includes self-use, which must be ignored
        usage[pool] = row
    return {
        "pools": [{"id": p, "cost": str(Decimal(draw(pennies)) / 100)} for p in pools],
        "receivers": [{"id": r, "cost": str(Decimal(draw(pennies)) / 100)} for r in receivers],
        "usage": usage,
        "order": pools,
    }


def exact_allocation(data: dict[str, Any], method: str) -> dict[str, dict[str, Fraction]]:
    """What each receiver gets from each pool, exactly, by the methods' textbook definitions."""
    pools = [p["id"] for p in data["pools"]]
    receivers = [r["id"] for r in data["receivers"]]
    cost = {p["id"]: Fraction(p["cost"]) for p in data["pools"]}
    use = {p: {k: Fraction(v) for k, v in data["usage"][p].items() if k != p} for p in pools}
    got: dict[str, dict[str, Fraction]] = {r: {} for r in receivers}
    if method == "direct":
        for p in pools:
            total = sum(use[p].get(r, 0) for r in receivers)
            for r in receivers:
                got[r][p] = cost[p] * use[p].get(r, 0) / total
    elif method == "step_down":
        running = dict(cost)
        for position, p in enumerate(pools):
            later = pools[position + 1 :]
            total = sum(use[p].get(x, 0) for x in later + receivers)
            for x in later:
                running[x] += running[p] * use[p].get(x, 0) / total
            for r in receivers:
                got[r][p] = running[p] * use[p].get(r, 0) / total
    else:
        # Gauss-Jordan on (I - P^T) S = D in fractions.
        n = len(pools)
        totals = {p: sum(use[p].values(), Fraction(0)) for p in pools}
        share = {p: {k: use[p].get(k, Fraction(0)) / totals[p] for k in pools + receivers} for p in pools}
        matrix = [
            [Fraction(int(i == k)) - share[pools[k]][pools[i]] for k in range(n)] + [cost[pools[i]]]
            for i in range(n)
        ]
        for col in range(n):
            pivot = next(r for r in range(col, n) if matrix[r][col] != 0)
            matrix[col], matrix[pivot] = matrix[pivot], matrix[col]
            lead = matrix[col][col]
            matrix[col] = [v / lead for v in matrix[col]]
            for r in range(n):
                if r != col and matrix[r][col] != 0:
                    factor = matrix[r][col]
                    matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[col], strict=True)]
        solved = {pools[i]: matrix[i][n] for i in range(n)}
        for p in pools:
            for r in receivers:
                got[r][p] = solved[p] * share[p][r]
    return got


def check_reconciles(out: dict[str, Any], data: dict[str, Any]) -> None:
    pool_in = sum(Decimal(p["cost"]) for p in data["pools"])
    allocated = [Decimal(v["allocated"]) for v in out["receivers"].values()]
    assert sum(allocated) == pool_in
    assert Decimal(out["check"]["pool_cost_in"]) == Decimal(out["check"]["allocated_out"]) == pool_in
    for receiver in data["receivers"]:
        result = out["receivers"][receiver["id"]]
        assert sum(Decimal(v) for v in result["from"].values()) == Decimal(result["allocated"])
        assert Decimal(result["total"]) == Decimal(result["direct"]) + Decimal(result["allocated"])
        assert Decimal(result["direct"]) == Decimal(receiver["cost"])


@settings(max_examples=150, deadline=None)
@given(problems(), st.sampled_from(METHODS))
def test_reconciles_to_the_penny_and_each_figure_is_within_a_penny_of_exact(data, method):
    out = allocate_json({**data, "method": method})
    check_reconciles(out, data)
    exact = exact_allocation(data, method)
    penny = Fraction(1, 100)
    for receiver, by_pool in exact.items():
        result = out["receivers"][receiver]
        assert abs(Fraction(result["allocated"]) - sum(by_pool.values())) < penny
        for pool, amount in by_pool.items():
            assert abs(Fraction(result["from"].get(pool, "0")) - amount) < penny


@settings(max_examples=100, deadline=None)
@given(problems(), st.sampled_from(METHODS))
def test_shares_lie_between_zero_and_one(data, method):
    out = allocate_json({**data, "method": method})
    penny = Decimal("0.01")
    for pool_id, pool in out["pools"].items():
        pool_total = Decimal(pool["total_cost"])
        assert pool_total >= Decimal(pool["direct"])
        sent = [Decimal(r["from"].get(pool_id, "0")) for r in out["receivers"].values()]
        for amount in sent:
            assert Decimal(0) <= amount <= pool_total + penny
        # What a pool sends to receivers never exceeds its total cost (the rest went to other pools).
        assert sum(sent) <= pool_total + penny * len(sent)


@settings(max_examples=100, deadline=None)
@given(problems(later_only=True))
def test_reciprocal_equals_step_down_when_no_pool_uses_a_later_pool(data):
    # Pools here are only used by pools after them, so nothing flows back up the order: step-down ignores
    # no usage, and both methods solve the same triangular system.
    step_down = allocate_json({**data, "method": "step_down"})
    reciprocal = allocate_json({**data, "method": "reciprocal"})
    assert reciprocal["receivers"] == step_down["receivers"]
    assert reciprocal["pools"] == step_down["pools"]


@settings(max_examples=100, deadline=None)
@given(problems(), st.randoms(use_true_random=False))
def test_reciprocal_does_not_depend_on_order(data, random):
    baseline = allocate_json({**data, "method": "reciprocal"})
    shuffled_order = list(data["order"])
    random.shuffle(shuffled_order)
    assert allocate_json({**data, "order": shuffled_order, "method": "reciprocal"}) == baseline
    # Listing the pools in another order changes only which figure takes an odd penny in a tie.
    shuffled_pools = list(data["pools"])
    random.shuffle(shuffled_pools)
    out = allocate_json({**data, "pools": shuffled_pools, "order": None, "method": "reciprocal"})
    check_reconciles(out, data)
    for receiver, result in out["receivers"].items():
        assert abs(
            Decimal(result["allocated"]) - Decimal(baseline["receivers"][receiver]["allocated"])
        ) <= Decimal("0.01")
        for pool, amount in result["from"].items():
            assert abs(Decimal(amount) - Decimal(baseline["receivers"][receiver]["from"][pool])) <= Decimal(
                "0.01"
            )
    for pool, figures in out["pools"].items():
        assert figures == baseline["pools"][pool]


@settings(max_examples=100, deadline=None)
@given(problems(), st.sampled_from(["step_down", "reciprocal"]))
def test_every_solver_path_agrees_with_exact(data, method):
    # Small problems normally take the dense path; force each path in turn.
    from unittest import mock

    exact = exact_allocation(data, method)
    penny = Fraction(1, 100)
    for density, iterative_from in ((-1.0, 10**9), (2.0, 10**9), (-1.0, 0), (2.0, 0)):
        # always dense, always sparse, each with and without trying GMRES first
        with (
            mock.patch("onesource.costing.engine.SPARSE_DENSITY", density),
            mock.patch("onesource.costing.engine.ITERATIVE_FROM", iterative_from),
        ):
            out = allocate_json({**data, "method": method})
        check_reconciles(out, data)
        for receiver, by_pool in exact.items():
            for pool, amount in by_pool.items():
                assert abs(Fraction(out["receivers"][receiver]["from"].get(pool, "0")) - amount) < penny
