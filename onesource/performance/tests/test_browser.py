"""The performance and committee-report pages in headless Chromium, checked with axe-core."""

import datetime as dt

import pytest

from onesource.core.roles import Role
from onesource.core.testing_browser import (
    browser_page,
    screenshot,
    serious_axe_violations,
    sign_in_with_keyboard,
)
from onesource.performance import actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_performance_and_report_page_passes_axe(live_server, partnership, kpi, results, make_user):
    make_user(Role.SHARED_SERVICE_MANAGER, username="boss")
    achievement = actions.create_achievement(
        kind="award",
        title="LGC Awards 2020: Team of the Year",
        organisation="LGC",
        achieved_on=dt.date(2020, 11, 1),
        outcome="won",
        acting_user=partnership["system"],
    )
    pages = [
        "/performance/kpis/",
        f"/performance/kpis/{kpi.pk}/",
        "/performance/kpis/new/",
        f"/performance/kpis/{kpi.pk}/edit/",
        f"/performance/kpis/{kpi.pk}/results/new/",
        "/performance/kpis/import/",
        "/performance/scorecards/",
        "/performance/scorecards/HAV/?month=2021-08",
        "/performance/achievements/",
        f"/performance/achievements/{achievement.pk}/",
        "/performance/achievements/new/",
        f"/performance/achievements/{achievement.pk}/edit/",
        "/reports/",
        "/reports/committee/HAV/?from=2020-04-01&to=2021-08-31",
    ]
    with browser_page() as page:
        sign_in_with_keyboard(page, live_server.url, "boss", "a-long-test-password")
        problems = {}
        for path in pages:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            assert page.locator("h1").count() == 1, path
            found = serious_axe_violations(page)
            if found:
                problems[path] = found
            screenshot(page, "performance" + path.split("?")[0].replace("/", "_").rstrip("_"))
        assert problems == {}


def test_a_committee_member_opens_their_report_and_downloads_the_pdf(
    live_server, partnership, kpi, results, make_user
):
    make_user(Role.COMMITTEE_MEMBER, "HAV", username="member")
    with browser_page() as page:
        sign_in_with_keyboard(page, live_server.url, "member", "a-long-test-password")
        page.click(".govuk-service-navigation__link:has-text('Reports')")
        for field, (day, month, year) in {"start": ("1", "4", "2020"), "end": ("31", "8", "2021")}.items():
            page.fill(f"#id_{field}_0", day)
            page.fill(f"#id_{field}_1", month)
            page.fill(f"#id_{field}_2", year)
        page.click("main input[type=submit], main button[type=submit]")
        page.wait_for_url("**/reports/committee/HAV/*")
        assert "77.77" in page.content() and "55.55" not in page.content()
        with page.expect_download() as download:
            page.click("text=Download as PDF")
        path = download.value.path()
        with open(path, "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
        other = page.goto(f"{live_server.url}/reports/committee/NEW/?from=2020-04-01&to=2021-08-31")
        assert other.status == 404
