"""Demo data for the performance framework, from the seeds: KPIs with four years of monthly results,
50 awards shortlisted and 14 won, Lexcel, and the traded contracts won with other councils."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from onesource.core.demo import BEXLEY_LEAVES, CUSTOMERS, DemoContext, demo_step
from onesource.performance import actions
from onesource.performance.models import Achievement, KpiResult

FIRST_MONTH = dt.date(2018, 4, 1)
MONTHS = 48  # April 2018 to March 2022
# KPIs that are a figure another app computes (core.figures): their results are computed, not made up.
COMPUTED_FROM = {"sickness-days-fte": "days_lost_per_fte"}
PANDEMIC = (dt.date(2020, 4, 1), dt.date(2021, 3, 1))

# code, name, unit, direction, target, amber tolerance, service, owner,
# (typical value, yearly improvement, seasonal swing, noise, pandemic effect), measured for Bexley too
KPIS = [
    (
        "invoices-30-days",
        "Invoices paid within 30 days",
        "%",
        "higher",
        "92",
        "4",
        "accounts-payable-receivable",
        "Imran Qureshi",
        (90.0, 1.0, 1.5, 1.2, -4.0),
        False,
    ),
    (
        "calls-answered",
        "Calls answered within 60 seconds",
        "%",
        "higher",
        "85",
        "5",
        "business-services",
        "Lucy Hammond",
        (82.0, 1.5, 3.0, 2.0, -7.0),
        False,
    ),
    (
        "sickness-days-fte",
        "Working days lost to sickness per FTE (rolling 12 months)",
        "days per FTE",
        "lower",
        "8",
        "1",
        "hr-operations",
        "Angela Price",
        (9.2, -0.4, 0.3, 0.15, -0.8),
        False,
    ),
    (
        "council-tax-collection",
        "Council tax collected against the monthly profile",
        "%",
        "higher",
        "100",
        "1.5",
        "revenues",
        "Jacqueline Moss",
        (99.6, 0.2, 0.4, 0.4, -2.5),
        False,
    ),
    (
        "legal-matters-closed",
        "Legal matters closed within the agreed timescale",
        "%",
        "higher",
        "80",
        "5",
        "legal",
        "Daniel Fenwick",
        (78.0, 1.5, 1.0, 2.5, -5.0),
        False,
    ),
    (
        "benefit-claim-days",
        "Days to process new benefit claims",
        "days",
        "lower",
        "20",
        "4",
        "benefits",
        "Kwame Asante",
        (22.0, -1.0, 1.5, 1.5, 5.0),
        False,
    ),
    (
        "ict-incidents-sla",
        "ICT incidents resolved within the service level",
        "%",
        "higher",
        "90",
        "5",
        "ict-service-desk",
        "Paul Nwosu",
        (86.0, 1.5, 1.0, 2.0, -3.0),
        False,
    ),
    (
        "payroll-accuracy",
        "Payroll paid accurately and on time",
        "%",
        "higher",
        "99.5",
        "0.3",
        "payroll-pensions",
        "Helen Carter",
        (99.4, 0.05, 0.05, 0.12, -0.1),
        False,
    ),
    (
        "agency-interim-share",
        "Agency and interim staff as a share of the workforce",
        "%",
        "lower",
        "8",
        "2",
        "hr-operations",
        "Angela Price",
        (12.0, -1.5, 0.3, 0.5, 0.5),
        False,
    ),
    (
        "audit-plan-delivered",
        "Internal audit plan delivered to date",
        "%",
        "higher",
        "90",
        "10",
        "internal-audit",
        "Neil Foster",
        (88.0, 1.0, 2.0, 3.0, -8.0),
        True,
    ),
]

AWARD_SCHEMES = [
    ("LGC Awards", "Local Government Chronicle"),
    ("MJ Awards", "The Municipal Journal"),
    ("Public Finance Awards", "Public Finance"),
    ("CIPD People Management Awards", "CIPD"),
    ("HR Excellence Awards", "HR Magazine"),
    ("Personnel Today Awards", "Personnel Today"),
    ("Lawyer Awards", "Local Government Lawyer"),
    ("iESE Public Sector Transformation Awards", "iESE"),
    ("GO Awards", "GO Awards (public procurement)"),
    ("UK IT Industry Awards", "BCS and Computing"),
    ("Digital Leaders 100", "Digital Leaders"),
    ("IRRV Performance Awards", "Institute of Revenues, Rating and Valuation"),
]
AWARD_CATEGORIES = [
    "Public/Public Partnership",
    "Shared Service of the Year",
    "Team of the Year",
    "Innovation",
    "Best Use of Technology",
    "Workforce Transformation",
    "Legal Team of the Year",
    "Excellence in Revenues",
    "Procurement Team of the Year",
    "Health and Wellbeing Initiative",
    "Finance Team of the Year",
    "Customer Service",
]
CONTRACT_VALUES = {"NOR": 450000, "THU": 180000, "BAS": 120000, "RED": 95000, "STE": 210000,
                   "ESS": 320000, "WAL": 85000, "BAR": 150000}  # fmt: skip


def _month(index: int) -> dt.date:
    year, month = divmod(FIRST_MONTH.month - 1 + index, 12)
    return dt.date(FIRST_MONTH.year + year, month + 1, 1)


def _value(ctx: DemoContext, shape: tuple[float, ...], index: int, offset: float, month: dt.date) -> Decimal:
    typical, yearly, swing, noise, pandemic = shape
    value = typical + offset + yearly * index / 12 + swing * math.sin(2 * math.pi * (month.month - 4) / 12)
    if PANDEMIC[0] <= month <= PANDEMIC[1]:
        value += pandemic
    value += ctx.rng.gauss(0, noise)
    return Decimal(str(round(value, 2)))


@demo_step(50, "performance")
def build_performance(ctx: DemoContext) -> None:
    user = ctx.system_user
    synthetic = ctx.extra.get("synthetic_partners", set())
    results: list[KpiResult] = []
    for code, name, unit, direction, target, tolerance, service, owner, shape, bexley in KPIS:
        kpi = actions.create_kpi(
            code=code,
            name=name,
            unit=unit,
            direction=direction,
            frequency="monthly",
            target=Decimal(target),
            amber_tolerance=Decimal(tolerance),
            owner=owner,
            service=ctx.services.get(service),
            description="",
            source=COMPUTED_FROM.get(code, ""),
            is_active=True,
            acting_user=user,
        )
        measured = ["NEW", "HAV", *sorted(synthetic)] + (["BEX"] if bexley else [])
        if kpi.source:
            computed = actions.compute_kpi_results(
                kpi,
                periods=[_month(index) for index in range(MONTHS)],
                partners=[ctx.partners["NEW"], ctx.partners["HAV"], None],
                acting_user=user,
            )
            ctx.log(f"  {kpi.name}: {len(computed)} results computed from the workforce")
            continue
        offsets = {p: ctx.rng.uniform(-1, 1) * shape[3] * 2 for p in measured}
        for index in range(MONTHS):
            month = _month(index)
            values: list[Decimal] = []
            for partner_code in measured:
                if partner_code == "BEX" and month > BEXLEY_LEAVES:
                    continue
                value = _value(ctx, shape, index, offsets[partner_code], month)
                if unit == "%":
                    value = min(value, Decimal("100.00"))
                if partner_code in ("NEW", "HAV"):
                    values.append(value)
                results.append(
                    KpiResult(kpi=kpi, partner=ctx.partners[partner_code], period_start=month, value=value)
                )
            average = (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))
            results.append(KpiResult(kpi=kpi, partner=None, period_start=month, value=average))
    KpiResult.objects.bulk_create(results, batch_size=2000)
    ctx.log(f"  {len(KPIS)} KPIs, {len(results)} monthly results")
    _achievements(ctx)


def _achievements(ctx: DemoContext) -> None:
    rng = ctx.rng
    records: list[Achievement] = []
    # 50 shortlistings over 2014-2021, 14 of them won (seed: "shortlisted for over 50 awards, winning 14").
    won = set(rng.sample(range(50), 14))
    start = dt.date(2014, 9, 1)
    for index in range(50):
        scheme, body = AWARD_SCHEMES[index % len(AWARD_SCHEMES)]
        category = AWARD_CATEGORIES[(index * 5) % len(AWARD_CATEGORIES)]
        day = start + dt.timedelta(days=int(index * 2540 / 50) + rng.randint(0, 20))
        records.append(
            Achievement(
                kind="award",
                title=f"{scheme} {day.year}: {category}",
                organisation=body,
                achieved_on=day,
                outcome="won" if index in won else "shortlisted",
            )
        )
    legal = ctx.services.get("legal")
    records += [
        Achievement(
            kind="accreditation",
            title="Lexcel accreditation awarded to Legal Services",
            organisation="The Law Society",
            achieved_on=dt.date(2019, 3, 15),
            service=legal,
            description="The Law Society's legal practice quality mark.",
        ),
        Achievement(
            kind="accreditation",
            title="Lexcel accreditation retained after a remote external audit",
            organisation="The Law Society",
            achieved_on=dt.date(2021, 3, 10),
            service=legal,
            description="The external audit was run remotely during the pandemic.",
        ),
    ]
    names = {code: name for code, name, *_ in CUSTOMERS}
    for code, _, _, joined, _, bought in CUSTOMERS:
        service = ctx.services.get(bought[0])
        records.append(
            Achievement(
                kind="new_business",
                title=f"Traded {service.name if service else bought[0]} contract",
                organisation=names[code],
                achieved_on=joined - dt.timedelta(days=45),
                value=Decimal(CONTRACT_VALUES.get(code, 100000)),
                service=service,
            )
        )
    records += [
        Achievement(
            kind="new_business",
            title="New business for Havering Passenger Transport Service",
            organisation="",
            achieved_on=dt.date(2021, 3, 31),
            value=Decimal("345000"),
            partner=ctx.partners.get("HAV"),
            description="New passenger transport contracts generated £345k.",
        ),
        Achievement(
            kind="new_business",
            title="Ethical enforcement (debt collection) services",
            organisation="",
            achieved_on=dt.date(2020, 10, 1),
            value=Decimal("185000"),
            service=ctx.services.get("revenues"),
            description="The Enforcement Team's ethical debt collection, bought by several other councils.",
        ),
    ]
    Achievement.objects.bulk_create(records)
    ctx.log(f"  {len(records)} achievements")
