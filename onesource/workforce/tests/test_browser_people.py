"""The workforce dashboard, post and employee pages in headless Chromium, checked with axe-core."""

import pytest

from onesource.core.roles import Role
from onesource.core.testing_browser import (
    browser_page,
    screenshot,
    serious_axe_violations,
    sign_in_with_keyboard,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hr_login(workforce, make_user):
    make_user(Role.HR_OFFICER, "NEW", username="newhr")
    return "newhr", "a-long-test-password"


def test_every_workforce_page_passes_axe(live_server, hr_login, workforce):
    post = workforce["posts"]["A"]
    pages = [
        "/workforce/",
        "/workforce/?date=2014-04-01&start=2014-04-01&end=2015-03-31",
        "/workforce/posts/",
        f"/workforce/posts/{post.pk}/",
        "/workforce/posts/new/",
        f"/workforce/posts/{post.pk}/edit/",
        "/workforce/employees/",
        "/workforce/employees/?q=ann",
        "/workforce/employees/E1/",
        "/workforce/employees/new/",
        "/workforce/employees/E1/edit/",
        "/workforce/employees/E1/assignments/new/",
        "/workforce/employees/E1/contracts/new/",
        "/workforce/employees/E1/time-splits/new/",
        "/workforce/employees/E1/leave/",
        "/workforce/employees/E1/health/",
        "/workforce/employees/E1/sickness/new/",
        "/workforce/employees/E1/secondments/new/",
        "/workforce/employees/E1/furlough/new/",
        "/workforce/employees/E1/risk-assessments/new/",
    ]
    with browser_page() as page:
        sign_in_with_keyboard(page, live_server.url, *hr_login)
        problems = {}
        for path in pages:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            assert page.locator("h1").count() == 1, path
            found = serious_axe_violations(page)
            if found:
                problems[path] = found
            screenshot(page, "workforce" + path.replace("/", "_").replace("?", "_").rstrip("_"))
        assert problems == {}


def test_time_split_form_error_shows_the_error_summary(live_server, hr_login, workforce):
    with browser_page() as page:
        sign_in_with_keyboard(page, live_server.url, *hr_login)
        page.goto(f"{live_server.url}/workforce/employees/E3/time-splits/new/")
        page.fill("#id_starts_on_0", "1")
        page.fill("#id_starts_on_1", "6")
        page.fill("#id_starts_on_2", "2014")
        page.select_option("#id_partner_1", label="Newham")
        page.fill("#id_percent_1", "70")
        page.get_by_role("button", name="Set the time split").click()
        summary = page.locator(".govuk-error-summary")
        assert summary.is_visible()
        assert "must add up to 100%" in summary.inner_text()
        assert serious_axe_violations(page) == []
