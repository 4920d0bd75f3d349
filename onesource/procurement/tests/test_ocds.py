import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from onesource.core.roles import Role
from onesource.procurement.models import Contract, Supplier
from onesource.procurement.ocds import import_package, release_package, validation_errors
from onesource.procurement.spend import import_spend

# The official fictional example (London Borough of Barnet, one process in six releases), data PDDL.
EXAMPLE = Path(__file__).parent / "data" / "ocds-213czf-000-00001.json"


@pytest.fixture
def with_payments(register):
    # Paid while the cleaning contract ran (June 2024 to May 2026), and once after it ended.
    rows = (
        "Date,Supplier,Amount\r\n"
        "01/06/2025,Acme Cleaning Ltd,1200.00\r\n"
        "01/07/2026,Acme Cleaning Ltd,80.00\r\n"
    )
    import_spend(
        rows.encode(), "hav.csv", partner=register["HAV"], acting_user=register["system"], dry_run=False
    )
    return register


def test_the_export_is_havering_only_and_valid_against_the_official_schema(with_payments):
    package = release_package(with_payments["system"], with_payments["HAV"])
    assert validation_errors(package) == []
    ocids = sorted(r["ocid"] for r in package["releases"])
    assert ocids == ["ocds-onesrc-HAV-2024-007", "ocds-onesrc-NEW-2025-001"]
    joint = next(r for r in package["releases"] if r["ocid"].endswith("NEW-2025-001"))
    assert joint["buyer"]["name"] == "Newham"
    assert {p["name"]: p["roles"] for p in joint["parties"]}["Havering"] == ["payer"]
    cleaning = next(r for r in package["releases"] if r["ocid"].endswith("HAV-2024-007"))
    [transaction] = cleaning["contracts"][0]["implementation"]["transactions"]
    assert transaction["value"] == {"amount": 1200.0, "currency": "GBP"}
    assert "implementation" in cleaning["tag"]


def test_the_validator_finds_what_is_wrong(with_payments):
    package = release_package(with_payments["system"], with_payments["HAV"])
    package["releases"][0]["tag"] = ["not-a-tag"]
    del package["publishedDate"]
    errors = validation_errors(package)
    assert any("publishedDate" in e for e in errors)
    assert any(e.startswith("releases/0/tag") for e in errors)


def test_a_partner_officer_gets_its_own_export_and_404_for_another(with_payments, make_user, client_for):
    client = client_for(make_user(Role.PROCUREMENT_OFFICER, "HAV"))
    response = client.get("/api/procurement/ocds?partner=HAV")
    assert response.status_code == 200
    assert validation_errors(response.json()) == []
    assert client.get("/api/procurement/ocds?partner=NEW").status_code == 404


def test_cli_writes_a_valid_package(with_payments, tmp_path):
    target = tmp_path / "hav.json"
    call_command(
        "procurement", "ocds", "--partner", "HAV", "-o", str(target), stderr=StringIO(), stdout=StringIO()
    )
    assert validation_errors(json.loads(target.read_text())) == []


def test_importing_the_official_example_adds_the_contract_and_its_supplier(partnership, tmp_path):
    outcome = import_package(
        EXAMPLE.read_bytes(), partner=partnership["HAV"], acting_user=partnership["system"], dry_run=True
    )
    assert outcome.as_dict()["created"] == 1
    assert not Contract.objects.exists()
    out = StringIO()
    call_command("procurement", "import-ocds", str(EXAMPLE), "--partner", "HAV", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["created"] == 1
    contract = Contract.objects.get(ocid="ocds-213czf-000-00001")
    assert contract.lead_partner.code == "HAV"
    assert contract.supplier == Supplier.objects.get(companies_house_number="11111111")
    assert (contract.value, contract.starts_on.isoformat(), contract.ends_on.isoformat()) == (
        11000000,
        "2010-07-01",
        "2011-06-30",
    )
    assert contract.status == "active" and contract.procedure == "open"
    again = import_package(
        EXAMPLE.read_bytes(), partner=partnership["HAV"], acting_user=partnership["system"], dry_run=False
    )
    assert again.as_dict()["unchanged"] == 1
