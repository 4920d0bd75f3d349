# ruff: noqa: S608 - the bare SQL names tables from Django's model metadata; values are always parameters.
"""Workforce at 200,000 employees: the dashboard's figures, an employee search, a five-year monthly series.

Each is timed beside the bare SQL (hand-written, through `cursor.execute`) that computes the same
answer, and the two answers are compared. The partnership is built once by `onesource demo --scale N`
(the workforce demo generator) into `var/bench-workforce.sqlite3` (or BENCH_DATABASE_URL) and reused
on later runs while it holds enough people. BENCH_WORKFORCE_EMPLOYEES sets the target (default 200,000).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from decimal import Decimal
from typing import Any

from bench.support import report, setup_django, time_it

TARGET_EMPLOYEES = int(os.environ.get("BENCH_WORKFORCE_EMPLOYEES", "200000"))
# The demo makes about 2,870 people per unit of its multiplier (scale // 2).
PEOPLE_PER_MULTIPLIER = 2860
DAY = dt.date(2019, 3, 31)
PERIOD = (dt.date(2018, 4, 1), dt.date(2019, 3, 31))
SERIES = (dt.date(2014, 4, 1), dt.date(2019, 3, 31))
SEARCH = "Smith"


def ensure_partnership() -> int:
    from django.core.management import call_command

    from onesource.workforce.models import Employee

    # A database built by an earlier version gets the newer migrations (indexes) first.
    call_command("migrate", interactive=False, verbosity=0)
    try:
        have = Employee.objects.count()
    except Exception:  # a fresh database: no tables yet
        have = 0
    if have >= TARGET_EMPLOYEES * 0.9:
        print(f"Reusing the partnership already built: {have:,} employees.", flush=True)
        return have
    scale = max(2, 2 * round(TARGET_EMPLOYEES / PEOPLE_PER_MULTIPLIER))
    print(
        f"Building the partnership: onesource demo --scale {scale} (once; later runs reuse it)…", flush=True
    )
    started = time.perf_counter()
    call_command("demo", scale=scale, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    have = Employee.objects.count()
    print(f"Built {have:,} employees in {time.perf_counter() - started:.0f} s.", flush=True)
    return have


def bare(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def tables() -> dict[str, str]:
    from onesource.core.models import Partner
    from onesource.workforce.models import Assignment, ContractPeriod, Employee, Post, SicknessAbsence

    return {
        "employee": Employee._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "post": Post._meta.db_table,
        "contract": ContractPeriod._meta.db_table,
        "sickness": SicknessAbsence._meta.db_table,
        "partner": Partner._meta.db_table,
    }


def money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def check(label: str, ours: Any, theirs: Any) -> None:
    if ours != theirs:
        print(f"  ! {label}: ours {ours!r} but the bare SQL says {theirs!r}", flush=True)


def bare_snapshot(t: dict[str, str], when: dt.date) -> dict[str, Any]:
    """The dashboard's figures for a day, by hand: headcount, FTE, by employer and contract, posts."""
    day = when.isoformat()
    employed = "e.started_on <= %s AND (e.left_on IS NULL OR e.left_on >= %s)"
    active = "{0}.starts_on <= %s AND ({0}.ends_on IS NULL OR {0}.ends_on >= %s)"
    by_employer = bare(
        f"SELECT p.code, COUNT(*) FROM {t['employee']} e "
        f"JOIN {t['partner']} p ON p.id = e.employing_partner_id "
        f"WHERE {employed} GROUP BY p.code ORDER BY p.code",
        [day, day],
    )
    fte = bare(
        f"SELECT SUM(a.fte) FROM {t['assignment']} a JOIN {t['employee']} e ON e.id = a.employee_id "
        f"WHERE {active.format('a')} AND {employed}",
        [day, day, day, day],
    )[0][0]
    by_contract = bare(
        f"SELECT c.contract_type, COUNT(DISTINCT c.employee_id) FROM {t['contract']} c "
        f"JOIN {t['employee']} e ON e.id = c.employee_id WHERE {active.format('c')} AND {employed} "
        "GROUP BY c.contract_type",
        [day, day, day, day],
    )
    posts = bare(
        f"SELECT COUNT(*), SUM(CASE WHEN po.is_senior_management THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM {t['assignment']} a WHERE a.post_id = po.id "
        f"AND {active.format('a')}) THEN 1 ELSE 0 END) FROM {t['post']} po WHERE {active.format('po')}",
        [day, day, day, day],
    )[0]
    return {
        "headcount": sum(n for _, n in by_employer),
        "fte": money(fte),
        "by_employer": dict(by_employer),
        "by_contract": dict(by_contract),
        "posts": posts[0],
        "senior": posts[1] or 0,
        "vacancies": posts[2] or 0,
    }


