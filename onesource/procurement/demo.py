"""Demo procurement: suppliers shared across Newham, Havering and Bexley, a contract register of a few
hundred contracts (some joint, some expiring soon, some with Procurement Act notices overdue), and two
years of each council's spend, loaded through the real spend import from generated CSV files.

Dates are relative to the day the demo is built, so that "expiring in 3 months" and "the last 12
months" always have something to show.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone

from onesource.core.csvio import csv_writer
from onesource.core.demo import DemoContext, demo_step
from onesource.procurement import actions
from onesource.procurement.models import Procedure, Supplier
from onesource.procurement.register import months_after
from onesource.procurement.spend import import_spend

COUNCILS = ("NEW", "HAV", "BEX")
COUNCIL_NAMES = {"NEW": "Newham", "HAV": "Havering", "BEX": "Bexley"}

# (name, ProClass category, Companies House number, SME, VCSE, typical payment £)
SUPPLIERS = [
    ("Civica UK Limited", "Information Communication Technology", "01628868", False, False, 18000),
    ("Capita Business Services Ltd", "Information Communication Technology", "02299747", False, False, 25000),
    (
        "Northgate Public Services (UK) Limited",
        "Information Communication Technology",
        "00968498",
        False,
        False,
        15000,
    ),
    ("Softcat plc", "Information Communication Technology", "02174990", False, False, 6000),
    ("Veolia ES (UK) Limited", "Environmental Services", "02481991", False, False, 90000),
    ("Biffa Waste Services Limited", "Environmental Services", "00946107", False, False, 40000),
    ("Idverde Limited", "Environmental Services", "01787834", False, False, 22000),
    ("Mitie Facilities Services Limited", "Facilities Management", "02822859", False, False, 30000),
    ("Bidvest Noonan (UK) Limited", "Facilities Management", "02867244", False, False, 12000),
    ("Ark Cleaning Services Ltd", "Facilities Management", "07765432", True, False, 2500),
    ("Kier Construction Limited", "Construction", "02099533", False, False, 150000),
    ("Wates Construction Limited", "Construction", "01977319", False, False, 120000),
    ("Morgan Sindall Property Services Limited", "Construction", "02808318", False, False, 80000),
    ("Hays Specialist Recruitment Limited", "Human Resources", "02150357", False, False, 9000),
    ("Reed Specialist Recruitment Limited", "Human Resources", "00664008", False, False, 8000),
    ("Matrix SCM Limited", "Human Resources", "04937079", False, False, 35000),
    ("Allpay Limited", "Financial Services", "02933191", False, False, 4000),
    ("Zurich Municipal", "Financial Services", "", False, False, 60000),
    ("British Gas Trading Limited", "Utilities", "03078711", False, False, 20000),
    ("Thames Water Utilities Limited", "Utilities", "02366661", False, False, 7000),
    ("Royal Mail Group Limited", "Mail Services", "04138203", False, False, 5000),
    ("Addison Lee Limited", "Transport", "02265244", False, False, 1500),
    ("Age UK East London", "Social Care and Health", "", False, True, 6000),
    ("Mind in Havering", "Social Care and Health", "", True, True, 4500),
    ("Care Quest (South East) Ltd", "Social Care and Health", "05123456", True, False, 9500),
    ("Bluebird Care Bexley", "Social Care and Health", "06234567", True, False, 7000),
    ("Lyreco UK Limited", "Office Supplies", "00737495", False, False, 900),
    ("Banner Group Limited", "Office Supplies", "02437012", False, False, 1100),
    ("Stannah Lifts Limited", "Facilities Management", "00494318", False, False, 3000),
    ("Vinci Construction UK Limited", "Construction", "02939964", False, False, 70000),
]
# How some councils write a shared supplier's name in their own ledger: the normaliser's work.
SPELLINGS = {
    ("HAV", "Civica UK Limited"): "CIVICA UK LTD",
    ("BEX", "Civica UK Limited"): "CIVICA",
    ("HAV", "Veolia ES (UK) Limited"): "VEOLIA ES (UK) LTD",
    ("BEX", "Mitie Facilities Services Limited"): "MITIE FACILITIES SERVICES LTD",
    ("NEW", "Kier Construction Limited"): "KIER CONSTRUCTION LTD",
}
DEPARTMENTS = ["Resources", "Adults and Health", "Children's Services", "Place", "Housing", "Neighbourhoods"]
CPV = {
    "Information Communication Technology": "72000000-5",
    "Environmental Services": "90500000-2",
    "Facilities Management": "79993000-1",
    "Construction": "45000000-7",
    "Human Resources": "79600000-0",
    "Financial Services": "66000000-0",
    "Utilities": "65000000-3",
    "Mail Services": "64110000-0",
    "Transport": "60100000-9",
    "Social Care and Health": "85300000-2",
    "Office Supplies": "30190000-7",
}
CONTRACTS_PER_COUNCIL = 90
PAYMENTS_PER_YEAR = 2400


@demo_step(60, "procurement")
def build_procurement(ctx: DemoContext) -> None:
    user = ctx.system_user
    rng = ctx.rng
    today = timezone.localdate()
    partners = {code: ctx.partners[code] for code in COUNCILS}
    suppliers: dict[str, Supplier] = {}
    for name, _category, number, sme, vcse, _typical in SUPPLIERS:
        suppliers[name] = actions.create_supplier(
            name=name, companies_house_number=number, is_sme=sme, is_vcse=vcse, acting_user=user
        )

    # The register: each council's own contracts, and joint ones led by Newham or Havering.
    procedures = [p for p, _ in Procedure.choices]
    count = 0
    for code in COUNCILS:
        for index in range(CONTRACTS_PER_COUNCIL):
            name, category, *_rest, typical = rng.choice(SUPPLIERS)
            count += 1
            joint = code in {"NEW", "HAV"} and index % 6 == 0
            shares = None
            if joint:
                other = "HAV" if code == "NEW" else "NEW"
                shares = {partners[code]: Decimal("60"), partners[other]: Decimal("40")}
                if index % 12 == 0:
                    shares = {
                        partners[code]: Decimal("45"),
                        partners[other]: Decimal("35"),
                        partners["BEX"]: Decimal("20"),
                    }
            starts = today - dt.timedelta(days=rng.randint(30, 1500))
            # A spread of end dates: some within months (the dashboard's expiring), most later.
            ends = today + dt.timedelta(
                days=rng.choice([40, 75, 120, 170, 250, 330, 450, 520, 700, 900, 1200])
            )
            ends = max(ends, starts + dt.timedelta(days=180))
            value = Decimal(typical * rng.randint(6, 60)).quantize(Decimal("1"))
            signed = starts - dt.timedelta(days=rng.randint(5, 40))
            # Contracts entered into since the Procurement Act: most notices published, a few not yet.
            notice = signed + dt.timedelta(days=rng.randint(3, 28)) if rng.random() < 0.85 else None
            what = rng.choice(["services", "support", "supply", "works", "licences"])
            contract = actions.create_contract(
                reference=f"{code}-{starts.year}-{index + 1:03d}",
                title=f"{category}: {name.split(' ')[0]} {what}",
                description=f"{category} for {COUNCIL_NAMES[code]}{' and partners' if joint else ''}.",
                lead_partner=partners[code],
                supplier=suppliers[name],
                department=rng.choice(DEPARTMENTS),
                category=category,
                cpv_codes=CPV[category],
                owner=rng.choice(["Hannah Brooks", "Raj Patel", "Femi Adebayo", "Joanne Clarke", "Sam Osei"]),
                value=value,
                vat=Decimal("0"),
                procedure=rng.choice(procedures),
                status="active",
                signed_on=signed,
                starts_on=starts,
                ends_on=ends,
                review_on=months_after(starts, 12) if months_after(starts, 12) < ends else None,
                extension_ends_on=months_after(ends, 24) if index % 3 == 0 else None,
                notice_months=rng.choice([3, 6, 9]),
                kpi_count=3 if value > Decimal("5000000") else 0,
                details_notice_on=notice,
                shares=shares,
                acting_user=user,
            )
            if index % 25 == 7:
                actions.record_contract_change(
                    contract,
                    effective_on=today + dt.timedelta(days=rng.randint(-20, 40)),
                    description="Scope extended to cover additional sites",
                    value_change=(value / 10).quantize(Decimal("1")),
                    acting_user=user,
                )
    # Two invitations to tender open now, for the Transparency Code's tenders file.
    for code, title, category in [
        ("HAV", "Grounds maintenance", "Environmental Services"),
        ("NEW", "Temporary agency staff", "Human Resources"),
    ]:
        actions.create_contract(
            reference=f"{code}-{today.year}-ITT-01",
            title=title,
            description=f"Invitation to tender: {title.lower()} for {COUNCIL_NAMES[code]}.",
            lead_partner=partners[code],
            category=category,
            cpv_codes=CPV[category],
            value=Decimal("750000"),
            procedure="open",
            status="tender",
            starts_on=months_after(today, 4),
            ends_on=months_after(today, 40),
            tender_closes_on=today + dt.timedelta(days=21),
            acting_user=user,
        )

    # Two years of spend per council, as each would publish it, through the spend import.
    for code in COUNCILS:
        for year in (1, 0):
            data = _spend_file(ctx, code, today, year)
            year_end = today - dt.timedelta(days=365 * year)
            import_spend(
                data,
                f"{code.lower()}-spend-over-500-year-to-{year_end.isoformat()}.csv",
                partner=partners[code],
                acting_user=user,
                dry_run=False,
            )
    ctx.log(f"Demo: {count} contracts and {len(COUNCILS) * 2 * PAYMENTS_PER_YEAR:,} payments")


def _spend_file(ctx: DemoContext, code: str, today: dt.date, years_back: int) -> bytes:
    """A year of one council's payments over £500 as CSV, with one row nobody can read."""
    rng = ctx.rng
    end = today - dt.timedelta(days=365 * years_back)
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(
        [
            "Payment Date",
            "Supplier Name",
            "Expense Area",
            "Purpose",
            "ProClass",
            "Amount",
            "Invoice Date",
            "Transaction Number",
            "Payment Method",
        ]
    )
    # Each council pays most suppliers but not all, so some suppliers are shared and some are not.
    own = [s for i, s in enumerate(SUPPLIERS) if (i + COUNCILS.index(code)) % 5 != 0]
    for number in range(PAYMENTS_PER_YEAR):
        name, category, *_rest, typical = rng.choice(own)
        paid = end - dt.timedelta(days=rng.randint(0, 364))
        invoice = paid - dt.timedelta(days=rng.choice([5, 12, 18, 24, 28, 29, 33, 41, 55, 70]))
        amount = Decimal(max(510, rng.gauss(typical, typical / 3))).quantize(Decimal("0.01"))
        writer.writerow(
            [
                paid.strftime("%d/%m/%Y"),
                SPELLINGS.get((code, name), name),
                rng.choice(DEPARTMENTS),
                f"{category} services",
                category,
                f"{amount:,.2f}",
                invoice.strftime("%d/%m/%Y"),
                f"{code}{end.year}{number:06d}",
                "BACS",
            ]
        )
    for number in range(60):
        paid = end - dt.timedelta(days=rng.randint(0, 364))
        name, category = rng.choice(
            [("Lyreco UK Limited", "Office Supplies"), ("Addison Lee Limited", "Transport")]
        )
        card_amount = f"{rng.randint(12, 480)}.{rng.randint(0, 99):02d}"
        writer.writerow(
            [
                paid.strftime("%d/%m/%Y"),
                name,
                "Resources",
                f"{category} by card",
                category,
                card_amount,
                "",
                f"PC{code}{number:05d}",
                "Procurement card",
            ]
        )
    for _ in range(40):
        writer.writerow(
            [
                (end - dt.timedelta(days=rng.randint(0, 364))).strftime("%d/%m/%Y"),
                "Mr A Resident",
                "Adults and Health",
                "Direct payment",
                "Social Care and Health",
                f"{rng.randint(520, 2400)}.00",
                "",
                "",
            ]
        )
    writer.writerow(
        [
            "31/02/" + str(end.year),
            "Lyreco UK Limited",
            "Resources",
            "Stationery",
            "Office Supplies",
            "612.40",
            "",
            "",
        ]
    )
    return out.getvalue().encode()
