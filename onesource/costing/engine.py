"""The support-service allocation engine: direct, step-down and reciprocal, reconciled to the penny.

Pure: no Django models, no database. `parse_request` turns the JSON body (see README) into an
`AllocationRequest`, rejecting bad input with an `AllocationError` that names the problem; `allocate`
returns an `AllocationResult` whose `to_json()` is the documented output.

All three methods are one linear system. With P[i, k] the share of pool i that goes to pool k, and
R[i, j] the share of pool i that goes to receiver j (each row of [P R] sums to 1 over the recipients
the method counts), every pool's total cost is S = D + PᵀS, and receiver j gets Σᵢ S[i]·R[i, j]:
- direct: P = 0, so S = D;
- step_down: P[i, k] is non-zero only for k after i in `order`, so (I - Pᵀ) is triangular;
- reciprocal: P is whatever the usage says (a pool's use of itself excluded).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import chain
from typing import Any

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
import scipy.sparse.linalg as spla

METHODS = ("direct", "step_down", "reciprocal")
PENNY = Decimal("0.01")
# Below this share of non-zero pool-to-pool usage the system is solved as a sparse matrix.
SPARSE_DENSITY = 0.05
# Dense arrays are used only up to this many cells (8 bytes each): 2,000 x 2,200 is 4.4 million.
DENSE_CELLS = 50_000_000
# From this many pools the reciprocal system is first solved iteratively (GMRES), factorised only if that
# does not converge; below it a direct solve is instant.
ITERATIVE_FROM = 200
# Exact shares are computed in floating point; amounts in pennies are rounded to this many decimal
# places before their remainders are compared, so float noise (~1e-9 of a penny) cannot decide a tie.
REMAINDER_PLACES = 6


class AllocationError(ValueError):
    """The input cannot be allocated; the message names the problem."""


# A driver quantity (hours, m², headcount): not money, so shares are worked out in floating point.
Quantity = Decimal | float


@dataclass
class AllocationRequest:
    """Costs are money (Decimal, whole pence); usage quantities may be Decimals, ints or floats."""

    method: str
    pools: dict[str, Decimal]
    receivers: dict[str, Decimal]
    usage: Mapping[str, Mapping[str, Quantity]]
    order: list[str] | None = None


@dataclass
class ReceiverResult:
    direct: Decimal
    allocated: Decimal
    total: Decimal
    from_pools: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class PoolResult:
    direct: Decimal
    total_cost: Decimal


@dataclass
class AllocationResult:
    method: str
    receivers: dict[str, ReceiverResult]
    pools: dict[str, PoolResult]

    @property
    def pool_cost_in(self) -> Decimal:
        return sum((pool.direct for pool in self.pools.values()), Decimal("0.00"))

    @property
    def allocated_out(self) -> Decimal:
        return sum((receiver.allocated for receiver in self.receivers.values()), Decimal("0.00"))

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "receivers": {
                rid: {
                    "direct": _money(r.direct),
                    "allocated": _money(r.allocated),
                    "total": _money(r.total),
                    "from": {pid: _money(amount) for pid, amount in r.from_pools.items()},
                }
                for rid, r in self.receivers.items()
            },
            "pools": {
                pid: {"direct": _money(p.direct), "total_cost": _money(p.total_cost)}
                for pid, p in self.pools.items()
            },
            "check": {"pool_cost_in": _money(self.pool_cost_in), "allocated_out": _money(self.allocated_out)},
        }


def _money(amount: Decimal) -> str:
    return f"{amount.quantize(PENNY):f}"


# Parsing and validation


def _amount(value: Any, where: str, *, money: bool) -> Decimal:
    """A non-negative finite decimal from a JSON string or number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise AllocationError(f"{where}: {value!r} is not a number.")
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else str(value))
    except InvalidOperation:
        raise AllocationError(f"{where}: {value!r} is not a number.") from None
    if not amount.is_finite():
        raise AllocationError(f"{where}: {value!r} is not a finite number.")
    if amount < 0:
        raise AllocationError(f"{where}: {value!r} is negative; amounts must be zero or more.")
    if money and amount != amount.quantize(PENNY):
        raise AllocationError(f"{where}: {value!r} has more than two decimal places (pounds and pence).")
    return amount