def bench_dashboard(t: dict[str, str]) -> None:
    from onesource.workforce.figures import WorkforceFigures

    figures = WorkforceFigures(None)
    ours, snapshot = time_it(lambda: figures.snapshot(DAY))
    bare_time, answer = time_it(lambda: bare_snapshot(t, DAY))
    report(f"Dashboard: figures on {DAY} (headcount, FTE, posts...)", ours, bare_time)
    check("headcount", snapshot.headcount, answer["headcount"])
    check("FTE", money(snapshot.fte), answer["fte"])
    check("by employer", {k: v["headcount"] for k, v in snapshot.by_employer.items()}, answer["by_employer"])
    check("vacancies", snapshot.vacancies, answer["vacancies"])
    check("posts", snapshot.posts, answer["posts"])
    print(
        f"    headcount {snapshot.headcount:,}, FTE {snapshot.fte}, vacancies {snapshot.vacancies:,}",
        flush=True,
    )

    start, end = PERIOD
    ours, period = time_it(lambda: figures.period(start, end))

    def bare_period() -> dict[str, Any]:
        first, last = start.isoformat(), end.isoformat()
        at_start, at_end = bare_snapshot(t, start), bare_snapshot(t, end)
        starters = bare(
            f"SELECT COUNT(*) FROM {t['employee']} WHERE started_on >= %s AND started_on <= %s", [first, last]
        )[0][0]
        leavers = bare(
            f"SELECT leaving_reason, COUNT(*) FROM {t['employee']} WHERE left_on >= %s AND left_on <= %s "
            "GROUP BY leaving_reason",
            [first, last],
        )
        days = bare(
            f"SELECT SUM(working_days_lost) FROM {t['sickness']} WHERE starts_on >= %s AND starts_on <= %s",
            [first, last],
        )[0][0]
        costs = {"agency": Decimal(0), "interim": Decimal(0)}
        for kind, cost, begins, ends in bare(
            f"SELECT contract_type, cost, starts_on, ends_on FROM {t['contract']} "
            "WHERE contract_type IN ('agency', 'interim') AND cost IS NOT NULL "
            "AND starts_on <= %s AND ends_on >= %s",
            [last, first],
        ):
            begins, ends = dt.date.fromisoformat(str(begins)), dt.date.fromisoformat(str(ends))
            inside = (min(ends, end) - max(begins, start)).days + 1
            costs[kind] += Decimal(str(cost)) * inside / ((ends - begins).days + 1)
        return {
            "headcount": (at_start["headcount"], at_end["headcount"]),
            "starters": starters,
            "leavers": sum(n for _, n in leavers),
            "days_lost": Decimal(str(days or 0)).quantize(Decimal("0.1")),
            "agency_cost": money(costs["agency"]),
        }

    bare_time, answer = time_it(bare_period)
    report("Dashboard: figures for 2018/19 (turnover, sickness, agency)", ours, bare_time)
    check(
        "headcount at start and end",
        (period.at_start.headcount, period.at_end.headcount),
        answer["headcount"],
    )
    check("starters", period.starters, answer["starters"])
    check("leavers", period.leavers, answer["leavers"])
    check("days lost", period.working_days_lost, answer["days_lost"])
    check("agency cost", period.agency_cost, answer["agency_cost"])
    print(
        f"    leavers {period.leavers:,}, turnover {period.turnover_percent}%, "
        f"days lost per FTE {period.days_lost_per_fte}, agency cost £{period.agency_cost:,}",
        flush=True,
    )


def bench_search(t: dict[str, str]) -> None:
    from django.db import connection

    from onesource.core.models import User
    from onesource.workforce.filters import EmployeeFilter
    from onesource.workforce.models import Employee

    manager = User.objects.filter(username="manager").first()

    def search() -> tuple[int, list[str]]:
        # What the employee list does with ?q=: the list's own filter over the user's scope.
        found = EmployeeFilter(data={"q": SEARCH}, queryset=Employee.objects.restrict(manager)).qs.order_by(
            "last_name", "first_name", "staff_number"
        )
        return found.count(), list(found.values_list("staff_number", flat=True)[:50])

    ours, (count, first) = time_it(search)

    def bare_search() -> tuple[int, list[str]]:
        # The same case-insensitive match, written as each database's indexes answer it (workforce
        # migration 0002): LIKE on SQLite (NOCASE indexes), UPPER(...) LIKE on PostgreSQL.
        if connection.vendor == "postgresql":
            where = (
                "WHERE UPPER(last_name::text) LIKE %s OR UPPER(first_name::text) LIKE %s "
                "OR UPPER(staff_number::text) = %s"
            )
            params = [f"{SEARCH.upper()}%", f"{SEARCH.upper()}%", SEARCH.upper()]
        else:
            where = "WHERE last_name LIKE %s OR first_name LIKE %s OR staff_number LIKE %s"
            params = [f"{SEARCH}%", f"{SEARCH}%", SEARCH]
        n = bare(f"SELECT COUNT(*) FROM {t['employee']} {where}", params)[0][0]
        rows = bare(
            f"SELECT staff_number FROM {t['employee']} {where} "
            "ORDER BY last_name, first_name, staff_number LIMIT 50",
            params,
        )
        return n, [r[0] for r in rows]

    bare_time, (bare_count, bare_first) = time_it(bare_search)
    report(f"Employee search by name {SEARCH!r} (count, first 50)", ours, bare_time)
    check("matches", count, bare_count)
    check("first page", first, bare_first)
    print(f"    {count:,} people match", flush=True)


