"""Committee report commentary, draft and final versions, and the Word document: actions, pages, API, CLI."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from onesource.core.roles import Role
from onesource.performance import actions as performance
from onesource.reports import actions
from onesource.reports.committee import report_for_version
from onesource.reports.models import CommitteeReportVersion

pytestmark = pytest.mark.django_db
START, END = dt.date(2020, 4, 1), dt.date(2021, 8, 31)
QUERY = "?from=2020-04-01&to=2021-08-31"


@pytest.fixture
def hav_officer(make_user):
    return make_user(Role.PARTNER_OFFICER, "HAV")


@pytest.fixture
def hav_member(make_user):
    return make_user(Role.COMMITTEE_MEMBER, "HAV")


@pytest.fixture
def new_officer(make_user):
    return make_user(Role.PARTNER_OFFICER, "NEW")


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs + cells)


def test_commentary_goes_into_one_draft_until_it_is_finalised(partnership, results, hav_officer):
    hav = partnership["HAV"]
    first = actions.save_commentary(
        hav,
        START,
        END,
        section_key="kpis",
        text="  Invoices recovered in spring.  ",
        acting_user=hav_officer,
    )
    again = actions.save_commentary(
        hav, START, END, section_key="background", text="A year of change.", acting_user=hav_officer
    )
    assert first.pk == again.pk and again.number == 1 and not again.is_final
    assert again.commentary == {
        "kpis": "Invoices recovered in spring.",
        "background": "A year of change.",
    }

    final = actions.finalise_report(hav, START, END, acting_user=hav_officer)
    assert final.pk == first.pk and final.is_final
    assert final.finalised_by == hav_officer and final.finalised_at is not None
    assert [s["key"] for s in final.frozen()][:1] == ["background"]

    # Later commentary starts version 2 from the final's commentary; version 1 stays as it was.
    second = actions.save_commentary(
        hav, START, END, section_key="background", text="", acting_user=hav_officer
    )
    assert second.number == 2 and not second.is_final
    assert second.commentary == {"kpis": "Invoices recovered in spring."}
    final.refresh_from_db()
    assert final.commentary["background"] == "A year of change."


def test_only_officers_of_the_partner_may_write_and_only_known_sections(
    partnership, hav_member, new_officer, hav_officer
):
    hav = partnership["HAV"]
    with pytest.raises(PermissionDenied):
        actions.save_commentary(hav, START, END, section_key="background", text="x", acting_user=hav_member)
    with pytest.raises(PermissionDenied):
        actions.finalise_report(hav, START, END, acting_user=new_officer)
    with pytest.raises(ValidationError, match="no section"):
        actions.save_commentary(hav, START, END, section_key="gossip", text="x", acting_user=hav_officer)
    assert not CommitteeReportVersion.objects.exists()


def test_a_final_version_keeps_the_figures_it_was_finalised_with(partnership, kpi, results, hav_officer):
    hav = partnership["HAV"]
    final = actions.finalise_report(hav, START, END, acting_user=hav_officer)
    performance.record_result(
        kpi,
        period=dt.date(2021, 6, 1),
        value=Decimal("12.34"),
        partner=hav,
        acting_user=partnership["system"],
    )
    frozen = "".join(s.html for s in report_for_version(final, hav_officer).sections)
    assert "77.77" in frozen and "12.34" not in frozen
    draft = actions.save_commentary(
        hav, START, END, section_key="background", text="y", acting_user=hav_officer
    )
    today = "".join(s.html for s in report_for_version(draft, hav_officer).sections)
    assert "12.34" in today


def test_the_page_takes_commentary_and_finalises(partnership, results, hav_officer, hav_member, client_for):
    officer = client_for(hav_officer)
    url = f"/reports/committee/HAV/{QUERY}"
    response = officer.post(url, {"section": "kpis", "commentary": "Collection rates held up."})
    assert response.status_code == 302 and response["Location"].endswith("#section-kpis")
    page = officer.get(url).content.decode()
    assert "Collection rates held up." in page and "Save commentary" in page and "Finalise the report" in page
    assert "Draft" in page  # the versions table

    too_long = officer.post(url, {"section": "kpis", "commentary": "x" * 10_001})
    assert too_long.status_code == 400
    assert "<title>Error:" in too_long.content.decode()
    assert "10,000 characters or fewer" in too_long.content.decode()

    finalised = officer.post(f"/reports/committee/HAV/finalise/{QUERY}")
    version_url = finalised["Location"]
    assert "/reports/committee/HAV/versions/1/" in version_url
    version_page = officer.get(version_url).content.decode()
    assert "Final: finalised by" in version_page and "Collection rates held up." in version_page

    # The committee member reads the commentary but has no form to change it.
    member_page = client_for(hav_member).get(url).content.decode()
    assert "Collection rates held up." in member_page and "Save commentary" not in member_page
    assert client_for(hav_member).post(url, {"section": "kpis", "commentary": "x"}).status_code == 403

    pdf = officer.get(version_url + "&format=pdf")
    assert pdf.content.startswith(b"%PDF-")
    word = officer.get(version_url + "&format=docx")
    assert word["Content-Disposition"].endswith('-v1-final.docx"')
    assert "Collection rates held up." in docx_text(word.content)


def test_another_partners_report_is_not_found(partnership, new_officer, client_for):
    client = client_for(new_officer)
    assert (
        client.post(
            f"/reports/committee/HAV/{QUERY}", {"section": "background", "commentary": "x"}
        ).status_code
        == 404
    )
    assert client.get(f"/reports/committee/HAV/docx/{QUERY}").status_code == 404
    assert (
        client.get("/api/reports/committee/HAV/versions?start=2020-04-01&end=2021-08-31").status_code == 404
    )


def test_the_api_sets_commentary_finalises_and_lists_versions(
    partnership, results, hav_officer, hav_member, client_for
):
    client = client_for(hav_officer)
    period = {"start": "2020-04-01", "end": "2021-08-31"}
    saved = client.post(
        "/api/reports/committee/HAV/commentary",
        {**period, "section": "background", "text": "Steady year."},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["status"] == "draft" and saved.json()["commentary"] == {"background": "Steady year."}
    report = client.get("/api/reports/committee/HAV?start=2020-04-01&end=2021-08-31").json()
    assert report["sections"][0]["commentary"] == "Steady year."

    denied = client_for(hav_member).post(
        "/api/reports/committee/HAV/finalise", period, content_type="application/json"
    )
    assert denied.status_code == 403
    final = client.post("/api/reports/committee/HAV/finalise", period, content_type="application/json")
    assert final.status_code == 200 and final.json()["status"] == "final"
    assert final.json()["finalised_by"] == str(hav_officer)

    versions = client_for(hav_member).get(
        "/api/reports/committee/HAV/versions?start=2020-04-01&end=2021-08-31"
    )
    assert [(v["number"], v["status"]) for v in versions.json()] == [(1, "final")]
    one = client.get("/api/reports/committee/HAV/versions/1?start=2020-04-01&end=2021-08-31").json()
    assert one["sections"][0]["commentary"] == "Steady year."
    word = client.get("/api/reports/committee/HAV/docx?start=2020-04-01&end=2021-08-31")
    assert word.status_code == 200 and "Steady year." in docx_text(word.content)
    bad = client.post(
        "/api/reports/committee/HAV/commentary",
        {**period, "section": "nonsense", "text": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422


def test_the_cli_writes_commentary_finalises_and_writes_word(
    partnership, results, hav_officer, tmp_path, capsys
):
    period = ["--partner", "HAV", "--from", "2020-04-01", "--to", "2021-08-31", "--as", hav_officer.username]
    call_command("report", "commentary", *period, "--section", "kpis", "--text", "Better than planned.")
    call_command("report", "finalise", *period)
    call_command("report", "versions", *period)
    listed = capsys.readouterr().out
    assert "Version 1: final, finalised by" in listed and "Performance" in listed

    out = tmp_path / "report.docx"
    call_command("report", "committee", *period, "-o", str(out))
    document = Document(str(out))
    headings = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert "1. Background and context" in headings
    assert any(h.endswith("Performance: KPIs with RAG") for h in headings)
    assert "Better than planned." in docx_text(out.read_bytes())
    assert document.inline_shapes, "the charts come as pictures"
    assert document.tables, "the tables come as Word tables"

    call_command("report", "committee", *period, "--version", "1", "-o", str(tmp_path / "v1.pdf"))
    assert (tmp_path / "v1.pdf").read_bytes().startswith(b"%PDF-")
    member = make_period_for("nobody")
    with pytest.raises(CommandError, match="No active user"):
        call_command("report", "finalise", *member)


def make_period_for(username: str) -> list[str]:
    return ["--partner", "HAV", "--from", "2020-04-01", "--to", "2021-08-31", "--as", username]
