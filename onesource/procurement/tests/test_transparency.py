import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from onesource.core.roles import Role
from onesource.procurement.spend import import_spend
from onesource.procurement.transparency import Quarter, build_dataset

FILE = (
    b"Date,Supplier Name,Expense Area,Purpose,Amount,Payment Method\r\n"
    b"01/05/2025,Acme Cleaning Ltd,Housing,Office cleaning,1200.00,BACS\r\n"
    b"02/05/2025,MR B J JONES,Adults,Direct payment,750.00,BACS\r\n"
    b"03/05/2025,Lyreco UK Limited,Resources,Stationery,45.10,Procurement card\r\n"
    b"04/05/2025,Lyreco UK Limited,Resources,Stationery,499.99,BACS\r\n"
    b"01/07/2025,Acme Cleaning Ltd,Housing,Office cleaning,1300.00,BACS\r\n"
)


def test_quarters_are_financial_year_quarters():
    q = Quarter.parse("2025-Q4")
    assert (q.starts_on, q.ends_on) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert Quarter.of(dt.date(2025, 4, 1)).code == "2025-Q1"
    assert Quarter.parse("2025-Q1").previous().code == "2024-Q4"
    with pytest.raises(ValueError):
        Quarter.parse("2025-Q5")


@pytest.fixture
def havering_spend(register):
    import_spend(FILE, "hav.csv", partner=register["HAV"], acting_user=register["system"], dry_run=False)
    return register


def test_the_spend_file_lists_payments_over_500_with_individuals_redacted(havering_spend):
    header, rows = build_dataset(
        "spend", havering_spend["system"], havering_spend["HAV"], Quarter.parse("2025-Q1")
    )
    assert header[:7] == [
        "Organisation name",
        "Organisation code",
        "Date",
        "Department",
        "Beneficiary",
        "Purpose",
        "Amount",
    ]
    assert [(r[4], r[6]) for r in rows] == [
        ("Acme Cleaning Ltd", "1200.00"),
        ("Redacted personal data", "750.00"),
    ]
    _, card = build_dataset("card", havering_spend["system"], havering_spend["HAV"], Quarter.parse("2025-Q1"))
    assert [(r[4], r[6]) for r in card] == [("Lyreco UK Limited", "45.10")]


def test_the_contracts_file_holds_the_councils_contracts_with_its_share(havering_spend):
    header, rows = build_dataset(
        "contracts", havering_spend["system"], havering_spend["HAV"], Quarter.parse("2025-Q2")
    )
    by_reference = {r[1]: dict(zip(header, r, strict=True)) for r in rows}
    assert set(by_reference) == {"HAV-2024-007", "NEW-2025-001"}
    joint = by_reference["NEW-2025-001"]
    assert (joint["Value"], joint["Value to this council"]) == ("1000000.01", "400000.00")
    assert joint["Supplier registration"] == "Companies House 01628868"
    assert by_reference["HAV-2024-007"]["SME"] == "Yes"


def test_each_partner_publishes_only_its_own(havering_spend, make_user, client_for):
    newham = client_for(make_user(Role.FINANCE_OFFICER, "NEW"))
    assert newham.get("/procurement/transparency/HAV/2025-Q1/spend.csv").status_code == 404
    assert newham.get("/api/procurement/transparency/spend?partner=HAV&quarter=2025-Q1").status_code == 404
    havering = client_for(make_user(Role.FINANCE_OFFICER, "HAV"))
    page = havering.get("/procurement/transparency/").content.decode()
    assert "Havering" in page and "Newham</h2>" not in page
    csv_file = havering.get("/procurement/transparency/HAV/2025-Q1/spend.csv")
    assert csv_file["Content-Disposition"] == 'attachment; filename="hav-spend-2025-q1.csv"'
    assert "Redacted personal data" in csv_file.content.decode() and "JONES" not in csv_file.content.decode()
    api = havering.get("/api/procurement/transparency/spend?partner=HAV&quarter=2025-Q1").json()
    assert len(api["rows"]) == 2


def test_cli_writes_the_quarters_file(havering_spend, tmp_path):
    target = tmp_path / "spend.csv"
    call_command(
        "procurement",
        "transparency",
        "spend",
        "--partner",
        "HAV",
        "--quarter",
        "2025-Q2",
        "-o",
        str(target),
        stderr=StringIO(),
    )
    lines = target.read_text().splitlines()
    assert len(lines) == 2 and "1300.00" in lines[1]
    assert Decimal(lines[1].split(",")[6]) == Decimal("1300.00")
