"""Importing KPI results from CSV: all or nothing, errors naming row and problem, dry run, job and CLI."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from onesource.core.models import Event, Job
from onesource.core.roles import Role
from onesource.performance import actions
from onesource.performance.models import KpiResult

GOOD = """kpi,partner,period,value,note
invoices-30-days,HAV,2021-04,91.5,
invoices-30-days,NEW,2021-04-15,93,late file
invoices-30-days,,2021-04,92.25,
"""


def test_a_good_file_creates_each_row_and_is_audited(kpi, partnership):
    summary = actions.import_kpi_results(GOOD, acting_user=partnership["system"])
    assert (summary.created, summary.updated) == (3, 0)
    hav = KpiResult.objects.get(kpi=kpi, partner=partnership["HAV"])
    assert hav.value == Decimal("91.50")
    assert hav.period_start == dt.date(2021, 4, 1)
    assert KpiResult.objects.get(kpi=kpi, partner=partnership["NEW"]).note == "late file"
    assert KpiResult.objects.get(kpi=kpi, partner__isnull=True).value == Decimal("92.25")
    assert Event.objects.filter(name="kpi_results.imported").count() == 1


def test_importing_again_replaces_values(kpi, partnership):
    actions.import_kpi_results(GOOD, acting_user=partnership["system"])
    summary = actions.import_kpi_results(GOOD.replace("91.5", "80"), acting_user=partnership["system"])
    assert (summary.created, summary.updated) == (0, 3)
    assert KpiResult.objects.get(kpi=kpi, partner=partnership["HAV"]).value == Decimal("80.00")


def test_bad_rows_are_named_and_nothing_is_written(kpi, partnership):
    text = (
        "kpi,partner,period,value\n"
        "invoices-30-days,HAV,2021-04,91\n"  # row 2: fine
        "no-such-kpi,HAV,2021-04,91\n"  # row 3
        "invoices-30-days,ZZZ,2021-04,91\n"  # row 4
        "invoices-30-days,HAV,April,91\n"  # row 5
        "invoices-30-days,NEW,2021-05,ninety\n"  # row 6
        "invoices-30-days,HAV,2021-04-30,92\n"  # row 7: same month as row 2
    )
    with pytest.raises(ValidationError) as caught:
        actions.import_kpi_results(text, acting_user=partnership["system"])
    errors = caught.value.message_dict["file"]
    assert errors == [
        "Row 3: unknown KPI code 'no-such-kpi'.",
        "Row 4: unknown partner 'ZZZ'.",
        "Row 5: period 'April' is not a date: use YYYY-MM or YYYY-MM-DD.",
        "Row 6: value 'ninety' is not a number.",
        "Row 7: repeats row 2 (same KPI, partner and period).",
    ]
    assert KpiResult.objects.count() == 0


def test_missing_columns_and_empty_files_are_refused(kpi, partnership):
    with pytest.raises(ValidationError, match="missing: value"):
        actions.import_kpi_results("kpi,partner,period\n", acting_user=partnership["system"])
    with pytest.raises(ValidationError, match="no rows"):
        actions.import_kpi_results("kpi,partner,period,value\n", acting_user=partnership["system"])


def test_dry_run_counts_but_writes_nothing(kpi, partnership):
    summary = actions.import_kpi_results(GOOD, dry_run=True, acting_user=partnership["system"])
    assert (summary.created, summary.updated, summary.dry_run) == (3, 0, True)
    assert "Nothing was written" in summary.message
    assert KpiResult.objects.count() == 0


def test_a_partner_officer_may_not_import(kpi, partnership, make_user):
    officer = make_user(Role.PARTNER_OFFICER, "HAV")
    with pytest.raises(ValidationError) as caught:
        actions.import_kpi_results(GOOD, acting_user=officer)
    assert "Row 2: you may not record results for HAV." in caught.value.message_dict["file"]
    assert KpiResult.objects.count() == 0


def test_the_job_imports_and_reports_row_errors(
    kpi, partnership, make_user, client_for, django_capture_on_commit_callbacks
):
    manager = make_user(Role.SHARED_SERVICE_MANAGER)
    client = client_for(manager)
    with django_capture_on_commit_callbacks(execute=True):
        bad = client.post(
            "/api/jobs",
            {"kind": "performance.import_kpis", "params": {"csv_text": GOOD + "x,HAV,2021-05,1,\n"}},
            content_type="application/json",
        )
    assert bad.status_code == 202
    job = Job.objects.get(pk=bad.json()["id"])
    assert job.status == "failed"
    assert job.errors == ["Row 5: unknown KPI code 'x'."]
    assert KpiResult.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        good = client.post(
            "/api/jobs",
            {"kind": "performance.import_kpis", "params": {"csv_text": GOOD}},
            content_type="application/json",
        )
    assert Job.objects.get(pk=good.json()["id"]).status == "succeeded"
    assert KpiResult.objects.count() == 3


def test_cli_import_with_dry_run_then_for_real(kpi, partnership, tmp_path, capsys):
    path = tmp_path / "results.csv"
    path.write_text(GOOD)
    call_command("performance", "import-kpis", str(path), "--dry-run")
    assert "Would create 3" in capsys.readouterr().out
    assert KpiResult.objects.count() == 0
    call_command("performance", "import-kpis", str(path), "--as", "root")
    assert KpiResult.objects.count() == 3
    path.write_text("kpi,partner,period,value\nnope,HAV,2021-04,1\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("performance", "import-kpis", str(path))
    assert "Row 2: unknown KPI code 'nope'." in capsys.readouterr().err


def test_the_import_page_previews_then_starts_a_job(
    kpi, partnership, make_user, client_for, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    preview = client.post(
        "/performance/kpis/import/",
        {"file": SimpleUploadedFile("r.csv", GOOD.encode()), "dry_run": "on"},
    )
    assert preview.status_code == 200
    assert "3 rows checked with no problems" in preview.content.decode()
    assert KpiResult.objects.count() == 0
    bad = client.post(
        "/performance/kpis/import/",
        {"file": SimpleUploadedFile("r.csv", b"kpi,period,value\nzz,2021-01,1\n"), "dry_run": "on"},
    )
    assert "Row 2: unknown KPI code" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/performance/kpis/import/", {"file": SimpleUploadedFile("r.csv", GOOD.encode())})
    assert done.status_code == 302 and "/jobs/" in done["Location"]
    assert KpiResult.objects.count() == 3