def _entities(data: dict[str, Any], key: str, *, cost_required: bool) -> dict[str, Decimal]:
    items = data.get(key, [])
    if not isinstance(items, list):
        raise AllocationError(f"{key}: must be a list of {{'id': ..., 'cost': ...}}.")
    found: dict[str, Decimal] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise AllocationError(f"{key}[{index}]: must be an object with 'id' and 'cost'.")
        unknown = set(item) - {"id", "cost"}
        if unknown:
            raise AllocationError(f"{key}[{index}]: unknown field(s) {', '.join(sorted(unknown))}.")
        ident = item.get("id")
        if not isinstance(ident, str) or not ident.strip():
            raise AllocationError(f"{key}[{index}]: 'id' must be a non-empty string.")
        if ident in found:
            raise AllocationError(f"{key}[{index}]: id {ident!r} appears more than once.")
        if "cost" not in item and cost_required:
            raise AllocationError(f"{key}[{index}] ({ident}): 'cost' is required.")
        found[ident] = _amount(item.get("cost", "0"), f"{key}[{index}] ({ident}) cost", money=True)
    return found


def parse_request(data: Any) -> AllocationRequest:
    """Validate the JSON body's shape, ids and amounts; raise AllocationError naming the first problem."""
    if not isinstance(data, dict):
        raise AllocationError("The input must be a JSON object with method, pools, receivers and usage.")
    unknown = set(data) - {"method", "pools", "receivers", "usage", "order"}
    if unknown:
        raise AllocationError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    method = data.get("method")
    if method not in METHODS:
        raise AllocationError(f"method: {method!r} is not one of {', '.join(METHODS)}.")
    pools = _entities(data, "pools", cost_required=True)
    receivers = _entities(data, "receivers", cost_required=False)
    both = pools.keys() & receivers.keys()
    if both:
        raise AllocationError(f"Id(s) used for both a pool and a receiver: {', '.join(sorted(both))}.")
    raw_usage = data.get("usage", {})
    if not isinstance(raw_usage, dict):
        raise AllocationError("usage: must be an object of pool id -> {recipient id: quantity}.")
    usage: dict[str, dict[str, Quantity]] = {}
    known = pools.keys() | receivers.keys()
    for pool_id, row in raw_usage.items():
        if pool_id not in pools:
            raise AllocationError(f"usage: {pool_id!r} is not a pool.")
        if not isinstance(row, dict):
            raise AllocationError(f"usage[{pool_id}]: must be an object of recipient id -> quantity.")
        if not row.keys() <= known:
            recipient_id = next(r for r in row if r not in known)
            raise AllocationError(f"usage[{pool_id}]: {recipient_id!r} is neither a pool nor a receiver.")
        usage[pool_id] = _quantities(pool_id, row)
    order = data.get("order")
    if order is not None:
        if not isinstance(order, list) or not all(isinstance(p, str) for p in order):
            raise AllocationError("order: must be a list of pool ids.")
        order = list(order)
    elif method == "step_down":
        raise AllocationError("order: step_down needs the pools' order.")
    request = AllocationRequest(method=method, pools=pools, receivers=receivers, usage=usage, order=order)
    _check_order(request)
    return request


def _quantities(pool_id: str, row: dict[str, Any]) -> dict[str, Quantity]:
    """One pool's usage as floats, checked as `_amount` checks them but a row at a time.

    A dense request has millions of quantities: parsing each to a Decimal only to turn it into a float for
    the shares cost seconds, so rows of plain strings and numbers go through float() in one pass and are
    checked with numpy; any other row (or one that fails) is checked entry by entry, naming the problem.
    """
    values = list(row.values())
    if set(map(type, values)) <= {str, int, float}:  # not bool, whose type is not int
        try:
            floats = np.fromiter(map(float, values), dtype=np.float64, count=len(values))
        except (ValueError, OverflowError):
            floats = None
        if floats is not None and bool(np.all(floats >= 0)) and bool(np.all(np.isfinite(floats))):
            return dict(zip(row, floats.tolist(), strict=True))
    parsed: dict[str, Quantity] = {}
    for recipient_id, quantity in row.items():
        where = f"usage[{pool_id}][{recipient_id}]"
        amount = float(_amount(quantity, where, money=False))
        if not np.isfinite(amount):
            raise AllocationError(f"{where}: {quantity!r} is too large to be a quantity.")
        parsed[recipient_id] = amount
    return parsed


