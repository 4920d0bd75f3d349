"""The ledger import: CSV and Excel, row-level errors, all or nothing, dry run, job, CLI, API and pages."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from onesource.core.jobs import create_job, run_job_now
from onesource.core.models import Event
from onesource.core.roles import Role
from onesource.costing.ledger_import import (
    JOB_KIND,
    LedgerFileError,
    import_ledger,
    parse_amount,
    parse_month,
    parse_year,
    store_upload,
)
from onesource.costing.models import ActualLine, BudgetLine, DriverQuantity

GOOD = b"""kind,service,year,month,partner,amount,cost centre,description
budget,audit,2017/18,,,"1,250,000.00",AU100,Internal audit budget
actual,audit,2017,April,,101234.56,AU100,
actual,Internal Audit,2017-18,3,,"(2,500.00)",AU100,A credit
budget,schools,2017,,NEW,40000,SC200,Newham's own
"""


@pytest.fixture
def finance(partnership, make_user):
    """A finance officer for every partner: the shared-service manager."""
    return make_user(Role.SHARED_SERVICE_MANAGER)


def test_parsers():
    assert parse_year("2017") == parse_year("2017/18") == parse_year("2017-2018") == 2017
    assert parse_year("2017/19") is None and parse_year("17/18") is None
    assert parse_month("") == (True, None)
    assert (
        parse_month("1") == (True, 1)
        and parse_month("march") == (True, 12)
        and parse_month("Jan") == (True, 10)
    )
    assert parse_month("13")[0] is False and parse_month("Smarch")[0] is False
    assert parse_amount("£1,234.50") == Decimal("1234.50")
    assert parse_amount("(12.00)") == Decimal("-12.00")
    assert parse_amount("-3") == Decimal("-3")
    assert parse_amount("1.005") is None and parse_amount("twelve") is None and parse_amount("NaN") is None


def test_import_writes_every_line_through_the_actions(finance, partnership):
    outcome = import_ledger(GOOD, "ledger.csv", acting_user=finance)
    assert outcome.ok and outcome.applied
    budgets = BudgetLine.objects.dangerously_unscoped().order_by("amount")
    assert [(b.service.code, b.year, b.month, b.owner_partner, b.amount) for b in budgets] == [
        ("schools", 2017, None, partnership["NEW"], Decimal("40000.00")),
        ("audit", 2017, None, None, Decimal("1250000.00")),
    ]
    actuals = ActualLine.objects.dangerously_unscoped().order_by("month")
    assert [(a.month, a.amount, a.description) for a in actuals] == [
        (1, Decimal("101234.56"), ""),
        (3, Decimal("-2500.00"), "A credit"),  # financial month 3 is June
    ]
    assert all(a.cost_centre == "AU100" and a.source.startswith("Ledger import ledger.csv") for a in actuals)
    # Audited like a line entered on a page, plus one business event for the import.
    entries = LogEntry.objects.filter(content_type__model="budgetline", actor=finance)
    assert entries.count() == 2
    event = Event.objects.get(name="ledger.imported")
    assert event.data["lines"] == 4
    summary = {(s["kind"], s["sharing"]): s["total"] for s in outcome.summary()}
    assert summary[("actual", "Shared")] == "98734.56"
    assert summary[("budget", "Non-shared (NEW)")] == "40000.00"


def test_dry_run_checks_everything_and_writes_nothing(finance):
    outcome = import_ledger(GOOD, "ledger.csv", acting_user=finance, dry_run=True)
    assert outcome.ok and not outcome.applied
    assert len(outcome.rows) == 4
    assert not BudgetLine.objects.dangerously_unscoped().exists()
    assert not ActualLine.objects.dangerously_unscoped().exists()
    assert not Event.objects.filter(name="ledger.imported").exists()


def test_row_errors_name_the_row_and_problem_and_nothing_is_written(finance):
    content = b"""kind,service,year,month,partner,amount
