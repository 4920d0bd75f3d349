"""The costing pages in headless Chromium with axe-core: a finance officer builds a run, approves it and
downloads a statement; every page has no serious or critical accessibility violations."""

from __future__ import annotations

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


def test_a_finance_officer_builds_approves_and_downloads_a_statement(live_server, finance_login):
    with browser_page() as page:
        sign_in_with_keyboard(page, live_server.url, *finance_login)
        page.goto(f"{live_server.url}/costing/runs/new/")
        page.fill("#id_year", "2017")
        page.click("main input[type=submit], main button[type=submit]")
        page.wait_for_url("**/jobs/*/")
        page.locator("text=Succeeded").wait_for()
        run = RechargeRun.objects.get()
        page.click(f"text=Open {run}")
        page.wait_for_url(f"**/costing/runs/{run.pk}/")
        page.click("text=Approve this run")
        page.check("#id_confirm")
        page.click("main input[type=submit], main button[type=submit]")
        page.wait_for_url(f"**/costing/runs/{run.pk}/")
        assert RechargeRun.objects.get().status == RunStatus.APPROVED
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