def _check_order(request: AllocationRequest) -> None:
    if request.order is None:
        if request.method == "step_down":
            raise AllocationError("order: step_down needs the pools' order.")
        return
    seen: set[str] = set()
    for pool_id in request.order:
        if pool_id not in request.pools:
            raise AllocationError(f"order: {pool_id!r} is not a pool.")
        if pool_id in seen:
            raise AllocationError(f"order: pool {pool_id!r} appears more than once.")
        seen.add(pool_id)
    missing = [p for p in request.pools if p not in seen]
    if missing:
        raise AllocationError(f"order: pool(s) missing: {', '.join(missing)}.")


# Allocation


def allocate(request: AllocationRequest) -> AllocationResult:
    """Allocate every pool's cost to the receivers by the request's method, to the penny."""
    if request.method not in METHODS:
        raise AllocationError(f"method: {request.method!r} is not one of {', '.join(METHODS)}.")
    _check_order(request)
    pool_ids = list(request.order if request.method == "step_down" and request.order else request.pools)
    receiver_ids = list(request.receivers)
    m = len(receiver_ids)

    for pool_id, cost in request.pools.items():
        if cost < 0:
            raise AllocationError(f"pools ({pool_id}) cost: negative amount {cost}.")
    for receiver_id, cost in request.receivers.items():
        if cost < 0:
            raise AllocationError(f"receivers ({receiver_id}) cost: negative amount {cost}.")
    P, R = _usage_matrices(request, pool_ids, receiver_ids)
    totals = _row_sums(P) + _row_sums(R)
    zero = np.flatnonzero(totals <= 0)
    if zero.size:
        counted = {"direct": "receivers", "step_down": "later pools or receivers"}.get(
            request.method, "other pools or receivers"
        )
        names = ", ".join(pool_ids[i] for i in zero[:10]) + (" …" if zero.size > 10 else "")
        raise AllocationError(
            f"usage: pool(s) {names} have no usage by {counted} (their usage sums to zero)."
        )
    inverse_totals = sp.diags(1.0 / totals)
    if isinstance(P, np.ndarray):
        P /= totals[:, None]
    else:
        P = (inverse_totals @ P).tocsr()
    R = (inverse_totals @ R).tocsr()
    if request.method == "reciprocal":
        _check_reaches_receivers(P, R, pool_ids)

    direct = np.array([float(request.pools[p]) for p in pool_ids])
    S = _solve_totals(P, direct, request.method)
    if not np.all(np.isfinite(S)):
        raise AllocationError(
            "usage: the system has no solution (some pools' usage never reaches a receiver)."
        )

    # Exact amounts (in pennies, as floats) that pool i sends to receiver j: S[i] * R[i, j].
    F = sp.diags(S * 100.0) @ R
    F = F.tocsc()
    F.eliminate_zeros()
    F.sort_indices()  # each receiver's pools in pool order
    total_pennies = sum(int(c * 100) for c in request.pools.values())
    exact_per_receiver = np.asarray(F.sum(axis=0)).ravel()
    # Why this reconciles exactly: the pool costs are whole pennies, so their sum T is an exact integer.
    # Largest remainder first splits T between the receivers (each gets the floor or ceiling of its exact
    # share, and the parts sum to T by construction), then splits each receiver's integer total between
    # the pools it came from the same way. Integers add without error, so Σ from = allocated per receiver
    # and Σ allocated = T, whatever tiny floating-point error the shares carry; that error can only
    # decide which side of a half-penny a figure falls, never whether the totals agree.
    allocated_pennies = _largest_remainder(exact_per_receiver, total_pennies, np.arange(m))
    cell_pennies = _round_columns(F, allocated_pennies)

    receivers: dict[str, ReceiverResult] = {}
    indptr = F.indptr.tolist()
    # 400k cells at size: both lists are built in C (multiplying by a penny is exact and twice as quick
    # as Decimal(p).scaleb(-2)).
    pool_of_cell = np.array(pool_ids, dtype=object)[F.indices].tolist()
    amount_of_cell = list(map(PENNY.__mul__, cell_pennies.tolist()))
    for j, receiver_id in enumerate(receiver_ids):
        start, end = indptr[j], indptr[j + 1]
        from_pools = dict(zip(pool_of_cell[start:end], amount_of_cell[start:end], strict=True))
        allocated = _pennies_to_decimal(int(allocated_pennies[j]))
        own = request.receivers[receiver_id]
        receivers[receiver_id] = ReceiverResult(
            direct=own, allocated=allocated, total=own + allocated, from_pools=from_pools
        )
    pools = {
        pool_id: PoolResult(
            direct=request.pools[pool_id],
            total_cost=(
                request.pools[pool_id] if request.method == "direct" else _round_to_penny(float(S[i]))
            ),
        )
        for i, pool_id in enumerate(pool_ids)
    }
    # Report pools in the order they were given, whatever order step-down worked in.
    pools = {pool_id: pools[pool_id] for pool_id in request.pools}
    return AllocationResult(method=request.method, receivers=receivers, pools=pools)