budget,audit,2017,,,100.00
forecast,nosuch,1899,13,ZZZ,12.345
actual,audit,2017/19,,,ten pounds
"""
    outcome = import_ledger(content, "ledger.csv", acting_user=finance)
    assert not outcome.applied
    assert [e.row for e in outcome.errors] == [3, 4]
    row3 = str(outcome.errors[0])
    for words in (
        "Row 3",
        "'forecast' is not budget or actual",
        "'nosuch' is not a service",
        "year '1899'",
        "month '13'",
        "partner 'ZZZ'",
        "amount '12.345'",
    ):
        assert words in row3
    assert "year '2017/19'" in str(outcome.errors[1]) and "amount 'ten pounds'" in str(outcome.errors[1])
    assert not BudgetLine.objects.dangerously_unscoped().exists()  # row 2 was fine, but all or nothing


def test_the_actions_own_rules_are_row_errors_too(finance):
    # Schools Finance is Newham's own service: a shared line for it is refused by the action.
    content = b"kind,service,year,amount\nbudget,audit,2017,5.00\nbudget,schools,2017,100.00\n"
    outcome = import_ledger(content, "ledger.csv", acting_user=finance)
    assert [e.row for e in outcome.errors] == [3]
    assert "own service" in str(outcome.errors[0])
    assert not BudgetLine.objects.dangerously_unscoped().exists()


def test_a_partners_finance_officer_imports_only_for_its_own_partner(partnership, make_user):
    havering = make_user(Role.FINANCE_OFFICER, "HAV")
    content = b"kind,service,year,partner,amount\nactual,audit,2017,HAV,1.00\nactual,audit,2017,NEW,2.00\n"
    outcome = import_ledger(content, "ledger.csv", acting_user=havering)
    assert [str(e) for e in outcome.errors] == ["Row 3: partner 'NEW' is not a partner you may import for"]
    assert not ActualLine.objects.dangerously_unscoped().exists()


def test_someone_without_finance_rights_cannot_import(partnership, make_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        import_ledger(GOOD, "ledger.csv", acting_user=make_user(Role.PARTNER_OFFICER, "NEW"))


def test_kind_for_the_whole_file(finance):
    content = b"service;year;amount\naudit;2018;10.00\n"  # semicolons, as Excel writes in some locales
    with pytest.raises(LedgerFileError, match="which kind of figures"):
        import_ledger(content, "ledger.csv", acting_user=finance, default_kind="forecast")
    outcome = import_ledger(content, "ledger.csv", acting_user=finance, default_kind="actual")
    assert outcome.applied
    assert ActualLine.objects.dangerously_unscoped().get().amount == Decimal("10.00")
    outcome = import_ledger(content, "ledger.csv", acting_user=finance)
    assert str(outcome.errors[0]) == "Row 2: kind is blank: say budget or actual"


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "ledger.csv", "empty"),
        (b"kind,service,year,amount\n", "ledger.csv", "no lines"),
        (b"kind,service,amount\nbudget,audit,1\n", "ledger.csv", "Missing column(s): year"),
        (
            b"kind,service,year,amount,colour\nbudget,audit,2017,1,red\n",
            "ledger.csv",
            "Unknown column(s): colour",
        ),
        (b"service,year,amount,amount\naudit,2017,1,2\n", "ledger.csv", "more than once: amount"),
        (b"whatever", "ledger.pdf", "CSV (.csv) or Excel"),
        (b"not a workbook", "ledger.xlsx", "Excel file cannot be read"),
    ],
)
def test_files_that_cannot_be_read(finance, content, filename, message):
    with pytest.raises(LedgerFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_ledger(content, filename, acting_user=finance)


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_files(finance):
    content = xlsx(
        [
            ["Kind", "Service", "Year", "Month", "Partner", "Amount"],
            ["actual", "audit", 2019, 4, None, 1234.5],
            [None, None, None, None, None, None],
            ["actual", "audit", "2019/20", "May", None, 0.1],
        ]
    )
    outcome = import_ledger(content, "ledger.xlsx", acting_user=finance)
    assert outcome.applied, outcome.errors
    amounts = sorted(ActualLine.objects.dangerously_unscoped().values_list("amount", flat=True))
    assert amounts == [Decimal("0.10"), Decimal("1234.50")]


def test_as_a_job_with_progress_and_row_errors(finance):
    job = create_job(
        JOB_KIND,
        {"path": store_upload(GOOD, "g.csv", user=finance), "filename": "g.csv"},
        acting_user=finance,
    )
    seen = []
    job = run_job_now(job, lambda done, total, message: seen.append((done, total)))
    assert job.status == "succeeded", job.errors
    assert job.result["dry_run"] is True and job.result["lines"] == 4
    assert job.result["url"] == f"/costing/ledger/import/{job.pk}/"
    assert seen and seen[-1][0] == seen[-1][1]
    assert not BudgetLine.objects.dangerously_unscoped().exists()
    bad = b"kind,service,year,amount\nbudget,audit,2017,x\n"
    job = create_job(
        JOB_KIND,
        {"path": store_upload(bad, "b.csv", user=finance), "filename": "b.csv", "dry_run": False},
        acting_user=finance,
    )
    job = run_job_now(job)
    assert job.status == "failed"
    assert "nothing was imported" in job.message
    assert job.errors == ["Row 2: amount 'x' is not an amount in pounds and pence"]


def test_a_job_reads_only_its_own_users_uploads(finance, partnership, make_user):
    other = make_user(Role.SHARED_SERVICE_MANAGER)
    path = store_upload(GOOD, "g.csv", user=other)
    for stolen in (path, "jobs/some-output.csv", f"imports/ledger/{finance.pk}/../{other.pk}/x.csv"):
        job = run_job_now(create_job(JOB_KIND, {"path": stolen, "filename": "g.csv"}, acting_user=finance))
        assert job.status == "failed" and "not uploaded by you" in job.message


def test_cli(finance, tmp_path: Path, capsys):
    path = tmp_path / "ledger.csv"
    path.write_bytes(GOOD)
    call_command("costing", "import-ledger", str(path), "--dry-run", "--as", finance.username)
    assert "4 lines checked" in capsys.readouterr().out
    assert not BudgetLine.objects.dangerously_unscoped().exists()
    call_command("costing", "import-ledger", str(path), "--as", finance.username)
    assert "4 lines imported" in capsys.readouterr().out
    assert BudgetLine.objects.dangerously_unscoped().count() == 2
    path.write_bytes(b"kind,service,year,amount\nbudget,nosuch,2017,1\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("costing", "import-ledger", str(path), "--as", finance.username)
    assert "Row 2: service 'nosuch'" in capsys.readouterr().err


URL = "/api/costing/ledger-imports"


def upload(client, content: bytes, name: str = "ledger.csv", **data):
    return client.post(URL, {"file": _file(content, name), **data})


def _file(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_api(finance, client_for, make_user):
    client = client_for(finance)
    response = upload(client, GOOD, dry_run="true")
    assert response.status_code == 200, response.content
    assert response.json()["lines"] == 4 and response.json()["applied"] is False
    assert not BudgetLine.objects.dangerously_unscoped().exists()
    response = upload(client, GOOD)
    assert response.status_code == 201
    assert BudgetLine.objects.dangerously_unscoped().count() == 2
    response = upload(client, b"kind,service,year,amount\nbudget,audit,2017,1\nbudget,audit,17,1\n")
    assert response.status_code == 422
    assert response.json()["rows"] == [
        {"row": 3, "problems": ["year '17' is not a financial year like 2017 or 2017/18"]}
    ]
    assert BudgetLine.objects.dangerously_unscoped().count() == 2
    response = upload(client, b"nothing,useful\n1,2\n")
    assert response.status_code == 422 and "Unknown column" in response.json()["detail"]
    assert upload(client_for(make_user(Role.PARTNER_OFFICER, "NEW")), GOOD).status_code == 403
    assert upload(client_for(None), GOOD).status_code == 401


def test_pages_upload_preview_apply(finance, client_for, django_capture_on_commit_callbacks):
    client = client_for(finance)
    assert client.get("/costing/ledger/import/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/costing/ledger/import/", {"file": _file(GOOD, "ledger.csv"), "kind": ""})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "4 lines passed every check" in page and "Nothing has been written yet" in page
    assert "Internal Audit" in page and "£1,250,000.00" in page
    assert not BudgetLine.objects.dangerously_unscoped().exists()
    apply_url = response["Location"] + "apply/"
    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(apply_url)
    assert applied.status_code == 302
    assert "4 lines imported" in client.get(applied["Location"]).content.decode()
    assert BudgetLine.objects.dangerously_unscoped().count() == 2
    # Applying the same check again does not import it twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(apply_url)
    assert again["Location"] == applied["Location"]
    assert BudgetLine.objects.dangerously_unscoped().count() == 2
    # The polling fragment, for HTMX.
    fragment = client.get(applied["Location"], HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()


def test_pages_show_row_errors(finance, client_for, django_capture_on_commit_callbacks):
    client = client_for(finance)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/costing/ledger/import/",
            {"file": _file(b"kind,service,year,amount\nbudget,x,2017,1\n", "l.csv")},
        )
    page = client.get(response["Location"]).content.decode()
    assert "Row 2: service &#x27;x&#x27; is not a service you may import for" in page
    assert "Apply the import" not in page


def test_pages_refuse_bad_uploads_and_other_partners(
    partnership, make_user, client_for, django_capture_on_commit_callbacks
):
    newham = client_for(make_user(Role.FINANCE_OFFICER, "NEW"))
    response = newham.post("/costing/ledger/import/", {"file": _file(b"x", "ledger.pdf")})
    assert response.status_code == 200 and "CSV (.csv) or Excel" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = newham.post("/costing/ledger/import/", {"file": _file(GOOD, "ledger.csv")})
    havering = client_for(make_user(Role.FINANCE_OFFICER, "HAV"))
    assert havering.get(response["Location"]).status_code == 404
    assert havering.post(response["Location"] + "apply/").status_code == 404
    assert (
        client_for(make_user(Role.PARTNER_OFFICER, "NEW")).get("/costing/ledger/import/").status_code == 403
    )
    assert client_for(None).get("/costing/ledger/import/").status_code == 302


def test_budget_actual_and_count_lists_link_to_the_import(finance, client_for, partnership, make_user):
    for path in ("/costing/budgets/", "/costing/actuals/", "/costing/counts/"):
        assert "/costing/ledger/import/" in client_for(finance).get(path).content.decode()
        officer = client_for(make_user(Role.PARTNER_OFFICER, "NEW"))
        assert "/costing/ledger/import/" not in officer.get(path).content.decode()


COUNTS = b"""kind,service,year,month,partner,quantity,measure
caseload,audit,2017,,NEW,112000,audits
caseload,audit,2017/18,,HAV,98000,audits
transactions,audit,2017,April,BEX,12.5,
"""


def test_driver_counts_are_imported_through_the_action(finance, partnership):
    outcome = import_ledger(COUNTS, "counts.csv", acting_user=finance)
    assert outcome.applied, outcome.errors
    counts = {
        (q.kind, q.partner.code, q.month): (q.quantity, q.measure)
        for q in DriverQuantity.objects.dangerously_unscoped()
    }
    assert counts == {
        ("caseload", "NEW", None): (Decimal("112000.00"), "audits"),
        ("caseload", "HAV", None): (Decimal("98000.00"), "audits"),
        ("transactions", "BEX", 1): (Decimal("12.50"), ""),
    }
    assert LogEntry.objects.filter(content_type__model="driverquantity", actor=finance).count() == 3
    summary = {(s["kind"], s["sharing"]): (s["total"], s["is_money"]) for s in outcome.summary()}
    assert summary[("caseload", "NEW")] == ("112000.00", False)


def test_driver_count_rows_with_problems(finance, partnership, make_user):
    content = b"""kind,service,year,partner,quantity
