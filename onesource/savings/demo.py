"""Demo savings, from the seeds: the £40m five-year business case from 2014/15; £4.1m delivered in
2014/15 and £22.9m more identified; the senior management reduction of £2,115,000 over five years;
mediation (about £330,000) and e-learning (about £100,000); about £13m saved by 2018/19 across Newham,
Havering and Bexley; agency and interim reduction of about £1m; and the 2020-21 savings the 2021
scrutiny report mentions. Amounts of the other lines are spread deterministically to hit those totals.
"""

from __future__ import annotations

from decimal import Decimal

from onesource.core.demo import DemoContext, demo_step
from onesource.core.money import split_to_penny
from onesource.savings import actions
from onesource.savings.models import SavingsAmount, SavingsLineShare

D = Decimal
FIRST_YEAR = 2014
YEAR_TARGETS = {
    2014: D(6_000_000),
    2015: D(9_000_000),
    2016: D(9_000_000),
    2017: D(8_000_000),
    2018: D(8_000_000),
}
DELIVERED_2014 = D(4_100_000)
PLANNED_2014 = D(4_600_000)
FURTHER_IDENTIFIED = D(22_900_000)  # planned 2015/16 to 2018/19, as identified in 2015
SAVED_BY_2018 = D(13_000_000)  # delivered 2014/15 to 2018/19
FOUNDERS = {"NEW": D(50), "HAV": D(50)}
WITH_BEXLEY = {"NEW": D(43), "HAV": D(42), "BEX": D(15)}  # the finance distribution formula

# Lines whose figures the seeds give:
# (reference, title, service, lever, status, owner, {year: (planned, delivered)}, shares)
KNOWN_LINES = [
    (
        "sm-01",
        "Senior management reduction: five fewer senior posts",
        "business-services",
        "senior_management",
        "delivered",
        "Director of oneSource",
        {y: (D(423_000), D(423_000)) for y in range(2014, 2019)},
        FOUNDERS,
    ),
    (
        "hr-02",
        "Shared internal mediation service",
        "hr-operations",
        "process_efficiency",
        "delivered",
        "Head of HR Operations",
        {y: (D(66_000), D(66_000)) for y in range(2014, 2019)},
        FOUNDERS,
    ),
    (
        "od-01",
        "E-learning, downloadable guides and in-house psychometric testing",
        "organisational-development",
        "process_efficiency",
        "delivered",
        "Head of Organisational Development",
        {y: (D(20_000), D(20_000)) for y in range(2014, 2019)},
        FOUNDERS,
    ),
]

# Lines after the business case, from the 2021 scrutiny report.
LATER_LINES = [
    (
        "agency-01",
        "Agency and interim reduction across oneSource",
        "hr-operations",
        "agency_interim",
        "delivered",
        "Director of HR and OD",
        {2019: (D(400_000), D(380_000)), 2020: (D(350_000), D(331_000))},
        FOUNDERS,
    ),
    (
        "legal-02",
        "Legal: agency staff to permanent posts (31 posts recruited, 19 from agency)",
        "legal",
        "agency_interim",
        "delivered",
        "Head of Legal Services",
        {2020: (D(289_000), D(289_000))},
        FOUNDERS,
    ),
    (
        "inc-03",
        "New business for Havering Passenger Transport Service",
        "business-services",
        "income_generation",
        "delivered",
        "Head of Business Services",
        {2020: (D(345_000), D(345_000))},
        {"HAV": D(100)},
    ),
    (
        "asset-02",
        "Mercury House decommissioning and PASC lease exit (£130k a year)",
        "property-services",
        "asset_rationalisation",
        "in_progress",
        "Head of Property Services",
        {2021: (D("75833.33"), D(0)), 2022: (D(130_000), D(0))},
        {"HAV": D(100)},
    ),
]