def _usage_matrices(
    request: AllocationRequest, pool_ids: list[str], receiver_ids: list[str]
) -> tuple[np.ndarray | sp.csr_matrix, sp.csr_matrix]:
    """Usage pool -> pool and pool -> receiver, keeping only what the method counts.

    A dense 2,000-pool request has millions of entries, so they are gathered in three C-level passes over
    the whole request (recipients' columns, quantities as floats, each row's length) with no Python code
    per entry, and checked with numpy. Pool -> pool usage is a dense array when at least SPARSE_DENSITY
    of it is filled (it is solved densely then), a sparse matrix otherwise.
    """
    n = len(pool_ids)
    # Pools are numbered 0..n-1 (in `order` for step-down), receivers n..n+m-1.
    column = {p: i for i, p in enumerate(pool_ids)}
    column.update({r: n + j for j, r in enumerate(receiver_ids)})
    usage = request.usage
    for pool_id in usage:
        if column.get(pool_id, n) >= n:
            raise AllocationError(f"usage: {pool_id!r} is not a pool.")
    source = np.fromiter(map(column.__getitem__, usage), dtype=np.intp, count=len(usage))
    lengths = np.fromiter(map(len, usage.values()), dtype=np.intp, count=len(usage))
    size = int(lengths.sum())
    try:
        col_all = np.fromiter(
            map(column.__getitem__, chain.from_iterable(usage.values())), dtype=np.intp, count=size
        )
    except KeyError as exc:
        pool_id = next(p for p, row in usage.items() if exc.args[0] in row)
        unknown = exc.args[0]
        raise AllocationError(f"usage[{pool_id}]: {unknown!r} is neither a pool nor a receiver.") from None
    try:
        # Floats go straight in; Decimals and ints through float() (correctly rounded either way).
        val_all = np.fromiter(
            chain.from_iterable(row.values() for row in usage.values()), dtype=np.float64, count=size
        )
    except (TypeError, ValueError, OverflowError):
        raise AllocationError("usage: quantities must be numbers.") from None
    if not (val_all.size == 0 or (val_all.min() >= 0 and np.isfinite(val_all.max()))):
        where = int(np.flatnonzero(~(val_all >= 0) | ~np.isfinite(val_all))[0])
        index = int(np.searchsorted(np.cumsum(lengths), where, side="right"))
        pool_id = list(usage)[index]
        recipient = list(usage[pool_id])[where - int(lengths[:index].sum())]
        raise AllocationError(
            f"usage[{pool_id}][{recipient}]: {usage[pool_id][recipient]} is negative or not finite."
        )
    m = len(receiver_ids)
    width = n + m
    P: np.ndarray | sp.csr_matrix
    if size > SPARSE_DENSITY * n * width and n * width <= DENSE_CELLS:
        # Dense usage: one scatter into a pools x (pools + receivers) array, then numpy on whole blocks.
        # Each (pool, recipient) pair appears once (keys of dicts), so plain assignment is exact.
        everything = np.zeros((n, width))
        ends = np.cumsum(lengths).tolist()
        for i, begin, end in zip(source.tolist(), [0, *ends[:-1]], ends, strict=True):
            everything[i, col_all[begin:end]] = val_all[begin:end]
        R = sp.csr_matrix(everything[:, n:])
        if request.method == "direct":
            return sp.csr_matrix((n, n)), R
        # A pool's use of itself never counts; step-down counts only later pools. Done in place: at this
        # size a fresh array costs more (in page faults) than the arithmetic on it.
        P = everything[:, :n]
        if request.method == "step_down":
            for i in range(n):
                P[i, : i + 1] = 0.0
        else:
            np.fill_diagonal(P, 0.0)
        if np.count_nonzero(P) <= SPARSE_DENSITY * n * n:
            P = sp.csr_matrix(P)
        return P, R
    row_all = np.repeat(source, lengths)
    to_pool = col_all < n
    # A pool's use of itself never counts; direct counts receivers only; step-down only later pools.
    if request.method == "direct":
        counted_pool = np.zeros_like(to_pool)
    elif request.method == "step_down":
        counted_pool = to_pool & (col_all > row_all)
    else:
        counted_pool = to_pool & (col_all != row_all)
    positive = val_all > 0
    keep_pool = np.flatnonzero(counted_pool & positive)
    keep_receiver = np.flatnonzero(~to_pool & positive)
    if keep_pool.size > SPARSE_DENSITY * n * n and n * n <= DENSE_CELLS:
        P = np.zeros((n, n))
        P[row_all[keep_pool], col_all[keep_pool]] = val_all[keep_pool]
    else:
        P = sp.csr_matrix(
            (val_all[keep_pool], (row_all[keep_pool], col_all[keep_pool])), shape=(n, n), dtype=np.float64
        )
    R = sp.csr_matrix(
        (val_all[keep_receiver], (row_all[keep_receiver], col_all[keep_receiver] - n)),
        shape=(n, m),
        dtype=np.float64,
    )
    return P, R


