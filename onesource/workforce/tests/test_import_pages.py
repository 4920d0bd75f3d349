"""The import through its pages, the API and the CLI."""

import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from onesource.core.models import Job
from onesource.core.roles import Role
from onesource.workforce.models import Employee, Post

from .test_import import POSTS

PEOPLE_CSV = (
    "Emp No,Forename,Surname,Council,Joined\n"
    "H100,Rosalind,Franklin,HAV,2015-06-01\n"
    "H101,Dorothy,Hodgkin,HAV,2016-01-04\n"
)


@pytest.fixture
def hr(partnership, make_user):
    return make_user(Role.HR_OFFICER, "HAV")


def upload(client, content: str, name: str, kind: str = "", partner: str = ""):
    data = {"file": SimpleUploadedFile(name, content.encode()), "kind": kind}
    if partner:
        data["partner"] = partner
    return client.post("/workforce/import/", data)


def test_upload_map_preview_then_apply(hr, client_for, django_capture_on_commit_callbacks):
    client = client_for(hr)
    assert client.get("/workforce/import/").status_code == 200
    response = upload(client, PEOPLE_CSV, "people.csv", "people", partner="HAV")
    assert response.status_code == 302, response.context["form"].errors
    columns_url = response["Location"]
    page = client.get(columns_url).content.decode()
    # "Forename" is a known alias, so it is chosen already; "Joined" is not.
    assert re.search(r'<option value="Forename" selected>', page)
    assert "Rosalind, Dorothy" in page  # first values shown beside each heading
    # Submitting without the required columns is refused with the GOV.UK error summary.
    response = client.post(columns_url, {"people__staff_number": "Emp No", "people__first_name": "Forename"})
    assert response.status_code == 200
    assert "Choose the column that holds employing partner." in response.content.decode()
    mapping = {
        "people__staff_number": "Emp No",
        "people__first_name": "Forename",
        "people__last_name": "Surname",
        "people__employer": "Council",
        "people__started_on": "Joined",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(columns_url, mapping)
    assert response.status_code == 302
    preview_url = response["Location"]
    preview = client.get(preview_url).content.decode()
    assert "Dry run, nothing changed. Would import 2 rows." in preview
    assert "Rosalind" in preview and "Import these records" in preview
    assert Employee.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview_url + "apply/")
    job = Job.objects.filter(params__dry_run=False).get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "succeeded" and job.partner.code == "HAV"
    assert sorted(Employee.objects.values_list("staff_number", flat=True)) == ["H100", "H101"]


def test_preview_shows_row_errors_and_cannot_be_applied(hr, client_for, django_capture_on_commit_callbacks):
    client = client_for(hr)
    bad = PEOPLE_CSV.replace("HAV,2016-01-04", "NEW,2016-01-04")
    columns_url = upload(client, bad, "people.csv", "people", partner="HAV")["Location"]
    mapping = {
        "people__staff_number": "Emp No",
        "people__first_name": "Forename",
        "people__last_name": "Surname",
        "people__employer": "Council",
        "people__started_on": "Joined",
    }
    with django_capture_on_commit_callbacks(execute=True):
        preview_url = client.post(columns_url, mapping)["Location"]
    page = client.get(preview_url).content.decode()
    assert "People, row 3: Employing partner: you do not manage NEW&#x27;s staff" in page
    assert "Import these records" not in page
    response = client.post(preview_url + "apply/")
    assert response["Location"] == preview_url
    assert Job.objects.count() == 1 and Employee.objects.count() == 0


def test_an_unreadable_file_is_refused_on_the_upload_page(hr, client_for):
    client = client_for(hr)
    response = upload(client, "a,b\n1,2\n", "people.csv")
    assert response.status_code == 200
    assert "Say what the CSV file holds" in response.content.decode()
    response = upload(client, "junk", "people.xlsx", "people")
    assert "not an Excel workbook" in response.content.decode()


def test_another_persons_upload_or_job_is_404(hr, partnership, make_user, client_for):
    client = client_for(hr)
    columns_url = upload(client, PEOPLE_CSV, "people.csv", "people", partner="HAV")["Location"]
    other = client_for(make_user(Role.HR_OFFICER, "HAV"))
    assert other.get(columns_url).status_code == 404
    officer = client_for(make_user(Role.PARTNER_OFFICER, "HAV"))
    assert officer.get("/workforce/import/").status_code == 403  # may not manage the workforce
    assert client_for(None).get("/workforce/import/").status_code == 302


def test_api_dry_run_then_import(partnership, make_user, client_for, django_capture_on_commit_callbacks):
    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/workforce/imports",
            {"file": SimpleUploadedFile("posts.csv", POSTS.encode()), "kind": "posts", "dry_run": "true"},
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["tables"] == {"posts": 3} and body["dry_run"] is True
    job = client.get(body["job_url"]).json()
    assert job["status"] == "succeeded"
    assert job["result"]["counts"]["posts"]["created"] == 3
    assert Post.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/workforce/imports",
            {"file": SimpleUploadedFile("posts.csv", POSTS.encode()), "kind": "posts", "dry_run": "false"},
        )
    assert response.status_code == 201
    assert Post.objects.count() == 3


def test_api_422_for_a_bad_file_or_mapping(partnership, make_user, client_for):
    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    response = client.post("/api/workforce/imports", {"file": SimpleUploadedFile("x.csv", b"a\n1\n")})
    assert response.status_code == 422
    assert "Say what the CSV file holds" in response.json()["errors"]["file"][0]
    response = client.post(
        "/api/workforce/imports",
        {"file": SimpleUploadedFile("x.csv", PEOPLE_CSV.encode()), "kind": "people", "mapping": "{"},
    )
    assert response.json()["errors"] == {"mapping": ["Give the mapping as JSON."]}
    response = client.post(
        "/api/workforce/imports",
        {"file": SimpleUploadedFile("x.csv", PEOPLE_CSV.encode()), "kind": "people"},
    )
    assert response.status_code == 422
    # "Joined" is not a heading we know, so the start date needs mapping by hand.
    assert response.json()["errors"] == {
        "mapping": ["People, Start date: Choose the column that holds start date."]
    }
    assert Job.objects.count() == 0
    officer = client_for(make_user(Role.PARTNER_OFFICER, "NEW"))
    response = officer.post("/api/workforce/imports", {"file": SimpleUploadedFile("x.csv", b"a\n1\n")})
    assert response.status_code == 403


def test_cli_import_dry_run_then_for_real_and_errors_exit_non_zero(partnership, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(POSTS)
    out = StringIO()
    call_command(
        "workforce", "import", str(path), "--kind", "posts", "--dry-run", stdout=out, stderr=StringIO()
    )
    assert "Dry run, nothing changed. Would import 3 rows." in out.getvalue()
    assert Post.objects.count() == 0
    out = StringIO()
    call_command("workforce", "import", str(path), "--kind", "posts", stdout=out, stderr=StringIO())
    assert "Imported 3 rows. Posts: 3 new" in out.getvalue()
    assert Post.objects.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_text(POSTS.replace("P-3,Auditor,audit,SO2,0.5", "P-4,Auditor,audit,SO2,lots"))
    err = StringIO()
    with pytest.raises(CommandError, match="1 row has problems: nothing was changed"):
        call_command("workforce", "import", str(bad), "--kind", "posts", stdout=StringIO(), stderr=err)
    assert "Posts, row 4: FTE: 'lots' is not a number" in err.getvalue()
    assert not Post.objects.filter(reference="P-4").exists()