caseload,audit,2017,,5
budget,audit,2017,NEW,5
caseload,audit,2017,NEW,-1
transactions,audit,2017,HAV,1.234
caseload,audit,2017,NEW,7
"""
    outcome = import_ledger(content, "counts.csv", acting_user=finance)
    assert [str(e) for e in outcome.errors] == [
        "Row 2: partner is blank: a count is always for one partner",
        "Row 3: kind 'budget' is not caseload or transactions",
        "Row 4: quantity '-1' is not a count of zero or more (at most two decimal places)",
        "Row 5: quantity '1.234' is not a count of zero or more (at most two decimal places)",
    ]
    assert not DriverQuantity.objects.dangerously_unscoped().exists()
    # A file of counts takes a counts kind for the whole file, not a ledger one.
    plain = b"service,year,partner,quantity\naudit,2017,NEW,3\n"
    assert import_ledger(plain, "c.csv", acting_user=finance, default_kind="caseload").applied
    outcome = import_ledger(plain, "c.csv", acting_user=finance, default_kind="budget")
    assert str(outcome.errors[0]) == "Row 2: kind is blank: say caseload or transactions"
    # Counts and ledger columns do not mix.
    with pytest.raises(LedgerFileError, match="Unknown column"):
        import_ledger(
            b"service,year,partner,quantity,amount\naudit,2017,NEW,1,2\n", "c.csv", acting_user=finance
        )
    # A partner's finance officer counts only for its own partner.
    outcome = import_ledger(
        b"kind,service,year,partner,quantity\ncaseload,audit,2017,NEW,3\n",
        "c.csv",
        acting_user=make_user(Role.FINANCE_OFFICER, "HAV"),
    )
    assert str(outcome.errors[0]) == "Row 2: partner 'NEW' is not a partner you may import for"


def test_a_csv_row_of_the_wrong_width_is_a_problem_row(finance):
    outcome = import_ledger(b"service,year,amount,kind\naudit,2017,5.00\n", "l.csv", acting_user=finance)
    assert str(outcome.errors[0]).startswith("Row 2: the row has 3 fields but the header has 4")


def test_an_unquoted_amount_with_a_comma_is_reported_not_imported_as_one_pound(finance):
    content = (
        "kind,service,year,month,partner,amount,cost_centre,description\n"
        "budget,audit,2017/18,,,£1,250.00,LG1,Café\n"
    ).encode()
    outcome = import_ledger(content, "l.csv", acting_user=finance)
    assert [e.row for e in outcome.errors] == [2]
    assert "9 fields but the header has 8" in str(outcome.errors[0])
    assert BudgetLine.objects.count() == 0