def _row_sums(matrix: np.ndarray | sp.spmatrix) -> np.ndarray:
    return np.asarray(matrix.sum(axis=1)).ravel()


def _round_to_penny(pounds: float) -> Decimal:
    # Float noise removed first, so a true half penny rounds up however the solver got there.
    return Decimal(repr(round(pounds, REMAINDER_PLACES + 2))).quantize(PENNY, rounding=ROUND_HALF_UP)


def _pennies_to_decimal(pennies: int) -> Decimal:
    return Decimal(pennies).scaleb(-2)


def _check_reaches_receivers(P: np.ndarray | sp.csr_matrix, R: sp.csr_matrix, pool_ids: list[str]) -> None:
    """Every pool must reach a receiver through the usage graph, or (I - Pᵀ) is singular."""
    n = P.shape[0]
    reaches_sink = _row_sums(R) > 0
    if reaches_sink.all():  # the usual case: every pool serves some receiver itself
        return
    # Graph on pools plus one sink standing for "some receiver"; walk it backwards from the sink.
    links = sp.csr_matrix(P != 0) if isinstance(P, np.ndarray) else P != 0
    graph = sp.bmat(
        [
            [links, sp.csr_matrix(reaches_sink.astype(np.float64).reshape(-1, 1))],
            [sp.csr_matrix((1, n)), None],
        ],
        format="csr",
    )
    reached = csgraph.breadth_first_order(graph.T.tocsr(), n, directed=True, return_predecessors=False)
    stuck = sorted(set(range(n)) - set(int(v) for v in reached))
    if stuck:
        names = ", ".join(pool_ids[i] for i in stuck[:10]) + (" …" if len(stuck) > 10 else "")
        raise AllocationError(
            f"usage: the system has no solution: the usage of pool(s) {names} never reaches a receiver."
        )


