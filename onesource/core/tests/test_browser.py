"""The partnership pages in headless Chromium: sign in by keyboard, visit each page, check with axe-core."""

import pytest

from onesource.core.models import ServiceCoverage
from onesource.core.roles import Role
from onesource.core.testing_browser import (
    browser_page,
    screenshot,
    serious_axe_violations,
    sign_in_with_keyboard,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def manager_login(partnership, make_user):
    make_user(Role.SHARED_SERVICE_MANAGER, username="boss")
    return "boss", "a-long-test-password"


def test_every_partnership_page_works_by_keyboard_and_passes_axe(live_server, manager_login):
    coverage = ServiceCoverage.objects.filter(partner__code="BEX").first()
    assert coverage is not None
    pages = [
        "/",
        "/partners/",
        "/partners/BEX/",
        "/partners/new/",
        "/partners/BEX/edit/",
        "/partners/BEX/memberships/new/",
        "/partners/HAV/leave/",
        "/services/",
        "/services/audit/",
        "/services/new/",
        "/coverage/",
        f"/coverage/{coverage.pk}/",
        f"/coverage/{coverage.pk}/edit/",
        "/coverage/new/",
        "/financial-years/",
        "/jobs/",
        "/jobs/coverage-report/",
        "/audit/",
    ]
    with browser_page() as page:
        page.goto(f"{live_server.url}/sign-in/")
        assert serious_axe_violations(page) == []
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
        sign_in_with_keyboard(page, live_server.url, *manager_login)
        problems = {}
        for path in pages:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            assert page.locator("h1").count() == 1, path
            found = serious_axe_violations(page)
            if found:
                problems[path] = found
            screenshot(page, "core" + path.replace("/", "_").rstrip("_"))
        assert problems == {}


def test_a_form_with_an_error_shows_the_error_summary(live_server, manager_login):
    with browser_page() as page:
        sign_in_with_keyboard(page, live_server.url, *manager_login)
        page.goto(f"{live_server.url}/partners/new/")
        page.fill("#id_code", "no")
        page.fill("#id_name", "Nowhere")
        page.fill("#id_gss_code", "E1")
        page.click("main input[type=submit], main button[type=submit]")
        summary = page.locator(".govuk-error-summary")
        summary.wait_for()
        assert "There is a problem" in summary.inner_text()
        # Every error at once: the code's and GSS code's formats, and the kind nobody chose.
        for message in ("Enter 2 to 6 capital letters", "Enter a GSS code like E09000025", "Select the kind"):
            assert message in summary.inner_text()
        # The summary takes focus, so screen-reader and keyboard users land on it.
        page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
        assert serious_axe_violations(page) == []
        screenshot(page, "core_form_error")
        summary.locator("a").first.click()
        assert page.evaluate("document.activeElement.id") == "id_code"


def test_a_job_shows_progress_and_its_download(live_server, manager_login):
    with browser_page() as page:
        sign_in_with_keyboard(page, live_server.url, *manager_login)
        page.goto(f"{live_server.url}/jobs/coverage-report/")
        page.fill("#id_first_year", "2016")
        page.fill("#id_last_year", "2018")
        page.click("main input[type=submit], main button[type=submit]")
        page.wait_for_url("**/jobs/*/")
        # Tests run jobs immediately; the page shows the finished state and the download.
        page.locator("text=Succeeded").wait_for()
        assert page.locator("progress").get_attribute("value") == "100"
        assert page.locator("a", has_text="Download coverage-2016-2018.csv").count() == 1
        screenshot(page, "core_job_done")


def test_a_paged_list_passes_axe(live_server, manager_login, monkeypatch):
    from onesource.core.views import CoverageListView

    # Pages of two rows, so the partnership fixture's coverage runs to several pages.
    monkeypatch.setattr(CoverageListView, "paginate_by", 2)
    with browser_page() as page:
        sign_in_with_keyboard(page, live_server.url, *manager_login)
        page.goto(f"{live_server.url}/coverage/?page=2")
        assert page.locator(".govuk-pagination").count() == 1
        assert "Page 2 of" in page.locator(".govuk-pagination").inner_text()
        assert serious_axe_violations(page) == []