# The rest of the business case: (reference, title, service, lever, weight, first year, last year,
# share of plan delivered, status, shares). Their amounts are spread to meet the seed totals.
SPREAD_LINES = [
    (
        "ict-01",
        "Shared ICT infrastructure and ICT restructure",
        "ict-infrastructure",
        "deduplication",
        5,
        2014,
        2018,
        D("0.55"),
        "in_progress",
        FOUNDERS,
    ),
    (
        "legal-01",
        "Legal services restructure",
        "legal",
        "deduplication",
        3,
        2014,
        2017,
        D("0.8"),
        "delivered",
        FOUNDERS,
    ),
    (
        "exch-01",
        "Transactional and exchequer management structure",
        "accounts-payable-receivable",
        "deduplication",
        2,
        2014,
        2016,
        D("0.9"),
        "delivered",
        FOUNDERS,
    ),
    (
        "fm-01",
        "Facilities management restructure",
        "facilities-management",
        "deduplication",
        2,
        2014,
        2016,
        D("0.9"),
        "delivered",
        FOUNDERS,
    ),
    (
        "audit-01",
        "Internal audit restructure",
        "internal-audit",
        "deduplication",
        1,
        2014,
        2015,
        D("1"),
        "delivered",
        FOUNDERS,
    ),
    (
        "cap-01",
        "Capital programmes restructure",
        "capital-programmes",
        "deduplication",
        1,
        2014,
        2015,
        D("1"),
        "delivered",
        FOUNDERS,
    ),
    (
        "hs-01",
        "Health and safety restructure",
        "health-safety",
        "deduplication",
        1,
        2014,
        2015,
        D("1"),
        "delivered",
        FOUNDERS,
    ),
    (
        "proc-01",
        "Joint procurement of common contracts",
        "procurement",
        "procurement",
        4,
        2015,
        2018,
        D("0.35"),
        "at_risk",
        FOUNDERS,
    ),
    (
        "inc-01",
        "Traded legal services for other councils",
        "legal",
        "income_generation",
        2,
        2015,
        2018,
        D("0.6"),
        "in_progress",
        FOUNDERS,
    ),
    (
        "rev-01",
        "Revenues and benefits lean process review",
        "benefits",
        "process_efficiency",
        3,
        2015,
        2018,
        D("0.4"),
        "in_progress",
        FOUNDERS,
    ),
    (
        "fin-01",
        "Finance restructure with Bexley",
        "strategic-finance",
        "deduplication",
        3,
        2016,
        2018,
        D("0.7"),
        "delivered",
        WITH_BEXLEY,
    ),
    (
        "inc-02",
        "Ethical enforcement: debt collection for other councils",
        "revenues",
        "income_generation",
        2,
        2016,
        2018,
        D("0.5"),
        "in_progress",
        FOUNDERS,
    ),
    (
        "prop-01",
        "Office accommodation rationalisation",
        "property-services",
        "asset_rationalisation",
        3,
        2016,
        2018,
        D("0.3"),
        "at_risk",
        FOUNDERS,
    ),
    (
        "bs-01",
        "Oracle shared system process efficiencies",
        "business-systems",
        "process_efficiency",
        4,
        2016,
        2018,
        D("0"),
        "dropped",
        FOUNDERS,
    ),
    (
        "ict-02",
        "Desktop and telephony consolidation",
        "ict-service-desk",
        "procurement",
        2,
        2017,
        2018,
        D("0.2"),
        "at_risk",
        FOUNDERS,
    ),
]
SPREAD_PLANNED = {2015: D(5_800_000), 2016: D(5_600_000), 2017: D(5_000_000)}  # 2018 takes the rest


def in_thousands(amount: Decimal, weights: dict[str, Decimal]) -> dict[str, Decimal]:
    """Split into round amounts (to £10) that still add up exactly."""
    return {k: (v * 1000).quantize(D("1")) for k, v in split_to_penny(amount / 1000, weights).items()}


