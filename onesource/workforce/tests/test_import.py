"""Importing an extract: good files write everything, bad rows are named and nothing is written."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from openpyxl import Workbook

from onesource.core.jobs import create_job, run_job_now
from onesource.core.roles import Role
from onesource.workforce.imports import ExtractError, import_extract, store_upload
from onesource.workforce.models import Assignment, ContractPeriod, Employee, Post

POSTS = (
    "Post number,Job title,Service code,Grade,FTE,Budgeted annual cost,Senior management,Funded by,"
    "Reports to (post number),Established on\n"
    "P-1,Head of Audit,audit,Director,1,120000,yes,SHARED,,2014-04-01\n"
    "P-2,Audit Manager,audit,PO5,1,65000,no,,P-1,2014-04-01\n"
    "P-3,Auditor,audit,SO2,0.5,18000,no,,P-2,01/04/2014\n"
)
PEOPLE = (
    "Staff number,First name,Last name,Employing partner,Start date,Leaving date,Leaving reason,"
    "Contract type\n"
    "E1,Ada,Lovelace,HAV,2014-04-01,,,permanent\n"
    "E2,Alan,Turing,NEW,2014-04-01,2016-03-31,Resignation,Fixed-term\n"
)
ASSIGNMENTS = (
    "Staff number,Post number,From,To,FTE,Salary\n"
    "E1,P-1,2014-04-01,,1,95000\n"
    "E2,P-2,2014-04-01,2016-03-31,1,52000\n"
)


def workbook(sheets: dict[str, str]) -> bytes:
    """An XLSX with one sheet per kind, from CSV text (numbers stay text, as payroll exports often are)."""
    book = Workbook()
    book.remove(book.active)
    for name, text in sheets.items():
        sheet = book.create_sheet(name)
        for line in text.strip().splitlines():
            sheet.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def manager(partnership, make_user):
    return make_user(Role.SHARED_SERVICE_MANAGER)


def counts():
    return (
        Post.objects.count(),
        Employee.objects.count(),
        Assignment.objects.count(),
        LogEntry.objects.count(),
    )


def test_a_good_workbook_writes_everything_through_the_actions(manager):
    outcome = import_extract(
        workbook({"posts": POSTS, "people": PEOPLE, "assignments": ASSIGNMENTS}),
        "extract.xlsx",
        acting_user=manager,
        dry_run=False,
    )
    assert outcome.ok, outcome.errors
    assert outcome.counts == {
        "posts": {"created": 3, "updated": 0, "unchanged": 0},
        "people": {"created": 2, "updated": 0, "unchanged": 0},
        "assignments": {"created": 2, "updated": 0, "unchanged": 0},
    }
    auditor = Post.objects.get(reference="P-3")
    boss = auditor.reports_to
    assert boss is not None and boss.reference == "P-2"
    assert boss.reports_to is not None and boss.reports_to.reference == "P-1"
    assert auditor.fte == Decimal("0.5") and auditor.funded_by is None
    assert Post.objects.get(reference="P-1").is_senior_management is True
    turing = Employee.objects.get(staff_number="E2")
    assert (turing.employing_partner.code, turing.left_on, turing.leaving_reason) == (
        "NEW",
        dt.date(2016, 3, 31),
        "resignation",
    )
    assert ContractPeriod.objects.get(employee=turing).contract_type == "fixed_term"
    assert Assignment.objects.get(employee__staff_number="E1").salary == Decimal("95000")
    # Audited, naming the person who ran the import.
    entries = LogEntry.objects.get_for_object(auditor)
    assert {e.actor for e in entries} == {manager}
    assert entries.filter(action=LogEntry.Action.CREATE).exists()


def test_importing_the_same_file_again_changes_nothing_and_says_so(manager):
    data = workbook({"posts": POSTS, "people": PEOPLE, "assignments": ASSIGNMENTS})
    import_extract(data, "x.xlsx", acting_user=manager, dry_run=False)
    before = counts()
    again = import_extract(data, "x.xlsx", acting_user=manager, dry_run=False)
    assert again.ok
    assert {k: v["unchanged"] for k, v in again.counts.items()} == {"posts": 3, "people": 2, "assignments": 2}
    assert counts() == before
    changed = POSTS.replace("Audit Manager,audit,PO5,1,65000", "Senior Audit Manager,audit,PO6,1,68000")
    third = import_extract(changed.encode(), "posts.csv", kind="posts", acting_user=manager, dry_run=False)
    assert third.counts["posts"] == {"created": 0, "updated": 1, "unchanged": 2}
    assert Post.objects.get(reference="P-2").title == "Senior Audit Manager"


def test_a_dry_run_previews_but_writes_nothing(manager):
    before = counts()
    outcome = import_extract(POSTS.encode(), "posts.csv", kind="posts", acting_user=manager, dry_run=True)
    assert outcome.ok and outcome.dry_run
    assert outcome.counts["posts"]["created"] == 3
    assert [p["values"]["post_number"] for p in outcome.preview["posts"]] == ["P-1", "P-2", "P-3"]
    assert outcome.preview["posts"][0]["row"] == 2
    assert outcome.summary().startswith("Dry run, nothing changed. Would import 3 rows.")
    assert counts() == before


def test_bad_rows_are_named_by_row_and_nothing_is_written(manager):
    bad_people = (
        "Staff number,First name,Last name,Employing partner,Start date,Leaving date,Leaving reason\n"
        "E1,Ada,Lovelace,HAV,2014-04-01,,\n"  # row 2: fine
        "E2,,Turing,NEW,2014-04-01,,\n"  # row 3: no first name
        "E3,Grace,Hopper,XYZ,2014-04-01,,\n"  # row 4: unknown partner
        "E4,Joan,Clarke,NEW,not a date,,\n"  # row 5: bad date
        "E5,Tim,Berners-Lee,NEW,2015-01-01,2014-01-01,Resignation\n"  # row 6: leaves before starting
    )
    before = counts()
    outcome = import_extract(
        bad_people.encode(), "people.csv", kind="people", acting_user=manager, dry_run=False
    )
    assert not outcome.ok
    messages = [str(e) for e in outcome.errors]
    assert messages[0] == "People, row 3: First name is missing"
    assert messages[1] == "People, row 4: Employing partner: there is no partner with code 'XYZ'"
    assert messages[2].startswith("People, row 5: Start date: 'not a date' is not a date")
    assert messages[3].startswith("People, row 6: Leaving date: ")
    assert len(messages) == 4
    assert outcome.summary() == "4 rows have problems: nothing was changed."
    # Row 2 was fine, but the import is all or nothing.
    assert counts() == before


def test_an_assignment_to_a_missing_post_fails_the_whole_workbook(manager):
    assignments = ASSIGNMENTS + "E1,P-99,2014-04-01,,1,30000\n"
    before = counts()
    outcome = import_extract(
        workbook({"posts": POSTS, "people": PEOPLE, "assignments": assignments}),
        "x.xlsx",
        acting_user=manager,
        dry_run=False,
    )
    assert [str(e) for e in outcome.errors] == [
        "Assignments, row 4: Post number: there is no post P-99 that you manage"
    ]
    assert counts() == before


def test_the_person_maps_their_own_headings(manager):
    extract = "Emp No;Forename;Family;Council;Joined\nE7;Mary;Somerville;HAV;03/09/2018\n"
    mapping = {
        "people": {
            "staff_number": "Emp No",
            "first_name": "Forename",
            "last_name": "Family",
            "employer": "Council",
            "started_on": "Joined",
        }
    }
    with pytest.raises(ExtractError, match="Choose the column that holds"):
        # Without the mapping, "Family", "Council" and "Joined" match nothing.
        import_extract(extract.encode(), "p.csv", kind="people", acting_user=manager, dry_run=False)
    outcome = import_extract(
        extract.encode(), "p.csv", kind="people", mappings=mapping, acting_user=manager, dry_run=False
    )
    assert outcome.ok
    mary = Employee.objects.get(staff_number="E7")
    assert (mary.last_name, mary.started_on, mary.employing_partner.code) == (
        "Somerville",
        dt.date(2018, 9, 3),
        "HAV",
    )


def test_an_officer_of_one_partner_cannot_import_another_partners_staff(partnership, make_user):
    hr = make_user(Role.HR_OFFICER, "HAV")
    outcome = import_extract(PEOPLE.encode(), "p.csv", kind="people", acting_user=hr, dry_run=False)
    assert [str(e) for e in outcome.errors] == [
        "People, row 3: Employing partner: you do not manage NEW's staff"
    ]
    assert Employee.objects.count() == 0


def test_the_import_job_reports_progress_and_row_errors(manager, django_capture_on_commit_callbacks):
    name = store_upload(b"Post number,Job title\nP-9,Clerk\n", "posts.csv")
    job = create_job(
        "workforce.import",
        {"file": name, "filename": "posts.csv", "kind": "posts", "dry_run": False},
        acting_user=manager,
    )
    job = run_job_now(job)
    assert job.status == "failed"
    assert "Choose the column that holds service code" in job.message
    good = store_upload(POSTS.encode(), "posts.csv")
    seen = []
    job = create_job(
        "workforce.import",
        {"file": good, "filename": "posts.csv", "kind": "posts", "dry_run": False},
        acting_user=manager,
    )
    job = run_job_now(job, lambda done, total, message: seen.append((done, total)))
    assert job.status == "succeeded", job.errors
    assert job.result["counts"]["posts"]["created"] == 3
    assert seen[-1] == (3, 3)
    assert Post.objects.count() == 3


def test_the_sample_extract_matches_its_generator_and_imports_cleanly(manager, partnership):
    from pathlib import Path

    from onesource.core import actions as core_actions
    from onesource.workforce.samples import make_samples

    here = Path(make_samples.__file__).parent
    data = make_samples.rows()
    for kind in ("posts", "people", "assignments"):
        assert (here / f"{kind}.csv").read_text() == make_samples.csv_text(kind, data)
    system = partnership["system"]
    legal = core_actions.create_service(
        area=partnership["area"], code="legal", name="Legal Services", acting_user=system
    )
    for code in ("NEW", "HAV"):
        core_actions.create_coverage(
            service=legal, partner=partnership[code], starts_on=dt.date(2014, 4, 1), acting_user=system
        )
    outcome = import_extract(
        (here / "extract.xlsx").read_bytes(), "extract.xlsx", acting_user=manager, dry_run=False
    )
    assert outcome.ok, outcome.errors
    assert (Post.objects.count(), Employee.objects.count(), Assignment.objects.count()) == (10, 11, 11)
    line_manager = Post.objects.get(reference="LGL-004").reports_to
    assert line_manager is not None and line_manager.reference == "LGL-002"