def bench_series(t: dict[str, str]) -> None:
    from django.db import connection

    from onesource.workforce.figures import WorkforceFigures, month_ends

    figures = WorkforceFigures(None)
    start, end = SERIES
    ours, points = time_it(lambda: figures.monthly_series(start, end), repeat=1)
    days = month_ends(start, end)

    def bare_series() -> list[tuple[str, int]]:
        # PostgreSQL reads a bare VALUES parameter as text; SQLite keeps dates as ISO text anyway.
        one = "(CAST(%s AS DATE))" if connection.vendor == "postgresql" else "(%s)"
        months = ", ".join(one for _ in days)
        rows = bare(
            f"SELECT m.column1, COUNT(e.id) FROM (VALUES {months}) AS m "
            f"LEFT JOIN {t['employee']} e ON e.started_on <= m.column1 "
            "AND (e.left_on IS NULL OR e.left_on >= m.column1) GROUP BY m.column1 ORDER BY m.column1",
            [d.isoformat() for d in days],
        )
        return [(str(d)[:10], n) for d, n in rows]

    bare_time, answer = time_it(bare_series, repeat=1)
    report(f"Headcount by month, {start.year} to {end.year} ({len(days)} months)", ours, bare_time)
    check("series", [(p.day.isoformat(), p.headcount) for p in points], answer)
    print(
        f"    {points[0].headcount:,} at {points[0].day} to {points[-1].headcount:,} at {points[-1].day}",
        flush=True,
    )


def bench_transparency(t: dict[str, str]) -> None:
    import statistics

    from onesource.core.models import Partner, User
    from onesource.workforce import transparency

    manager = User.objects.filter(username="manager").first()
    partner = Partner.objects.get(code="NEW")
    ours, result = time_it(lambda: transparency.pay_multiple(manager, partner, DAY))

    def bare_pay() -> tuple[Decimal, Decimal]:
        day = DAY.isoformat()
        pay = [
            Decimal(str(row[0]))
            for row in bare(
                f"SELECT MAX(a.salary) FROM {t['assignment']} a "
                f"JOIN {t['employee']} e ON e.id = a.employee_id "
                "WHERE a.starts_on <= %s AND (a.ends_on IS NULL OR a.ends_on >= %s) "
                "AND e.started_on <= %s AND (e.left_on IS NULL OR e.left_on >= %s) "
                "AND e.employing_partner_id = %s AND a.salary IS NOT NULL GROUP BY a.employee_id",
                [day, day, day, day, partner.pk],
            )
        ]
        return max(pay), money(statistics.median(pay))

    bare_time, (highest, median) = time_it(bare_pay)
    report(f"Transparency: pay multiple for {partner.code} on {DAY}", ours, bare_time)
    if result is not None:
        check(
            "highest and median",
            (money(result["highest_salary"]), money(result["median_salary"])),
            (money(highest), median),
        )
    ours, rows = time_it(lambda: transparency.senior_salaries(manager, partner, DAY))
    report(f"Transparency: senior salaries for {partner.code}", ours)
    ours, chart = time_it(lambda: transparency.org_chart(manager, partner, DAY))
    report(f"Transparency: organisation chart for {partner.code}", ours)
    print(
        f"    {len(rows):,} senior salaries; {len(transparency.flatten(chart)):,} posts in the chart",
        flush=True,
    )


def main() -> None:
    setup_django("workforce")
    from django.db import connection

    employees = ensure_partnership()
    t = tables()
    print(f"Workforce benchmarks on {connection.vendor}, {employees:,} employees.", flush=True)
    bench_dashboard(t)
    bench_search(t)
    bench_series(t)
    bench_transparency(t)


if __name__ == "__main__":
    main()
