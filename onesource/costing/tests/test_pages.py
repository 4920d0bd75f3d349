"""Costing pages: every list and form renders, runs start and are approved from pages, statements are
scoped to the partner and downloadable as CSV and PDF, and every figure links to its source lines."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest

from onesource.core.models import Job
from onesource.core.roles import Role
from onesource.costing import actions
from onesource.costing.models import BudgetLine, RechargeRun, RunStatus


@pytest.fixture
def run(costing):
    return actions.create_recharge_run(year=2017, acting_user=costing["system"])


@pytest.fixture
def finance_client(costing, make_user, client_for):
    return client_for(make_user(Role.FINANCE_OFFICER, "HAV"))


def test_every_costing_page_renders_for_a_finance_officer(run, finance_client):
    line = BudgetLine.objects.earliest("pk")
    agreement = run.service_costs.exclude(agreement=None).earliest("pk").agreement
    assert agreement is not None
    paths = [
        "/costing/",
        "/costing/runs/new/",
        f"/costing/runs/{run.pk}/",
        f"/costing/runs/{run.pk}/approve/",
        f"/costing/runs/{run.pk}/delete/",
        f"/costing/runs/{run.pk}/statements/HAV/",
        "/costing/agreements/",
        "/costing/agreements/new/",
        f"/costing/agreements/{agreement.pk}/",
        f"/costing/agreements/{agreement.pk}/edit/",
        "/costing/budgets/",
        "/costing/budgets/new/",
        f"/costing/budgets/{line.pk}/",
        f"/costing/budgets/{line.pk}/edit/",
        "/costing/actuals/?service=audit&year=2017&sharing=shared",
        "/costing/actuals/new/",
        "/costing/counts/",
        "/costing/counts/new/",
        "/costing/time/",
        "/costing/time/new/",
        "/costing/support-usage/",
        "/costing/support-usage/new/",
    ]
    for path in paths:
        assert finance_client.get(path).status_code == 200, path


def test_anonymous_is_sent_to_sign_in(run, client_for):
    response = client_for(None).get(f"/costing/runs/{run.pk}/statements/HAV/")
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_a_partner_officer_sees_only_their_own_statement(run, make_user, client_for):
    havering = client_for(make_user(Role.PARTNER_OFFICER, "HAV"))
    assert havering.get(f"/costing/runs/{run.pk}/statements/HAV/").status_code == 200
    assert havering.get(f"/costing/runs/{run.pk}/statements/NEW/").status_code == 404
    assert havering.get(f"/costing/runs/{run.pk}/statements/NEW/pdf/").status_code == 404
    assert havering.get(f"/costing/runs/{run.pk}/statements/NEW/?format=csv").status_code == 404
    # The run page lists only Havering's totals and sign-off, not Newham's.
    page = havering.get(f"/costing/runs/{run.pk}/").content.decode()
    assert "Havering" in page and "Newham" not in page
    assert "0 of 3 member councils have signed off" in page
    # A partner officer cannot approve.
    assert havering.get(f"/costing/runs/{run.pk}/approve/").status_code == 403


def test_statement_csv_adds_up_and_matches_the_run(run, finance_client):
    response = finance_client.get(f"/costing/runs/{run.pk}/statements/HAV/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    services = [r for r in rows if r["service"] != "Total"]
    assert [r["service"] for r in services] == ["Internal Audit"]
    # Havering: 42% of the 100,000 budget and of the 10,000 underspend.
    assert services[0]["share_percent"] == "42.00"
    assert services[0]["budget_share"] == "42000.00"
    assert services[0]["shared_variance_share"] == "-4200.00"
    assert rows[-1]["total"] == "37800.00"


def test_statement_pdf_is_a_pdf(run, finance_client):
    response = finance_client.get(f"/costing/runs/{run.pk}/statements/HAV/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 2000


def test_every_figure_on_a_statement_links_to_its_source_lines(run, make_user, client_for):
    finance_client = client_for(make_user(Role.FINANCE_OFFICER, "NEW"))
    page = finance_client.get(f"/costing/runs/{run.pk}/statements/NEW/").content.decode()
    assert "/costing/budgets/?service=audit&amp;year=2017&amp;sharing=shared" in page
    assert "/costing/actuals/?service=schools&amp;year=2017&amp;owner=NEW" in page
    # Following the link lists exactly the lines the figure came from, with their total.
    listed = finance_client.get("/costing/actuals/?service=schools&year=2017&owner=NEW")
    assert listed.context["page"].paginator.count == 1
    assert listed.context["sum_amount"] == Decimal("12000.00")


def test_a_run_is_started_by_shared_service_finance_and_signed_off_from_pages(
    costing, finance_client, make_user, client_for, django_capture_on_commit_callbacks
):
    response = finance_client.post(
        "/costing/runs/new/", {"year": 2017, "up_to_month": "", "support_method": ""}
    )
    assert response.status_code == 200
    assert "Only shared-service finance builds" in response.content.decode()
    lead = client_for(make_user(Role.SHARED_SERVICE_FINANCE))
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post("/costing/runs/new/", {"year": 2017, "up_to_month": "", "support_method": ""})
    assert response.status_code == 302
    job = Job.objects.get(kind="costing.recharge_run")
    assert job.status == "succeeded", job.errors
    run = RechargeRun.objects.get()
    assert run.status == RunStatus.DRAFT
    page = finance_client.get(f"/costing/runs/{run.pk}/").content.decode()
    assert f"/costing/runs/{run.pk}/statements/HAV/sign-off/" in page
    assert f"/costing/runs/{run.pk}/statements/NEW/sign-off/" not in page
    # Havering's officer cannot reach Newham's sign-off page; a rejection needs a reason.
    assert finance_client.get(f"/costing/runs/{run.pk}/statements/NEW/sign-off/").status_code == 404
    response = finance_client.post(
        f"/costing/runs/{run.pk}/statements/HAV/sign-off/", {"decision": "rejected"}
    )
    assert "Enter why you are rejecting the statement" in response.content.decode()
    response = finance_client.post(
        f"/costing/runs/{run.pk}/statements/HAV/sign-off/", {"decision": "signed", "comment": "Agreed"}
    )
    assert response.status_code == 302
    for code in ("NEW", "BEX"):
        officer = client_for(make_user(Role.FINANCE_OFFICER, code))
        response = officer.post(f"/costing/runs/{run.pk}/statements/{code}/sign-off/", {"decision": "signed"})
        assert response.status_code == 302
    assert RechargeRun.objects.get().status == RunStatus.APPROVED
    page = lead.get(f"/costing/runs/{run.pk}/").content.decode()
    assert "Signed off" in page and "Agreed" in page


def test_a_partner_sees_its_own_share_and_no_partnership_figures_on_run_pages(run, make_user, client_for):
    havering = client_for(make_user(Role.FINANCE_OFFICER, "HAV"))
    listing = havering.get("/costing/").content.decode()
    assert "Your share" in listing and "37,800.00" in listing
    assert "102,000.00" not in listing
    page = havering.get(f"/costing/runs/{run.pk}/").content.decode()
    assert "37,800.00" in page
    # Not the run's total, the service's whole budget, nor Bexley's or Newham's shares.
    for figure in ("102,000.00", "100,000.00", "13,500.00", "38,700.00"):
        assert figure not in page, figure
    csv_listing = b"".join(havering.get("/costing/?format=csv").streaming_content).decode()
    assert "37800.00" in csv_listing
    assert "102000.00" not in csv_listing and "102,000.00" not in csv_listing
    lead = client_for(make_user(Role.SHARED_SERVICE_FINANCE))
    assert "102,000.00" in lead.get(f"/costing/runs/{run.pk}/").content.decode()


def test_a_draft_statement_pdf_says_draft_on_every_page_and_an_approved_one_does_not(
    run, finance_client, sign_off_all
):
    import pypdf

    response = finance_client.get(f"/costing/runs/{run.pk}/statements/HAV/pdf/")
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) >= 1
    assert all("DRAFT" in page.extract_text() for page in pages)
    assert "102,000.00" not in "".join(page.extract_text() for page in pages)
    sign_off_all(run)
    response = finance_client.get(f"/costing/runs/{run.pk}/statements/HAV/pdf/")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "DRAFT" not in text and "Havering" in text


def test_an_approved_statement_pdf_is_drawn_once_and_again_when_what_it_shows_changes(
    run, finance_client, sign_off_all, costing, monkeypatch
):
    import pypdf

    from onesource.core import actions as core_actions
    from onesource.costing import statements

    drawn = []
    draw = statements.statement_pdf

    def counting(statement, base_url):
        drawn.append(statement.run.status)
        return draw(statement, base_url)

    monkeypatch.setattr(statements, "statement_pdf", counting)
    url = f"/costing/runs/{run.pk}/statements/HAV/pdf/"
    finance_client.get(url)
    finance_client.get(url)
    assert drawn == ["draft", "draft"]  # a draft is drawn afresh each time
    sign_off_all(run)
    first = finance_client.get(url).content
    assert finance_client.get(url).content == first
    assert drawn == ["draft", "draft", "approved"]
    core_actions.update_partner(costing["HAV"], name="Havering Council", acting_user=costing["system"])
    text = "".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(finance_client.get(url).content)).pages
    )
    assert "Havering Council" in text
    assert len(drawn) == 4


def test_agreement_form_refuses_percentages_that_do_not_add_up(costing, finance_client):
    response = finance_client.post(
        "/costing/agreements/new/",
        {
            "service": costing["shared"].pk,
            "year": 2019,
            "basis": "formula",
            "tolerance_percent": "3",
            "share_NEW": "60",
            "share_HAV": "30",
        },
    )
    assert response.status_code == 200
    assert "they must add up to exactly 100" in response.content.decode()


def test_budget_line_form_saves_through_the_action(costing, finance_client):
    response = finance_client.post(
        "/costing/budgets/new/",
        {
            "service": costing["shared"].pk,
            "year": 2018,
            "month": "3",
            "amount": "1234.56",
            "description": "Audit fees",
        },
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(year=2018)
    assert line.month == 3 and line.amount == Decimal("1234.56") and line.owner_partner is None


def test_statement_and_run_pages_do_not_query_per_row(
    costing, make_user, client_for, django_assert_max_num_queries
):
    u = costing["system"]
    # Twenty more shared services with lines and agreements: the page's query count must not grow with them.
    from onesource.core import actions as core_actions

    for index in range(20):
        service = core_actions.create_service(
            area=costing["area"], code=f"extra-{index}", name=f"Extra {index}", acting_user=u
        )
        core_actions.create_coverage(
            service=service,
            partner=costing["HAV"],
            starts_on=costing["HAV"].memberships.get().joined_on,
            acting_user=u,
        )
        actions.create_agreement(
            service=service, year=2017, basis="formula", shares={costing["HAV"]: 100}, acting_user=u
        )
        actions.create_budget_line(service=service, year=2017, amount=Decimal("100.00"), acting_user=u)
    run = actions.create_recharge_run(year=2017, acting_user=u)
    client = client_for(make_user(Role.FINANCE_OFFICER, "HAV"))
    with django_assert_max_num_queries(15):
        assert client.get(f"/costing/runs/{run.pk}/statements/HAV/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/costing/runs/{run.pk}/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/costing/budgets/").status_code == 200


def test_run_and_statement_pages_say_what_the_figures_mean(run, finance_client):
    run.method_used = "step_down"
    run.save(update_fields=["method_used"])
    run_page = finance_client.get(f"/costing/runs/{run.pk}/").content.decode()
    assert re.search(r"Support services allocated by</dt><dd[^>]*>Step-down<", run_page)
    run_list = finance_client.get("/costing/").content.decode()
    assert "step_down" not in run_list
    # Money in the list is grouped in thousands, like everywhere else (Havering sees its own share).
    assert "37,800.00" in run_list
    # Havering's shared variance in the fixture is an underspend (-4,200.00), so it is called one.
    statement = finance_client.get(f"/costing/runs/{run.pk}/statements/HAV/").content.decode()
    assert "(an underspend returned)" in statement
    assert "overspend" not in statement