def spread_amounts() -> dict[str, dict[int, tuple[Decimal, Decimal]]]:
    """Planned and delivered per spread line and year, meeting the seed totals exactly (to the pound)."""
    known_planned = {y: sum((d[y][0] for *_, d, _ in KNOWN_LINES), D(0)) for y in range(2014, 2019)}
    known_delivered = {y: sum((d[y][1] for *_, d, _ in KNOWN_LINES), D(0)) for y in range(2014, 2019)}
    planned_total = dict(SPREAD_PLANNED)
    planned_total[2018] = (
        FURTHER_IDENTIFIED - sum(SPREAD_PLANNED.values()) - sum(known_planned[y] for y in range(2015, 2019))
    )
    planned_total[2014] = PLANNED_2014 - known_planned[2014]
    out: dict[str, dict[int, tuple[Decimal, Decimal]]] = {ref: {} for ref, *_ in SPREAD_LINES}
    planned: dict[tuple[str, int], Decimal] = {}
    for year in range(2014, 2019):
        active = {ref: D(w) for ref, _, _, _, w, first, last, *_ in SPREAD_LINES if first <= year <= last}
        for ref, amount in in_thousands(planned_total[year], active).items():
            planned[(ref, year)] = amount
    rates = {ref: rate for ref, *_, rate, _, _ in SPREAD_LINES}
    # 2014/15: each line delivered the same share of its plan; later years by each line's delivery rate.
    first_year = {ref: planned[(ref, y)] for (ref, y) in planned if y == 2014}
    delivered = {
        (ref, 2014): v for ref, v in in_thousands(DELIVERED_2014 - known_delivered[2014], first_year).items()
    }
    later_target = SAVED_BY_2018 - DELIVERED_2014 - sum(known_delivered[y] for y in range(2015, 2019))
    weights = {f"{ref}:{y}": planned[(ref, y)] * rates[ref] for (ref, y) in planned if y > 2014}
    for key, value in in_thousands(later_target, {k: w for k, w in weights.items() if w > 0}).items():
        ref, year_text = key.split(":")
        delivered[(ref, int(year_text))] = value
    for (ref, year), amount in planned.items():
        out[ref][year] = (amount, min(delivered.get((ref, year), D(0)), amount))
    return out


@demo_step(40, "savings")
def build_savings(ctx: DemoContext) -> None:
    user = ctx.system_user
    case = actions.create_business_case(
        code="business-case-2014-19",
        name="oneSource business case 2014 to 2019",
        first_year=FIRST_YEAR,
        years=5,
        target=D(40_000_000),
        description=(
            "The Joint Committee's case for the shared service: £40m of savings over five years through "
            "eliminating duplication, reducing senior management costs and process efficiencies."
        ),
        acting_user=user,
    )
    for year, target in YEAR_TARGETS.items():
        actions.set_year_target(case, year=year, target=target, acting_user=user)

    spread = spread_amounts()
    definitions = [
        (ref, title, service, lever, status, owner, amounts, shares)
        for ref, title, service, lever, status, owner, amounts, shares in KNOWN_LINES
    ]
    for ref, title, service, lever, _w, _f, _l, _r, status, shares in SPREAD_LINES:
        definitions.append((ref, title, service, lever, status, "", spread[ref], shares))
    definitions += LATER_LINES
    if ctx.is_scaled:
        for code in sorted(ctx.extra.get("synthetic_partners", set())):
            definitions.append(
                (
                    f"syn-{code.lower()}",
                    f"Synthetic saving for {code}",
                    "legal",
                    "process_efficiency",
                    "planned",
                    "",
                    {y: (D(10_000), D(ctx.rng.randrange(0, 10_000))) for y in range(2019, 2022)},
                    {code: D(100)},
                )
            )

    amount_rows: list[SavingsAmount] = []
    share_rows: list[SavingsLineShare] = []
    for ref, title, service_code, lever, status, owner, by_year, percentages in definitions:
        line = actions.create_savings_line(
            business_case=case,
            reference=ref,
            title=title,
            service=ctx.services[service_code],
            owner=owner or ctx.services[service_code].head_of_service,
            lever=lever,
            status=status,
            acting_user=user,
        )
        amount_rows += [
            SavingsAmount(line=line, year=y, planned=p, delivered=d) for y, (p, d) in sorted(by_year.items())
        ]
        share_rows += [
            SavingsLineShare(line=line, partner=ctx.partners[code], percent=pc)
            for code, pc in percentages.items()
        ]
    SavingsAmount.objects.bulk_create(amount_rows)
    SavingsLineShare.objects.bulk_create(share_rows)
    ctx.extra["savings_case"] = case
