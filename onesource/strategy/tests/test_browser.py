"""Savings and strategy pages in headless Chromium: each page loads and has no serious axe-core violations."""

import pytest

from onesource.core.roles import Role
from onesource.core.testing_browser import (
    browser_page,
    screenshot,
    serious_axe_violations,
    sign_in_with_keyboard,
)
from onesource.savings import actions as savings_actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_savings_and_strategy_page_passes_axe(live_server, projects, strategy, partnership, make_user):
    from decimal import Decimal

    u = partnership["system"]
    make_user(Role.SHARED_SERVICE_MANAGER, username="boss")
    case = savings_actions.create_business_case(
        code="bc", name="Business case", first_year=2014, years=5, target=Decimal("40000000"), acting_user=u
    )
    savings_actions.set_year_target(case, year=2014, target=Decimal("8000000"), acting_user=u)
    line = savings_actions.create_savings_line(
        business_case=case,
        reference="aud-01",
        title="Audit restructure",
        service=partnership["shared"],
        lever="deduplication",
        status="in_progress",
        acting_user=u,
    )
    savings_actions.set_line_shares(
        line,
        percentages={partnership["NEW"]: Decimal("50"), partnership["HAV"]: Decimal("50")},
        acting_user=u,
    )
    savings_actions.set_savings_amount(
        line, year=2014, planned=Decimal("5000"), delivered=Decimal("4000"), acting_user=u
    )
    from onesource.strategy import actions

    item = actions.create_service_priority(
        strategy,
        service=partnership["shared"],
        plan_year=2021,
        title="Audit plan",
        strategic_priorities=[strategy.priorities.get(number=1)],
        acting_user=u,
    )
    milestone = projects["audit"].milestones.get()
    pages = [
        "/savings/",
        "/savings/lines/",
        "/savings/lines/new/",
        f"/savings/lines/{line.pk}/",
        f"/savings/lines/{line.pk}/edit/",
        f"/savings/lines/{line.pk}/amounts/",
        f"/savings/lines/{line.pk}/shares/",
        "/savings/cases/",
        "/savings/cases/new/",
        "/savings/cases/bc/",
        "/savings/cases/bc/targets/",
        "/strategy/",
        "/strategy/new/",
        "/strategy/s-2020/",
        "/strategy/s-2020/priority-map/",
        "/strategy/s-2020/road-map/?year=2021",
        "/strategy/s-2020/projects/new/",
        "/strategy/s-2020/service-priorities/new/",
        "/strategy/s-2020/priorities/new/",
        f"/strategy/priorities/{strategy.priorities.get(number=1).pk}/edit/",
        "/strategy/s-2020/phases/new/",
        f"/strategy/phases/{strategy.phases.get(number=1).pk}/edit/",
        "/strategy/projects/",
        "/strategy/projects/audit-review/",
        "/strategy/projects/audit-review/edit/",
        "/strategy/projects/audit-review/milestones/new/",
        f"/strategy/milestones/{milestone.pk}/edit/",
        "/strategy/service-priorities/",
        f"/strategy/service-priorities/{item.pk}/",
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
            screenshot(page, "performance" + path.replace("/", "_").replace("?", "_").rstrip("_"))
        assert problems == {}


def test_the_shares_form_shows_the_error_summary(live_server, strategy, partnership, make_user):
    from decimal import Decimal

    u = partnership["system"]
    make_user(Role.SHARED_SERVICE_MANAGER, username="boss")
    case = savings_actions.create_business_case(
        code="bc", name="Business case", first_year=2014, years=5, target=Decimal("1000"), acting_user=u
    )
    line = savings_actions.create_savings_line(
        business_case=case,
        reference="x-1",
        title="X",
        service=partnership["shared"],
        lever="other",
        acting_user=u,
    )
    with browser_page() as page:
        sign_in_with_keyboard(page, live_server.url, "boss", "a-long-test-password")
        page.goto(f"{live_server.url}/savings/lines/{line.pk}/shares/")
        page.fill("#id_partner_NEW", "60")
        page.fill("#id_partner_HAV", "30")
        page.click("main input[type=submit], main button[type=submit]")
        summary = page.locator(".govuk-error-summary")
        summary.wait_for()
        assert "The percentages add up to 90%, not 100%." in summary.inner_text()
        assert serious_axe_violations(page) == []
