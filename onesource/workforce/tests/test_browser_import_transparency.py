"""The import and Transparency Code pages in headless Chromium, checked with axe-core."""

from pathlib import Path

import pytest

from onesource.core.roles import Role
from onesource.core.testing_browser import (
    browser_page,
    screenshot,
    serious_axe_violations,
    sign_in_with_keyboard,
)
from onesource.workforce.models import Employee

from .test_transparency import establishment  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = "Emp No,Forename,Surname,Council,Joined\nH100,Rosalind,Franklin,HAV,2015-06-01\n"


@pytest.fixture
def manager_login(establishment, make_user):  # noqa: F811
    make_user(Role.SHARED_SERVICE_MANAGER, username="boss")
    return "boss", "a-long-test-password"


def check(page, problems: dict, name: str) -> None:
    assert page.locator("h1").count() == 1, name
    found = serious_axe_violations(page)
    if found:
        problems[name] = found
    screenshot(page, name)


def test_transparency_pages_pass_axe(live_server, manager_login):
    pages = [
        "/workforce/transparency/",
        "/workforce/transparency/NEW/senior-salaries/?date=2019-03-31",
        "/workforce/transparency/NEW/org-chart/?date=2019-03-31",
        "/workforce/transparency/NEW/pay-multiple/?date=2019-03-31",
        "/workforce/transparency/NEW/pay-multiple/?date=not-a-date",
    ]
    with browser_page() as page:
        sign_in_with_keyboard(page, live_server.url, *manager_login)
        problems: dict = {}
        for index, path in enumerate(pages):
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            check(page, problems, f"workforce_transparency_{index}")
        assert problems == {}
        page.goto(f"{live_server.url}/workforce/transparency/NEW/org-chart/?date=2019-03-31")
        assert page.locator(".app-org .app-org__post").count() == 7


def test_import_upload_map_preview_apply_passes_axe(live_server, manager_login, tmp_path: Path):
    extract = tmp_path / "people.csv"
    extract.write_text(PEOPLE)
    with browser_page() as page:
        sign_in_with_keyboard(page, live_server.url, *manager_login)
        problems: dict = {}
        page.goto(f"{live_server.url}/workforce/import/")
        check(page, problems, "workforce_import_upload")
        # Submitting without a file shows the error summary.
        page.click("main input[type=submit], main button[type=submit]")
        page.locator(".govuk-error-summary").wait_for()
        check(page, problems, "workforce_import_upload_error")
        page.set_input_files("#id_file", str(extract))
        page.select_option("#id_kind", "people")
        page.click("main input[type=submit], main button[type=submit]")
        page.wait_for_url("**/columns/")
        check(page, problems, "workforce_import_columns")
        page.select_option("#id_people__started_on", "Joined")
        page.click("main button[type=submit]")
        page.wait_for_url("**/preview/**")
        page.locator("text=Import these records").wait_for()
        check(page, problems, "workforce_import_preview")
        page.click("text=Import these records")
        page.wait_for_url("**/jobs/*/")
        page.locator("text=Succeeded").wait_for()
        assert problems == {}
    assert Employee.objects.filter(staff_number="H100", last_name="Franklin").exists()
