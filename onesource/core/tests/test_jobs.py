import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from onesource.core.jobs import JobContext, JobFailed, create_job, job_kind, run_job_now
from onesource.core.models import Job
from onesource.core.roles import Role


@pytest.fixture
def officer(partnership, make_user):
    return make_user(Role.PARTNER_OFFICER, "HAV", username="hav-officer")


def test_job_started_from_the_page_runs_and_offers_its_output(
    officer, client_for, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/jobs/coverage-report/", {"first_year": 2019, "last_year": 2020})
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "succeeded"
    # An officer of one partner runs jobs for that partner.
    assert job.partner is not None and job.partner.code == "HAV"
    page = client.get(response["Location"]).content.decode()
    assert "Succeeded" in page and "Download coverage-2019-2020.csv" in page
    csv_text = b"".join(client.get(f"/jobs/{job.pk}/output/").streaming_content).decode()
    assert "2019/20,HAV,Havering,Finance,Internal Audit,366" in csv_text
    assert "NEW" not in csv_text  # an officer's report holds only what they may see


def test_job_progress_fragment_for_htmx_polling(officer, client_for, django_capture_on_commit_callbacks):
    client = client_for(officer)
    client.post("/jobs/coverage-report/", {"first_year": 2019, "last_year": 2020})
    job = Job.objects.get()
    queued = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in queued and "Queued" in queued
    from onesource.core.jobs import run_job_now

    run_job_now(job)
    fragment = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="job-progress"')
    assert 'value="100"' in fragment
    assert "hx-trigger" not in fragment  # a finished job stops polling


def test_job_form_validation(officer, client_for):
    response = client_for(officer).post("/jobs/coverage-report/", {"first_year": 2020, "last_year": 2019})
    assert "The last year must be the same as or after the first year." in response.content.decode()
    assert Job.objects.count() == 0


def test_job_via_api_and_its_status(officer, client_for, django_capture_on_commit_callbacks):
    client = client_for(officer)
    body = {
        "kind": "core.coverage_report",
        "params": {"first_year": 2014, "last_year": 2016},
        "partner": "HAV",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/jobs", json.dumps(body), content_type="application/json")
    assert response.status_code == 202
    job_id = response.json()["id"]
    status = client.get(f"/api/jobs/{job_id}").json()
    assert status["status"] == "succeeded"
    assert status["progress"] == {"done": 3, "total": 3, "message": "3 rows for 3 financial years."}
    assert status["output_url"] == f"/jobs/{job_id}/output/"


def test_unknown_job_kind_and_other_partner_are_refused(officer, client_for):
    client = client_for(officer)
    response = client.post("/api/jobs", json.dumps({"kind": "nope"}), content_type="application/json")
    assert response.status_code == 422
    body = {
        "kind": "core.coverage_report",
        "params": {"first_year": 2014, "last_year": 2015},
        "partner": "NEW",
    }
    response = client.post("/api/jobs", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert Job.objects.count() == 0


def test_another_partners_job_is_404(partnership, make_user, client_for):
    new_officer = make_user(Role.PARTNER_OFFICER, "NEW")
    job = create_job(
        "core.coverage_report",
        {"first_year": 2014, "last_year": 2014},
        partner=partnership["NEW"],
        acting_user=new_officer,
    )
    client = client_for(make_user(Role.PARTNER_OFFICER, "HAV"))
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/api/jobs/{job.pk}").status_code == 404


def test_failing_job_keeps_its_errors(officer):
    @job_kind("tests.failing", label="Always fails")
    def failing(ctx: JobContext) -> dict:
        ctx.progress(1, 2, "half way")
        raise JobFailed("Row 2: amount is not a number.", errors=["Row 2: amount is not a number."])

    job = run_job_now(create_job("tests.failing", {}, acting_user=officer))
    assert job.status == "failed"
    assert job.message == "Row 2: amount is not a number."
    assert job.errors == ["Row 2: amount is not a number."]
    assert (job.progress_done, job.progress_total) == (1, 2)


def test_cli_runs_a_job_with_progress(officer):
    out, err = StringIO(), StringIO()
    call_command(
        "jobs",
        "run",
        "core.coverage_report",
        "--as",
        "hav-officer",
        "--param",
        "first_year=2014",
        "--param",
        "last_year=2015",
        stdout=out,
        stderr=err,
    )
    assert "rows for 2 financial years" in out.getvalue()
    assert Job.objects.get().status == "succeeded"
    with pytest.raises(CommandError, match="No partner 'NEW' that hav-officer may see"):
        call_command(
            "jobs",
            "run",
            "core.coverage_report",
            "--as",
            "hav-officer",
            "--partner",
            "NEW",
            "--param",
            "first_year=2014",
            "--param",
            "last_year=2015",
            stdout=out,
            stderr=err,
        )


def test_cli_lists_jobs_in_words(officer):
    call_command(
        "jobs",
        "run",
        "core.coverage_report",
        "--as",
        "hav-officer",
        "--param",
        "first_year=2014",
        "--param",
        "last_year=2014",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    out = StringIO()
    call_command("jobs", "list", stdout=out)
    [line] = out.getvalue().splitlines()
    fields = line.split("\t")
    assert fields[1] == "Service coverage report (CSV)"
    assert fields[2] == "Succeeded"
    assert "core.coverage_report" not in line and "succeeded" not in line
