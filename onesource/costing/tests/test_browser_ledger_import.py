"""The ledger import pages in headless Chromium: upload, preview, apply, and a file with row errors;
each page free of serious or critical accessibility violations."""

from __future__ import annotations

import pytest

from onesource.core.roles import Role
from onesource.core.testing_browser import (
    browser_page,
    screenshot,
    serious_axe_violations,
    sign_in_with_keyboard,
)
from onesource.costing.models import ActualLine, BudgetLine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD = (
    b"kind,service,year,month,partner,amount\nbudget,audit,2017,,,1000.00\nactual,audit,2017,April,,90.00\n"
)
BAD = b"kind,service,year,amount\nbudget,audit,2017,lots\n"


def upload(page, base_url: str, content: bytes) -> None:
    page.goto(f"{base_url}/costing/ledger/import/")
    page.set_input_files(
        "#id_file", files=[{"name": "ledger.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_selector("#ledger-import:not([hx-get])")


def test_upload_preview_apply_and_errors_pass_axe(live_server, partnership, make_user):
    make_user(Role.SHARED_SERVICE_MANAGER, username="boss")
    problems = {}
    with browser_page() as page:
        sign_in_with_keyboard(page, live_server.url, "boss", "a-long-test-password")
        page.goto(f"{live_server.url}/costing/ledger/import/")
        assert page.locator("h1").count() == 1
        problems["upload"] = serious_axe_violations(page)
        screenshot(page, "costing_ledger_import_upload")

        upload(page, live_server.url, GOOD)
        assert "2 lines passed every check" in page.content()
        problems["preview"] = serious_axe_violations(page)
        screenshot(page, "costing_ledger_import_preview")
        assert not BudgetLine.objects.dangerously_unscoped().exists()

        page.get_by_role("button", name="Apply the import: write 2 lines").click()
        page.wait_for_selector("text=2 lines imported")
        problems["applied"] = serious_axe_violations(page)
        screenshot(page, "costing_ledger_import_applied")
        assert BudgetLine.objects.dangerously_unscoped().count() == 1
        assert ActualLine.objects.dangerously_unscoped().count() == 1

        upload(page, live_server.url, BAD)
        assert "Row 2: amount" in page.content()
        problems["errors"] = serious_axe_violations(page)
        screenshot(page, "costing_ledger_import_errors")
    assert {k: v for k, v in problems.items() if v} == {}
