"""Demo cost sharing: agreements, budgets and actuals 2014/15 to 2022/23, driver figures and recharge runs.

Deterministic (ctx.rng). Ledger lines, driver figures and time entries are generated in bulk; agreements
and runs go through the actions, so the runs are computed exactly as a finance officer's would be.
The figures reproduce the published 2017/18 shared underspend of £1.342m, apportioned Havering
£0.630m, Newham £0.649m and Bexley £0.063m.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from onesource.core.demo import BEXLEY_JOINS, BEXLEY_LEAVES, DemoContext, demo_step
from onesource.core.drivers import DRIVER_PROVIDERS
from onesource.core.models import User
from onesource.costing import actions
from onesource.costing.models import ActualLine, BudgetLine, DriverQuantity, SupportUsage, TimeEntry

FIRST_YEAR, LAST_YEAR = 2014, 2022  # 2014/15 to 2022/23; the last is the current year's draft
D = Decimal
PENNY = D("0.01")

FINANCE = ["strategic-finance", "internal-audit", "insurance-risk"]
SUPPORT = ["ict-infrastructure", "ict-service-desk", "business-services"]  # the service's own support
HR = ["hr-operations", "organisational-development"]
CASELOAD = {"revenues": "council-tax properties", "benefits": "benefit claims"}
TRANSACTIONS = {"accounts-payable-receivable": "invoices paid"}
TIME_RECORDED = ["legal"]

# 2017/18 variances (actual - budget) on shared lines, chosen so that the agreements give the published
# apportionment: finance 43/42/15 carries £420k, revenues (caseload 112,000 : 98,000) £222k and 50/50
# services £700k. Newham 180,600 + 118,400 + 350,000 = 649,000; Havering 176,400 + 103,600 + 350,000
# = 630,000; Bexley 63,000. Every other shared line in 2017/18 is on budget.
VARIANCES_2017 = {
    "strategic-finance": D("-200000"),
    "internal-audit": D("-140000"),
    "insurance-risk": D("-80000"),
    "revenues": D("-222000"),
    "property-services": D("-250000"),
    "facilities-management": D("-180000"),
    "governance": D("-150000"),
    "procurement": D("-120000"),
}
COUNCIL_TAX_2017 = {"NEW": D(112000), "HAV": D(98000)}


def _money(value: float | Decimal) -> Decimal:
    return D(str(value)).quantize(D("100"), ROUND_HALF_UP)  # demo budgets in whole hundreds of pounds


def _split_months(total: Decimal, rng) -> list[Decimal]:
    """Twelve monthly amounts that add up to `total` exactly."""
    weights = [rng.uniform(0.8, 1.2) for _ in range(12)]
    parts = [(total * D(str(w / sum(weights)))).quantize(PENNY) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _has_figures(key: str, service, year: int) -> bool:
    """Whether a driver from another app is registered and has figures for this service and year."""
    if key not in DRIVER_PROVIDERS:
        return False
    return bool(DRIVER_PROVIDERS[key].provide(service, dt.date(year, 4, 1), dt.date(year + 1, 3, 31)))


@demo_step(30, "costing")
def build_costing(ctx: DemoContext) -> None:
    rng = ctx.rng
    user = ctx.system_user
    new, hav, bex = ctx.partners["NEW"], ctx.partners["HAV"], ctx.partners["BEX"]
    services = ctx.services
    years = range(FIRST_YEAR, LAST_YEAR + 1)

    # Budgets: each service's base budget grows about 2% a year; actuals vary by up to ±3%.
    budgets: list[BudgetLine] = []
    actuals: list[ActualLine] = []
    base = {code: _money(rng.uniform(800_000, 6_000_000)) for code in services}
    for year in years:
        for code, service in services.items():
            owner = service.owner_partner
            budget = _money(base[code] * D(str(1.02 ** (year - FIRST_YEAR))))
            if year == 2017:
                variance = VARIANCES_2017.get(code, D(0))
            elif code in SUPPORT:
                variance = D(0)
            else:
                variance = _money(budget * D(str(rng.uniform(-0.03, 0.03))))
            staff = _money(budget * D("0.78"))
            for centre, description, amount in (
                (f"{code[:6].upper()}-PAY", "Staff", staff),
                (f"{code[:6].upper()}-NP", "Running costs", budget - staff),
            ):
                budgets.append(
                    BudgetLine(
                        service=service,
                        year=year,
                        owner_partner=owner,
                        cost_centre=centre,
                        description=description,
                        amount=amount,
                        source="Demo: approved budget",
                    )
                )
            for month, amount in enumerate(_split_months(budget + variance, rng), start=1):
                actuals.append(
                    ActualLine(
                        service=service,
                        year=year,
                        month=month,
                        owner_partner=owner,
                        cost_centre=f"{code[:6].upper()}-PAY",
                        description="Ledger month end",
                        amount=amount,
                        source="Demo: general ledger",
                    )
                )
        # Havering's own local scheme run by Revenues: a non-shared line whose variance stays with Havering.
        own_budget = _money(rng.uniform(150_000, 250_000))
        budgets.append(
            BudgetLine(
                service=services["revenues"],
                year=year,
                owner_partner=hav,
                cost_centre="REV-HAVLS",
                description="Havering local support scheme",
                amount=own_budget,
                source="Demo: approved budget",
            )
        )
        actuals.append(
            ActualLine(
                service=services["revenues"],
                year=year,
                owner_partner=hav,
                cost_centre="REV-HAVLS",
                description="Havering local support scheme",
                amount=own_budget + _money(rng.uniform(-20_000, 30_000)),
                source="Demo: general ledger",
            )
        )
    BudgetLine.objects.bulk_create(budgets, batch_size=2000)
    ActualLine.objects.bulk_create(actuals, batch_size=2000)

    # Driver figures: council-tax properties, benefit claims (monthly), invoices, legal time.
    counts: list[DriverQuantity] = []
    for year in years:
        drift = D(str(1 + 0.01 * (year - 2017)))
        for code, measure in CASELOAD.items():
            if code == "revenues":
                for partner_code, partner in (("NEW", new), ("HAV", hav)):
                    quantity = COUNCIL_TAX_2017[partner_code] * drift
                    if year != 2017:
                        quantity *= D(str(rng.uniform(0.99, 1.01)))
                    counts.append(
                        DriverQuantity(
                            kind="caseload",
                            service=services[code],
                            partner=partner,
                            year=year,
                            measure=measure,
                            quantity=quantity.quantize(D(1)),
                            source="Demo: valuation list",
                        )
                    )
            else:
                for partner, level in ((new, 31_000), (hav, 17_000)):
                    for month in range(1, 13):
                        counts.append(
                            DriverQuantity(
                                kind="caseload",
                                service=services[code],
                                partner=partner,
                                year=year,
                                month=month,
                                measure=measure,
                                quantity=D(round(level * rng.uniform(0.95, 1.05))),
                                source="Demo: benefits system",
                            )
                        )
        for code, measure in TRANSACTIONS.items():
            for partner, level in ((new, 140_000), (hav, 120_000)):
                counts.append(
                    DriverQuantity(
                        kind="transactions",
                        service=services[code],
                        partner=partner,
                        year=year,
                        measure=measure,
                        quantity=D(round(level * rng.uniform(0.97, 1.03))),
                        source="Demo: payments system",
                    )
                )
    DriverQuantity.objects.bulk_create(counts, batch_size=2000)
    entries: list[TimeEntry] = []
    lawyers = [f"L{i:03d}" for i in range(1, 13)]
    day = dt.date(FIRST_YEAR, 4, 7)
    while day <= dt.date(LAST_YEAR + 1, 3, 31):
        for person in lawyers:
            newham_hours = D(str(round(rng.uniform(14, 24) * 2) / 2))
            entries.append(
                TimeEntry(person=person, partner=new, service=services["legal"], date=day, hours=newham_hours)
            )
            entries.append(
                TimeEntry(
                    person=person,
                    partner=hav,
                    service=services["legal"],
                    date=day,
                    hours=D(36) - newham_hours,
                )
            )
        day += dt.timedelta(days=7)
    TimeEntry.objects.bulk_create(entries, batch_size=5000)

    # Support usage: who uses the shared service's own ICT and business support, each year.
    users = [s for code, s in services.items() if s.owner_partner_id is None]
    usage: list[SupportUsage] = []
    for year in years:
        for pool_code in SUPPORT:
            for service in users:
                if service.code == pool_code:
                    continue
                usage.append(
                    SupportUsage(
                        year=year,
                        support_service=services[pool_code],
                        user_service=service,
                        quantity=D(rng.randint(5, 60)),
                        unit="tickets" if pool_code == "ict-service-desk" else "hours",
                    )
                )
    SupportUsage.objects.bulk_create(usage, batch_size=2000)

    # Agreements per service per year, through the action (it checks the percentages).
    for year in years:
        bexley_in = BEXLEY_JOINS.year <= year <= BEXLEY_LEAVES.year
        for code, service in services.items():
            if service.owner_partner_id is not None:
                continue  # a partner's own service: its lines are non-shared, no agreement needed
            fields: dict = {"service": service, "year": year, "basis": "formula", "shares": None}
            if code in SUPPORT:
                fields.update(
                    is_support=True, support_method="reciprocal", support_order=SUPPORT.index(code) + 1
                )
            elif code in FINANCE and bexley_in:
                fields["shares"] = {new: D(43), hav: D(42), bex: D(15)}
            elif code in HR and _has_figures("headcount", service, year):
                fields["basis"] = "headcount"
            elif code in TIME_RECORDED:
                fields["basis"] = (
                    "time_allocation" if _has_figures("time_allocation", service, year) else "time_recorded"
                )
            elif code in CASELOAD:
                fields["basis"] = "caseload"
            elif code in TRANSACTIONS:
                fields["basis"] = "transactions"
            if fields["basis"] == "formula" and not fields.get("is_support") and fields["shares"] is None:
                fields["shares"] = {new: D(50), hav: D(50)}
            shares = fields.pop("shares")
            actions.create_agreement(shares=shares, acting_user=user, **fields)

    # Runs: approved for past years (2021/22 trued up from a 9-month estimate; 2019/20 corrected once),
    # and a draft for the current year.
    # Built by shared-service finance; each council's finance officer signs off its own statement, so the
    # approved years carry their sign-offs and the current year's draft waits for HAV's and NEW's.
    builder = User.objects.get(username="finance-lead")

    def sign_off_by_every_member(run) -> None:
        for sign_off in run.sign_offs.select_related("partner"):
            signer = User.objects.get(username=f"{sign_off.partner.code.lower()}-finance")
            actions.sign_off_statement(
                run, sign_off.partner, comment="Agreed with our ledger.", acting_user=signer
            )

    for year in years:
        if year == 2021:
            estimate = actions.create_recharge_run(
                year=year,
                up_to_month=9,
                is_estimate=True,
                note="Estimate from 9 months of actuals",
                acting_user=builder,
            )
            sign_off_by_every_member(estimate)
        run = actions.create_recharge_run(year=year, acting_user=builder)
        if year == LAST_YEAR:
            break
        sign_off_by_every_member(run)
        if year == 2019:
            actions.create_actual_line(
                service=services["legal"],
                year=year,
                month=12,
                amount=D("48250.00"),
                cost_centre="LEGAL-PAY",
                description="Counsel's fees invoiced late",
                source="Demo: late invoice",
                acting_user=builder,
            )
            correction = actions.create_recharge_run(
                year=year, note="Counsel's fees invoiced after approval", acting_user=builder
            )
            sign_off_by_every_member(correction)
    ctx.log(
        f"Demo: costing: {len(budgets)} budget lines, {len(actuals)} actual lines, "
        f"{len(entries)} time entries."
    )


# The benchmarks' scaled costing data (`onesource demo --scale N`) is a step of its own.
from onesource.costing import demo_scaled  # noqa: E402, F401