def _solve_totals(P: np.ndarray | sp.csr_matrix, direct: np.ndarray, method: str) -> np.ndarray:
    """S = D + PᵀS, i.e. (I - Pᵀ)S = D."""
    n = P.shape[0]
    dense = isinstance(P, np.ndarray)
    if method == "direct" or not (P.any() if isinstance(P, np.ndarray) else P.nnz):
        return direct.copy()
    if dense and method == "reciprocal" and n >= ITERATIVE_FROM:
        # (I - Pᵀ) applied without forming it: a dense n x n copy costs more than the whole solve.
        transposed = P.T
        operator = spla.LinearOperator((n, n), matvec=lambda x: x - transposed @ x, dtype=np.float64)
        solution, info = spla.gmres(operator, direct, rtol=1e-13, atol=0.0, restart=50, maxiter=20)
        scale = max(1.0, float(np.abs(direct).max()))
        if info == 0 and float(np.abs(operator.matvec(solution) - direct).max()) <= 1e-10 * scale:
            return np.asarray(solution)
    system = np.eye(n) - P.T if dense else (sp.identity(n, format="csr") - P.T).tocsr()
    if method == "step_down":
        # Pools are numbered in order and only send to later pools, so Pᵀ is strictly lower triangular
        # and forward substitution solves it exactly.
        if dense:
            return scipy.linalg.solve_triangular(system, direct, lower=True, check_finite=False)
        return spla.spsolve_triangular(system, direct, lower=True)
    if n >= ITERATIVE_FROM and not dense:
        # Every pool reaches a receiver, so P's spectral radius is below 1 and GMRES converges, usually
        # in a few dozen products with the matrix: far cheaper than factorising it. Accepted only if the
        # residual is negligible; otherwise factorise.
        solution, info = spla.gmres(system, direct, rtol=1e-13, atol=0.0, restart=50, maxiter=20)
        scale = max(1.0, float(np.abs(direct).max()))
        if info == 0 and float(np.abs(system @ solution - direct).max()) <= 1e-10 * scale:
            return np.asarray(solution)
    if dense:
        return np.asarray(scipy.linalg.solve(system, direct, check_finite=False))
    return np.asarray(spla.spsolve(system.tocsc(), direct, permc_spec="MMD_AT_PLUS_A")).ravel()


def _largest_remainder(exact: np.ndarray, target: int, tie_rank: np.ndarray) -> np.ndarray:
    """Integers, each the floor or ceiling of `exact`, summing to `target`; biggest remainders round up.

    Ties (after rounding away float noise) go to the lower `tie_rank`.
    """
    if exact.size == 0:
        if target:
            raise AllocationError("There is no receiver to allocate the pools' cost to.")
        return np.zeros(0, dtype=np.int64)
    values = np.round(np.maximum(exact, 0.0), REMAINDER_PLACES)
    floors = np.floor(values)
    remainders = values - floors
    result = floors.astype(np.int64)
    short = target - int(result.sum())
    ranking = np.lexsort((tie_rank, -remainders))
    if short > 0:
        whole, extra = divmod(short, exact.size)
        result += whole
        result[ranking[:extra]] += 1
    elif short < 0:
        # Only possible through float noise: take pennies back from the smallest remainders.
        for index in ranking[::-1]:
            if short == 0:
                break
            if result[index] > 0:
                result[index] -= 1
                short += 1
    return result


def _round_columns(F: sp.csc_matrix, column_targets: np.ndarray) -> np.ndarray:
    """Largest remainder within each column of F (receiver), to that column's integer target; vectorised."""
    values = np.round(np.maximum(F.data, 0.0), REMAINDER_PLACES)
    floors = np.floor(values)
    remainders = values - floors
    result = floors.astype(np.int64)
    counts = np.diff(F.indptr)
    columns = np.repeat(np.arange(F.shape[1]), counts)
    short = column_targets - np.bincount(columns, weights=result, minlength=F.shape[1]).astype(np.int64)
    if np.any(short < 0) or np.any(short > counts):
        # Float noise pushed a target outside [Σ floor, Σ ceil]: fall back to one column at a time.
        for j in range(F.shape[1]):
            start, end = F.indptr[j], F.indptr[j + 1]
            result[start:end] = _largest_remainder(
                F.data[start:end], int(column_targets[j]), F.indices[start:end]
            )
        return result
    # Sort by column, then biggest remainder, then pool position (lexsort is stable and the cells of a
    # column are already in pool order); the first `short` of each column get 1p.
    ranking = np.lexsort((-remainders, columns))
    position_in_column = np.arange(ranking.size) - np.repeat(F.indptr[:-1], counts)
    bump = position_in_column < short[columns[ranking]]
    result[ranking[bump]] += 1
    return result


def allocate_json(data: Any) -> dict[str, Any]:
    """Parse, allocate and return the output JSON; raises AllocationError on bad input."""
    return allocate(parse_request(data)).to_json()
