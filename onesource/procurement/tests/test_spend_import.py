"""The spend import against real published files and the ways they go wrong."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from onesource.core.jobs import run_job_now
from onesource.core.models import Job
from onesource.core.roles import Role
from onesource.procurement.models import Payment, QuarantinedRow, SpendImport, Supplier
from onesource.procurement.spend import (
    SpendFileError,
    auto_map,
    import_spend,
    parse_amount,
    parse_date,
    parse_rows,
    read_spend_file,
)

DATA = Path(__file__).parent / "data"
DEVON_2011 = DATA / "DCCSpendingOver500_201112.csv"
DEVON_2018 = DATA / "DCCSpendingOver500_201804_first2000.csv"
DEVON_2025 = DATA / "DCCSpendingOver500_202511.csv"
TRAFFORD = DATA / "trafford-supplier-spend-2026-27_first2000.csv"

# A council's export as finance systems write it: a report title and blank rows above the headings,
# Windows-1252 pound signs, every way of writing an amount and a date, a redacted name and a total row.
MESSY = (
    "Payments over £500 report\r\n"
    "Period: April 2025\r\n"
    ",,,,\r\n"
    "Payment Date,Supplier Name,Expense Area,Expense Type,Net Amount\r\n"
    '01/04/2025,CIVICA UK LTD,Finance,ICT software,"£1,250.00"\r\n'
    "02/04/25,Civica UK Limited,Finance,ICT software,(250.50)\r\n"
    "2025-04-03 00:00:00,REDACTED,Adults,Care,-£100.00\r\n"
    ",,,,\r\n"
    '03-Apr-2025,Acme Cleaning Ltd,Housing,Cleaning," 2 000.25 "\r\n'
    "31/02/2025,Acme Cleaning Ltd,Housing,Cleaning,600.00\r\n"
    "04/04/2025,Acme Cleaning Ltd,Housing,Cleaning,six hundred\r\n"
    'Total,,,,"3,000.00"\r\n'
).encode("cp1252")


def test_dates_and_amounts_as_councils_write_them():
    assert parse_date("31/03/2025") == parse_date("31/03/25") == parse_date("2025-03-31 00:00:00")
    assert parse_date("31-Mar-2025") == dt.date(2025, 3, 31)
    for bad in ("03/31/2025", "2025-02-30", "", "next week"):
        with pytest.raises(ValueError):
            parse_date(bad)
    assert parse_amount("£1,250.00") == Decimal("1250.00")
    assert (
        parse_amount("(1,250.00)")
        == parse_amount("-1,250.00")
        == parse_amount("-£1,250")
        == Decimal("-1250.00")
    )
    assert parse_amount(" 1 110.82 ") == Decimal("1110.82")
    assert parse_amount("1136.8400000000001") == Decimal("1136.84")  # a spreadsheet's float noise
    assert parse_amount(1515.6) == Decimal("1515.60")
    for bad in ("638.875", "12,34,5x", "", "1e400"):
        with pytest.raises(ValueError):
            parse_amount(bad)


def test_a_messy_file_is_read_without_guessing():
    spend_file = read_spend_file(MESSY, "april.csv")
    assert spend_file.header_row == 4  # under the report's title
    mapping = auto_map(spend_file.headings)
    assert mapping["paid_on"] == "Payment Date" and mapping["amount"] == "Net Amount"
    outcome = parse_rows(spend_file, mapping)
    assert [p.amount for p in outcome.payments] == [
        Decimal("1250.00"),
        Decimal("-250.50"),
        Decimal("-100.00"),
        Decimal("2000.25"),
    ]
    assert outcome.total == Decimal("2899.75")
    assert outcome.payments[2].beneficiary == "Redacted personal data" and outcome.payments[2].is_personal
    assert [(q.row, q.message.split(":")[0]) for q in outcome.quarantined] == [
        (10, "Payment date"),
        (11, "Amount"),
    ]
    assert outcome.footer_total == Decimal("3000.00")
    mismatch = outcome.problems[-1]
    assert mismatch.row == 0 and "£3,000.00" in mismatch.message and "£2,899.75" in mismatch.message


@pytest.mark.parametrize(
    ("path", "payments", "total", "kept_aside"),
    [
        (DEVON_2011, 5670, Decimal("21142251.69"), 1),  # 638.875 is not pounds and pence
        (DEVON_2018, 2000, Decimal("14969500.95"), 0),
        (DEVON_2025, 1838, Decimal("28916429.05"), 0),
        (TRAFFORD, 2000, Decimal("10531260.95"), 0),
    ],
)
def test_real_published_files_are_read_to_the_penny(path, payments, total, kept_aside):
    spend_file = read_spend_file(path.read_bytes(), path.name)
    outcome = parse_rows(spend_file, auto_map(spend_file.headings))
    assert (len(outcome.payments), outcome.total, len(outcome.quarantined)) == (payments, total, kept_aside)


def test_a_supplier_totals_summary_is_refused_with_a_message(partnership):
    summary = b"Supplier,Total\r\nCIVICA UK LTD,125000.00\r\nAcme Cleaning Ltd,48000.00\r\n"
    with pytest.raises(SpendFileError, match="summary"):
        import_spend(
            summary,
            "suppliers.csv",
            partner=partnership["HAV"],
            acting_user=partnership["system"],
            dry_run=False,
        )
    assert not SpendImport.objects.exists()


def test_an_import_saves_payments_suppliers_and_kept_aside_rows_and_refuses_the_same_file_twice(partnership):
    hav, user = partnership["HAV"], partnership["system"]
    outcome = import_spend(MESSY, "april.csv", partner=hav, acting_user=user, dry_run=False)
    record = SpendImport.objects.get(filename="april.csv")
    assert (record.payments, record.total, record.footer_total) == (4, Decimal("2899.75"), Decimal("3000.00"))
    assert outcome.spend_import_id == record.pk
    assert Payment.objects.filter(partner=hav).count() == 4
    assert sorted(QuarantinedRow.objects.values_list("row_number", flat=True)) == [10, 11]
    assert QuarantinedRow.objects.get(row_number=11).cells["Net Amount"] == "six hundred"
    # Both spellings of Civica become suppliers for a person to merge; the redacted name does not.
    assert sorted(Supplier.objects.values_list("name", flat=True)) == [
        "Acme Cleaning Ltd",
        "CIVICA UK LTD",
        "Civica UK Limited",
    ]
    assert Payment.objects.get(is_personal=True).supplier is None
    with pytest.raises(SpendFileError, match="already imported"):
        import_spend(MESSY, "april-again.csv", partner=hav, acting_user=user, dry_run=False)
    assert Payment.objects.count() == 4


def test_a_dry_run_changes_nothing(partnership):
    outcome = import_spend(
        DEVON_2025.read_bytes(),
        DEVON_2025.name,
        partner=partnership["HAV"],
        acting_user=partnership["system"],
    )
    assert outcome.as_dict()["payments"] == 1838
    assert not Payment.objects.exists() and not Supplier.objects.exists()


def test_cli_prints_json_with_payments_total_and_problems(partnership, tmp_path):
    out = StringIO()
    call_command("procurement", "import-spend", str(DEVON_2011), "--partner", "HAV", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["payments"], result["total"]) == (5670, "21142251.69")
    assert result["problems"] == [
        {
            "row": 1069,
            "message": "Amount: '638.875' has more than two decimal places: it is not pounds and pence",
        }
    ]
    assert Payment.objects.filter(partner__code="HAV").count() == 5670
    dry = StringIO()
    call_command(
        "procurement", "import-spend", str(TRAFFORD), "--partner", "NEW", "--dry-run", "--json", stdout=dry
    )
    assert json.loads(dry.getvalue())["dry_run"] is True
    assert not Payment.objects.filter(partner__code="NEW").exists()


def test_a_finance_officer_imports_in_the_browser_and_sees_the_rows_kept_aside(
    partnership, make_user, client_for
):
    client = client_for(make_user(Role.FINANCE_OFFICER, "HAV"))
    upload = SimpleUploadedFile("april.csv", MESSY, content_type="text/csv")
    response = client.post("/procurement/spend/import/", {"file": upload, "partner": "HAV"})
    assert response.status_code == 302, response.content.decode()[:3000]
    columns_url = response["Location"]
    page = client.get(columns_url)
    assert "Payment Date" in page.content.decode()
    form = {
        "paid_on": "Payment Date",
        "amount": "Net Amount",
        "beneficiary": "Supplier Name",
        "department": "Expense Area",
    }
    checked = client.post(columns_url, form)
    assert checked.status_code == 302
    job = Job.objects.get()
    run_job_now(job)  # the worker's part, in the test's process
    preview = client.get(checked["Location"]).content.decode()
    assert "Row" in preview and '<th scope="row" class="govuk-table__header">11</th>' in preview
    assert "£2,899.75" in preview
    assert not Payment.objects.exists()
    applied = client.post(checked["Location"] + "apply/")
    assert applied.status_code == 302
    run_job_now(Job.objects.get(params__dry_run=False))
    record = SpendImport.objects.get()
    detail = client.get(record.get_absolute_url()).content.decode()
    assert "six hundred" in detail and "Rows kept aside (2)" in detail
    assert Payment.objects.filter(partner__code="HAV").count() == 4


def test_other_partners_cannot_import_for_havering_or_see_its_imports(partnership, make_user, client_for):
    import_spend(
        MESSY, "april.csv", partner=partnership["HAV"], acting_user=partnership["system"], dry_run=False
    )
    record = SpendImport.objects.get()
    newham = client_for(make_user(Role.FINANCE_OFFICER, "NEW"))
    assert newham.get(record.get_absolute_url()).status_code == 404
    upload = SimpleUploadedFile("april.csv", MESSY, content_type="text/csv")
    refused = newham.post("/api/procurement/spend-imports", {"file": upload, "partner": "HAV"})
    assert refused.status_code == 422 and "partner" in refused.json()["errors"]
    member = client_for(make_user(Role.COMMITTEE_MEMBER, "HAV"))
    assert member.get("/procurement/spend/import/").status_code == 403


def test_the_api_starts_the_import_as_a_job(partnership, make_user, client_for):
    client = client_for(make_user(Role.PROCUREMENT_OFFICER, "HAV"))
    upload = SimpleUploadedFile("april.csv", MESSY, content_type="text/csv")
    started = client.post(
        "/api/procurement/spend-imports", {"file": upload, "partner": "HAV", "dry_run": "false"}
    )
    assert started.status_code == 201, started.content
    job = run_job_now(Job.objects.get(pk=started.json()["id"]))
    result = client.get(started.json()["job_url"]).json()["result"]
    assert job.status == "succeeded"
    assert (result["payments"], result["total"], len(result["problems"])) == (4, "2899.75", 3)
    summary = SimpleUploadedFile("totals.csv", b"Supplier,Total\r\nA,1\r\n", content_type="text/csv")
    refused = client.post("/api/procurement/spend-imports", {"file": summary, "partner": "HAV"})
    assert refused.status_code == 422 and "summary" in refused.json()["errors"]["mapping"][0]
