"""The committee report: its sections, its content for one partner only, scoping, the PDF and the CLI."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onesource.core import reporting
from onesource.core.reporting import SectionContent
from onesource.core.roles import Role
from onesource.performance import actions as performance
from onesource.reports.committee import build_committee_report

pytestmark = pytest.mark.django_db
QUERY = "?from=2020-04-01&to=2021-08-31"


@pytest.fixture
def data(partnership, kpi, results):
    u = partnership["system"]
    performance.create_achievement(
        kind="award", title="LGC Awards 2020: Team of the Year", organisation="LGC",
        achieved_on=dt.date(2020, 11, 1), outcome="won", acting_user=u,
    )  # fmt: skip
    performance.create_achievement(
        kind="new_business", title="Havering passenger transport", achieved_on=dt.date(2021, 3, 31),
        value=Decimal("345000"), partner=partnership["HAV"], acting_user=u,
    )  # fmt: skip
    performance.create_achievement(
        kind="new_business", title="Newham secret contract", achieved_on=dt.date(2021, 2, 1),
        value=Decimal("999999"), partner=partnership["NEW"], acting_user=u,
    )  # fmt: skip
    return partnership


@pytest.fixture
def hav_member(make_user):
    return make_user(Role.COMMITTEE_MEMBER, "HAV")


def test_the_report_shows_the_partners_figures_and_none_of_another_partners(data, hav_member, client_for):
    page = client_for(hav_member).get(f"/reports/committee/HAV/{QUERY}")
    assert page.status_code == 200
    html = page.content.decode()
    for expected in [
        "1. Background and context",
        "2. Achievements and contributions",
        "3. Performance: KPIs with RAG",
        "Havering passenger transport",
        "£345,000",
        "77.77",  # Havering's own KPI result
        "Internal Audit",  # a service Havering receives
    ]:
        assert expected in html, expected
    for unexpected in ["55.55", "Newham secret contract", "999,999", "Schools Finance"]:
        assert unexpected not in html, unexpected
    # The sections come in their registered order.
    assert html.index("Background and context") < html.index("Achievements and") < html.index("KPIs with RAG")


def test_a_committee_member_of_another_partner_gets_404(data, hav_member, client_for):
    client = client_for(hav_member)
    assert client.get(f"/reports/committee/NEW/{QUERY}").status_code == 404
    assert client.get(f"/reports/committee/NEW/pdf/{QUERY}").status_code == 404
    assert client.get("/api/reports/committee/NEW?start=2020-04-01&end=2021-08-31").status_code == 404
    assert client.get("/reports/committee/ZZZ/" + QUERY).status_code == 404


def test_anonymous_is_sent_to_sign_in(data, client):
    assert client.get(f"/reports/committee/HAV/{QUERY}").status_code == 302
    assert client.get("/api/reports/committee/HAV?start=2020-04-01&end=2021-08-31").status_code == 401


def test_a_shared_service_manager_can_produce_any_partners_report(data, make_user, client_for):
    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    newham = client.get(f"/reports/committee/NEW/{QUERY}").content.decode()
    assert "55.55" in newham and "77.77" not in newham
    assert "Schools Finance" in newham
    api = client.get("/api/reports/committee/HAV?start=2020-04-01&end=2021-08-31").json()
    assert [s["key"] for s in api["sections"]] == ["background", "achievements", "kpis"]


def test_a_bad_period_goes_back_to_the_form_with_its_error(data, hav_member, client_for):
    client = client_for(hav_member)
    response = client.get("/reports/committee/HAV/?from=2021-08-31&to=2020-04-01")
    assert response.status_code == 302
    form = client.get(response["Location"]).content.decode()
    assert "The end date must be the same as or after the start date." in form
    chosen = client.get("/reports/?partner=HAV&start=2020-04-01&end=2021-08-31")
    assert chosen.status_code == 302 and chosen["Location"].endswith("/reports/committee/HAV/" + QUERY)


def test_sections_without_data_are_left_out_and_registered_ones_appear_in_order(partnership, hav_member):
    def finance(partner, start, end, user):
        return SectionContent(template="reports/section_background.html", context={"by_area": []})

    def empty(partner, start, end, user):
        return None

    reporting.register_report_section("test-finance", title="Finance (test)", order=50)(finance)
    reporting.register_report_section("test-empty", title="Nothing (test)", order=15)(empty)
    try:
        report = build_committee_report(
            partnership["HAV"], dt.date(2020, 4, 1), dt.date(2021, 8, 31), hav_member
        )
    finally:
        del reporting.REPORT_SECTIONS["test-finance"]
        del reporting.REPORT_SECTIONS["test-empty"]
    keys = [s.key for s in report.sections]
    assert "test-empty" not in keys
    assert keys.index("background") < keys.index("test-finance")
    assert [s.number for s in report.sections] == list(range(1, len(keys) + 1))


def test_the_pdf_download(data, hav_member, client_for):
    response = client_for(hav_member).get(f"/reports/committee/HAV/pdf/{QUERY}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "committee-report-hav-2020-04-01-to-2021-08-31.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    assert response.content.rstrip().endswith(b"%%EOF")


def test_the_cli_writes_a_valid_pdf(data, hav_member, tmp_path, capsys):
    out = tmp_path / "hav.pdf"
    call_command(
        "report", "committee", "--partner", "hav", "--from", "2020-04-01", "--to", "2021-08-31",
        "-o", str(out), "--as", hav_member.username,
    )  # fmt: skip
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 10_000  # a cover, contents and three sections with charts, not an empty document
    assert "Background and context" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No partner 'NEW'"):
        call_command(
            "report", "committee", "--partner", "NEW", "--from", "2020-04-01", "--to", "2021-08-31",
            "-o", str(out), "--as", hav_member.username,
        )  # fmt: skip
    with pytest.raises(CommandError, match="not a date"):
        call_command(
            "report", "committee", "--partner", "HAV", "--from", "April", "--to", "2021-08-31", "-o", str(out)
        )


def test_the_pdf_job(data, hav_member, client_for, django_capture_on_commit_callbacks):
    from onesource.core.models import Job

    client = client_for(hav_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/jobs",
            {"kind": "reports.committee_pdf", "params": {"start": "2020-04-01", "end": "2021-08-31"}},
            content_type="application/json",
        )
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == "succeeded", job.errors
    assert job.partner is not None and job.partner.code == "HAV"
    assert job.output.read().startswith(b"%PDF-")


def test_the_background_shows_the_named_staff_figures_with_their_definitions(data, hav_member, monkeypatch):
    from onesource.core import figures

    def headcount(partner, start, end, user=None):
        return Decimal("12") if partner == data["HAV"] else Decimal("40")

    # Stand in for the workforce app's figure, and put it back afterwards.
    monkeypatch.setitem(
        figures.FIGURES,
        "headcount",
        figures.NamedFigure(
            key="headcount",
            label="Headcount",
            unit="people",
            definition="People counted once.",
            compute=headcount,
        ),
    )
    report = build_committee_report(data["HAV"], dt.date(2020, 4, 1), dt.date(2021, 8, 31), hav_member)
    background = report.sections[0].html
    assert (
        "Headcount (people employed by or working for Havering) on 31 August 2021: <strong>12</strong>"
        in background
    )
    assert "People counted once." in background
