"""Costing at scale for benchmarks (`onesource demo --scale 50`): 2,000 support cost pools allocated
reciprocally to 200 front-line services, each split between the partners by 10 million time entries.

Only runs from the benchmark's scale (50 partners) up, growing in proportion beyond it, so that smaller
scaled demos (tests of the partnership's own scaling) stay quick. Generated with numpy from the demo's
seeded random generator, and written with bulk inserts (executemany in large batches on SQLite, COPY
on PostgreSQL) with the time entries' index built after the load: the one place writes bypass the
actions, as for all demo history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import numpy as np
from django.db import connection, transaction

from onesource.core.demo import GO_LIVE, DemoContext, demo_step
from onesource.core.models import Service, ServiceArea, ServiceCoverage
from onesource.costing.models import (
    ActualLine,
    Agreement,
    Basis,
    BudgetLine,
    SupportMethod,
    SupportUsage,
    TimeEntry,
)
from onesource.costing.models.common import year_label

SCALE_YEAR = 2024  # 2024/25: the year the scaled data describes
AREA_CODE = "synthetic-costing"
BENCHMARK_SCALE = 50
SUPPORT_POOLS = 2_000  # at the benchmark scale; in proportion above it
FRONT_LINE_SERVICES = 200
TIME_ENTRIES = 10_000_000
STAFF = 5_000
POOLS_SERVED_PER_POOL = 5
SERVICES_SERVED_PER_POOL = 20
BATCH = 250_000


def pool_code(index: int) -> str:
    return f"pool-{index + 1:04d}"


def front_line_code(index: int) -> str:
    return f"line-{index + 1:03d}"


def scaled_data_present(time_entries: int = TIME_ENTRIES) -> bool:
    """Whether this database already holds the scaled costing data (so a benchmark can reuse it)."""
    last_pool = pool_code(SUPPORT_POOLS - 1)
    return (
        Service.objects.dangerously_unscoped().filter(code=last_pool).exists()
        and TimeEntry.objects.dangerously_unscoped().filter(date__year__gte=SCALE_YEAR).count()
        >= time_entries
    )


@demo_step(95, "costing at scale: cost pools and time entries")
def costing_at_scale(ctx: DemoContext) -> None:
    if ctx.scale >= BENCHMARK_SCALE:
        factor = ctx.scale / BENCHMARK_SCALE
        build_costing_at_scale(
            ctx,
            pools=round(SUPPORT_POOLS * factor),
            services=round(FRONT_LINE_SERVICES * factor),
            time_entries=round(TIME_ENTRIES * factor),
        )


def build_costing_at_scale(
    ctx: DemoContext,
    *,
    pools: int = SUPPORT_POOLS,
    services: int = FRONT_LINE_SERVICES,
    time_entries: int = TIME_ENTRIES,
) -> None:
    rng = np.random.default_rng(ctx.rng.getrandbits(32))
    partner_ids = np.array(sorted(p.pk for p in ctx.partners.values()), dtype=np.int64)
    ctx.log(
        f"Costing at scale: {pools:,} support pools, {services:,} front-line services, "
        f"{len(partner_ids)} partners, {time_entries:,} time entries in {year_label(SCALE_YEAR)}"
    )
    with transaction.atomic():
        area = ServiceArea.objects.create(code=AREA_CODE, name="Synthetic cost pools (benchmark)")
        Service.objects.bulk_create(
            [Service(area=area, code=pool_code(i), name=f"Support pool {i + 1:04d}") for i in range(pools)]
            + [
                Service(area=area, code=front_line_code(j), name=f"Front-line service {j + 1:03d}")
                for j in range(services)
            ],
            batch_size=2_000,
        )
        by_code = dict(Service.objects.dangerously_unscoped().filter(area=area).values_list("code", "pk"))
        pool_ids = np.array([by_code[pool_code(i)] for i in range(pools)], dtype=np.int64)
        service_ids = np.array([by_code[front_line_code(j)] for j in range(services)], dtype=np.int64)
        ServiceCoverage.objects.bulk_create(
            [
                ServiceCoverage(service_id=int(s), partner_id=int(p), starts_on=GO_LIVE)
                for s in service_ids
                for p in partner_ids
            ],
            batch_size=5_000,
        )
        Agreement.objects.bulk_create(
            [
                Agreement(
                    service_id=int(s),
                    year=SCALE_YEAR,
                    basis=Basis.FORMULA,
                    is_support=True,
                    support_method=SupportMethod.RECIPROCAL,
                    note="Synthetic support pool",
                )
                for s in pool_ids
            ]
            + [
                Agreement(service_id=int(s), year=SCALE_YEAR, basis=Basis.TIME_RECORDED, note="Synthetic")
                for s in service_ids
            ],
            batch_size=2_000,
        )
        _ledger(rng, pool_ids, service_ids, partner_ids)
        _support_usage(rng, pool_ids, service_ids)
    _time_entries(ctx, rng, service_ids, partner_ids, time_entries)


def _pennies(rng: np.random.Generator, low: int, high: int, size: int) -> list[Decimal]:
    return [Decimal(int(p)).scaleb(-2) for p in rng.integers(low * 100, high * 100, size=size)]


def _ledger(
    rng: np.random.Generator, pool_ids: np.ndarray, service_ids: np.ndarray, partner_ids: np.ndarray
) -> None:
    """A year's shared budget per service, twelve monthly shared actuals, and some partners' own lines."""
    all_ids = np.concatenate([pool_ids, service_ids])
    budgets = _pennies(rng, 50_000, 5_000_000, all_ids.size)
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(service_id=int(s), year=SCALE_YEAR, amount=b, description="Synthetic budget")
            for s, b in zip(all_ids, budgets, strict=True)
        ],
        batch_size=5_000,
    )
    actual_lines = []
    for s, budget in zip(all_ids, budgets, strict=True):
        # Each month near a twelfth of the budget, so services run a little over or under.
        months = rng.normal(1.0, 0.05, size=12) * float(budget) / 12
        for month, amount in enumerate(months, start=1):
            actual_lines.append(
                ActualLine(
                    service_id=int(s),
                    year=SCALE_YEAR,
                    month=month,
                    amount=Decimal(f"{max(amount, 0):.2f}"),
                    description="Synthetic actual",
                )
            )
    # One in ten front-line services carries a partner's own (non-shared) budget and spend.
    for s in service_ids[::10]:
        owner = int(rng.choice(partner_ids))
        own = _pennies(rng, 10_000, 200_000, 2)
        BudgetLine.objects.create(
            service_id=int(s), year=SCALE_YEAR, owner_partner_id=owner, amount=own[0], description="Own"
        )
        actual_lines.append(
            ActualLine(
                service_id=int(s), year=SCALE_YEAR, owner_partner_id=owner, amount=own[1], description="Own"
            )
        )
    ActualLine.objects.bulk_create(actual_lines, batch_size=5_000)


def _support_usage(rng: np.random.Generator, pool_ids: np.ndarray, service_ids: np.ndarray) -> None:
    """Each pool serves a few other pools and a score of front-line services (hours, tickets…)."""
    rows: list[SupportUsage] = []
    n_pools = min(POOLS_SERVED_PER_POOL, pool_ids.size - 1)
    n_services = min(SERVICES_SERVED_PER_POOL, service_ids.size)
    for i, pool in enumerate(pool_ids):
        others = np.delete(pool_ids, i)
        users = np.concatenate(
            [rng.choice(others, n_pools, replace=False), rng.choice(service_ids, n_services, replace=False)]
        )
        quantities = rng.integers(1, 100, size=users.size)
        rows.extend(
            SupportUsage(
                year=SCALE_YEAR,
                support_service_id=int(pool),
                user_service_id=int(user),
                quantity=Decimal(int(q)),
                unit="hours",
            )
            for user, q in zip(users, quantities, strict=True)
        )
    SupportUsage.objects.bulk_create(rows, batch_size=5_000)


def _time_entries(
    ctx: DemoContext, rng: np.random.Generator, service_ids: np.ndarray, partner_ids: np.ndarray, count: int
) -> None:
    """Bulk-load the time entries, then build their index once (much faster than maintaining it)."""
    table = TimeEntry._meta.db_table
    columns = ("person", "partner_id", "service_id", "date", "hours")
    start = dt.date(SCALE_YEAR, 4, 1)
    days = [(start + dt.timedelta(days=d)).isoformat() for d in range(365)]
    people = [f"S{n:05d}" for n in range(STAFF)]
    # Each partner's share of each service's time differs, so the split is not uniform.
    partner_weights = rng.gamma(2.0, 1.0, size=partner_ids.size)
    partner_weights /= partner_weights.sum()
    # Plain DDL rather than a schema editor, which SQLite refuses inside a transaction.
    quote = connection.ops.quote_name
    column = {f.name: f.column for f in TimeEntry._meta.concrete_fields}
    indexes = [
        (quote(index.name), ", ".join(quote(column[f]) for f in index.fields))
        for index in TimeEntry._meta.indexes
    ]
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        done = 0
        for batch in _time_batches(rng, count, service_ids, partner_ids, partner_weights, days, people):
            _insert(table, columns, batch)
            done += len(batch)
            if done % 2_000_000 < BATCH:
                ctx.log(f"  {done:,} time entries")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Check the deferred foreign keys now: PostgreSQL will not index a table with checks pending.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name, fields in indexes:
                cursor.execute(f"CREATE INDEX {name} ON {quote(table)} ({fields})")
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _time_batches(
    rng: np.random.Generator,
    count: int,
    service_ids: np.ndarray,
    partner_ids: np.ndarray,
    partner_weights: np.ndarray,
    days: list[str],
    people: list[str],
) -> Iterator[list[tuple]]:
    for first in range(0, count, BATCH):
        size = min(BATCH, count - first)
        services = service_ids[rng.integers(0, service_ids.size, size)].tolist()
        partners = partner_ids[rng.choice(partner_ids.size, size, p=partner_weights)].tolist()
        dates = [days[d] for d in rng.integers(0, len(days), size).tolist()]
        staff = [people[p] for p in rng.integers(0, len(people), size).tolist()]
        hours = (rng.integers(1, 31, size) / 4).tolist()  # quarter hours, 0.25 to 7.5: exact in binary
        yield list(zip(staff, partners, services, dates, hours, strict=True))


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    name = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {name} ({quoted}) VALUES ({placeholders})", rows)  # noqa: S608
