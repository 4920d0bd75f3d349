# ruff: noqa: S608 - the bare SQL names tables from Django's model metadata; values are always parameters.
"""The spend import at a million rows, beside a bare COPY (PostgreSQL) or executemany (SQLite) of the
same rows already parsed.

Ours is the whole import of a CSV file as a council publishes it: decoding, finding the header,
matching the columns, reading every date and amount, matching and adding suppliers, writing the
payments and the import record in one transaction. The bare figure only inserts the same payments,
parsed beforehand, with the database's fastest bulk path. BENCH_SPEND_ROWS sets the size (default
1,000,000); BENCH_DATABASE_URL chooses the database (SQLite `var/bench-procurement.sqlite3` by default).
Goal: within 2x of the bare insert and at least 100,000 rows a second on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import time
from decimal import Decimal

from bench.support import setup_django

ROWS = int(os.environ.get("BENCH_SPEND_ROWS", "1000000"))
SUPPLIERS = 5000


def spend_file(rows: int) -> bytes:
    """A year of payments as councils publish them: dd/mm/yyyy dates, amounts with thousands commas."""
    rng = random.Random(500)
    names = [f"Supplier {i:05d} Limited" for i in range(SUPPLIERS)]
    areas = ["Resources", "Adults and Health", "Children's Services", "Place", "Housing"]
    start = dt.date(2025, 4, 1)
    out = io.StringIO()
    out.write("Date,Transaction Number,Amount,Supplier Name,Expense Area,Expense Type\r\n")
    for n in range(rows):
        day = start + dt.timedelta(days=rng.randrange(365))
        amount = Decimal(rng.randrange(50000, 5000000)) / 100
        out.write(
            f'{day:%d/%m/%Y},T{n:08d},"{amount:,.2f}",{names[rng.randrange(SUPPLIERS)]},'
            f"{areas[n % 5]},Services\r\n"
        )
    return out.getvalue().encode()


def main() -> None:
    setup_django("procurement")
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from onesource.core import actions as core_actions
    from onesource.core.models import Partner, User
    from onesource.procurement.models import Payment, SpendImport, Supplier
    from onesource.procurement.spend import (
        PAYMENT_COLUMNS,
        auto_map,
        import_spend,
        parse_rows,
        read_spend_file,
    )

    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "bench@onesource.example", "bench-password-1234"
    )
    partner = Partner.objects.filter(code="BNC").first() or core_actions.create_partner(
        code="BNC", name="Benchmark Council", gss_code="E99999999", acting_user=user
    )

    def clear() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Payment._meta.db_table} WHERE partner_id = %s", [partner.pk])
        SpendImport.objects.filter(partner=partner).delete()
        Supplier.objects.filter(name__startswith="Supplier ").delete()

    print(f"Database: {connection.vendor}. Generating a spend file of {ROWS:,} rows…", flush=True)
    data = spend_file(ROWS)
    print(f"File: {len(data) / 1e6:.0f} MB.", flush=True)
    clear()

    started = time.perf_counter()
    outcome = import_spend(data, "bench.csv", partner=partner, acting_user=user, dry_run=False)
    ours = time.perf_counter() - started
    assert outcome.as_dict()["payments"] == ROWS, outcome.as_dict()["message"]
    total = outcome.parsed.total

    # The bare insert: the same rows, parsed before the clock starts, straight into the table.
    spend = read_spend_file(data, "bench.csv")
    parsed = parse_rows(spend, auto_map(spend.headings))
    import_id = SpendImport.objects.get(partner=partner).pk
    suppliers = dict(Supplier.objects.filter(name__startswith="Supplier ").values_list("name", "pk"))
    rows = [
        (
            partner.pk,
            import_id,
            p.row,
            p.paid_on,
            p.amount,
            Decimal("0"),
            p.beneficiary,
            suppliers.get(p.beneficiary),
            p.values.get("department", ""),
            "",
            p.values.get("expense_type", ""),
            "",
            "",
            p.values.get("transaction_number", ""),
            "",
            None,
            False,
            False,
        )
        for p in parsed.payments
    ]
    del parsed
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Payment._meta.db_table} WHERE partner_id = %s", [partner.pk])
    table = Payment._meta.db_table
    columns = ", ".join(PAYMENT_COLUMNS)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            how = "COPY"
        else:
            placeholders = ", ".join(["%s"] * len(PAYMENT_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
            how = "executemany"
    bare = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), SUM(amount) FROM {table} WHERE partner_id = %s", [partner.pk])
        count, bare_total = cursor.fetchone()
    assert count == ROWS and Decimal(str(bare_total)).quantize(Decimal("0.01")) == total
    clear()

    print(
        f"{'Spend import of ' + format(ROWS, ',') + ' rows (read, check, match, save)':<60} "
        f"{ours:8.1f} s   {ROWS / ours:10,.0f} rows/s",
        flush=True,
    )
    print(
        f"{'Bare ' + how + ' of the same rows, parsed beforehand':<60} "
        f"{bare:8.1f} s   {ROWS / bare:10,.0f} rows/s",
        flush=True,
    )
    print(f"{'Ratio (goal: 2x or less; 100,000 rows/s on PostgreSQL)':<60} {ours / bare:8.1f}x", flush=True)


if __name__ == "__main__":
    main()
