"""The costing pages in headless Chromium with axe-core: shared-service finance builds a run, each council's
finance officer signs off its statement and the run is approved; every page has no serious or critical
accessibility violations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onesource.core.roles import Role
from onesource.core.testing_browser import (
    browser_page,
    screenshot,
    serious_axe_violations,
    sign_in_with_keyboard,
)
from onesource.costing import actions
from onesource.costing.models import BudgetLine, DriverQuantity, RechargeRun, RunStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def finance_login(costing, make_user):
    make_user(Role.FINANCE_OFFICER, "HAV", username="havfin")
    actions.create_driver_quantity(
        kind="caseload",
        service=costing["shared"],
        partner=costing["HAV"],
        year=2017,
        quantity=10,
        acting_user=costing["system"],
    )
    return "havfin", "a-long-test-password"


@pytest.fixture
def year_of_two_members(costing, make_user):
    """2021/22, after Bexley left: Internal Audit split 50/50 between Newham and Havering."""
    u = costing["system"]
    actions.create_agreement(
        service=costing["shared"],
        year=2021,
        basis="formula",
        shares={costing["NEW"]: "50", costing["HAV"]: "50"},
        acting_user=u,
    )
    actions.create_budget_line(
        service=costing["shared"], year=2021, amount=Decimal("84000.00"), acting_user=u
    )
    actions.create_actual_line(
        service=costing["shared"], year=2021, amount=Decimal("80000.00"), acting_user=u
    )
    for username, role, code in (
        ("finance-lead", Role.SHARED_SERVICE_FINANCE, None),
        ("hav-finance", Role.FINANCE_OFFICER, "HAV"),
        ("new-finance", Role.FINANCE_OFFICER, "NEW"),
    ):
        make_user(role, code, username=username)
    return costing


def _submit(page) -> None:
    page.click("main input[type=submit], main button[type=submit]")


def test_finance_lead_builds_each_council_signs_off_and_the_run_is_approved(live_server, year_of_two_members):
    password = "a-long-test-password"
    with browser_page() as page:
        sign_in_with_keyboard(page, live_server.url, "finance-lead", password)
        page.goto(f"{live_server.url}/costing/runs/new/")
        page.fill("#id_year", "2021")
        _submit(page)
        page.wait_for_url("**/jobs/*/")
        page.locator("text=Succeeded").wait_for()
        run = RechargeRun.objects.get()
        page.click(f"text=Open {run}")
        page.wait_for_url(f"**/costing/runs/{run.pk}/")
        assert "0 of 2 member councils have signed off" in page.inner_text("main")
        # The builder is offered no sign-off: maker-checker.
        assert page.locator("text=Sign off Havering's statement").count() == 0
        page.context.clear_cookies()

        for username, council in (("hav-finance", "Havering"), ("new-finance", "Newham")):
            sign_in_with_keyboard(page, live_server.url, username, password)
            page.goto(f"{live_server.url}/costing/runs/{run.pk}/")
            page.click(f"text=Sign off {council}'s statement")
            page.wait_for_url("**/sign-off/")
            page.check("input[name=decision][value=signed]")
            page.fill("#id_comment", f"Agreed by {council}")
            _submit(page)
            page.wait_for_url(f"**/costing/runs/{run.pk}/")
            assert f"You signed off {council}'s statement" in page.inner_text("main")
            page.context.clear_cookies()

        assert RechargeRun.objects.get().status == RunStatus.APPROVED
        sign_in_with_keyboard(page, live_server.url, "finance-lead", password)
        page.goto(f"{live_server.url}/costing/runs/{run.pk}/")
        main = page.inner_text("main")
        assert "Approved" in main and "2 of 2 member councils have signed off" in main
        assert "Agreed by Havering" in main and "Agreed by Newham" in main
        assert serious_axe_violations(page) == []
        screenshot(page, "costing_run_signed_off")
        page.click("text=View")
        page.wait_for_url("**/statements/HAV/")
        with page.expect_download() as download:
            page.click("text=Download PDF")
        assert download.value.suggested_filename.endswith(".pdf")
        # Follow a figure back to its source lines.
        page.locator("a", has_text="£42,000.00").first.click()
        page.wait_for_url("**/costing/budgets/?service=audit*")
        assert "1 result" in page.inner_text("main")


def test_every_costing_page_passes_axe(live_server, finance_login, costing):
    run = actions.create_recharge_run(year=2017, acting_user=costing["system"])
    line = BudgetLine.objects.earliest("pk")
    agreement = run.service_costs.exclude(agreement=None).earliest("pk").agreement
    assert agreement is not None
    count = DriverQuantity.objects.earliest("pk")
    pages = [
        "/costing/",
        "/costing/runs/new/",
        f"/costing/runs/{run.pk}/",
        f"/costing/runs/{run.pk}/approve/",
        f"/costing/runs/{run.pk}/delete/",
        f"/costing/runs/{run.pk}/statements/HAV/",
        f"/costing/runs/{run.pk}/statements/HAV/sign-off/",
        "/costing/agreements/",
        "/costing/agreements/new/",
        f"/costing/agreements/{agreement.pk}/",
        f"/costing/agreements/{agreement.pk}/edit/",
        "/costing/budgets/",
        "/costing/budgets/new/",
        f"/costing/budgets/{line.pk}/",
        f"/costing/budgets/{line.pk}/edit/",
        "/costing/actuals/",
        "/costing/actuals/new/",
        "/costing/counts/",
        "/costing/counts/new/",
        f"/costing/counts/{count.pk}/",
        "/costing/time/",
        "/costing/time/new/",
        "/costing/support-usage/",
        "/costing/support-usage/new/",
    ]
    with browser_page() as page:
        sign_in_with_keyboard(page, live_server.url, *finance_login)
        problems = {}
        for path in pages:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            assert page.locator("h1").count() == 1, path
            found = serious_axe_violations(page)
            if found:
                problems[path] = found
            screenshot(page, "costing" + path.replace("/", "_").rstrip("_"))
        assert problems == {}
