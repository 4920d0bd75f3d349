from decimal import Decimal

import pytest

from onesource.core import shares
from onesource.savings import actions


@pytest.fixture
def no_share_providers(monkeypatch):
    """No cost-share provider registered (as in this app alone); tests add their own."""
    monkeypatch.setattr(shares, "_SHARE_PROVIDERS", [])
    return shares._SHARE_PROVIDERS


@pytest.fixture
def case(partnership, no_share_providers):
    u = partnership["system"]
    business_case = actions.create_business_case(
        code="bc", name="Business case", first_year=2014, years=5, target=Decimal("40000000"), acting_user=u
    )
    return business_case


@pytest.fixture
def shared_line(case, partnership):
    """A line on the service NEW, HAV and BEX share, split 50/50 between the founders."""
    u = partnership["system"]
    line = actions.create_savings_line(
        business_case=case,
        reference="aud-01",
        title="Audit restructure",
        service=partnership["shared"],
        lever="deduplication",
        status="in_progress",
        acting_user=u,
    )
    actions.set_line_shares(
        line,
        percentages={partnership["NEW"]: Decimal("50"), partnership["HAV"]: Decimal("50")},
        acting_user=u,
    )
    return line


@pytest.fixture
def new_only_line(case, partnership):
    """A line on Newham's own service: Havering must not see it."""
    u = partnership["system"]
    line = actions.create_savings_line(
        business_case=case,
        reference="sch-01",
        title="Schools finance review",
        service=partnership["own"],
        lever="process_efficiency",
        acting_user=u,
    )
    actions.set_line_shares(line, percentages={partnership["NEW"]: Decimal("100")}, acting_user=u)
    actions.set_savings_amount(
        line, year=2015, planned=Decimal("7000"), delivered=Decimal("7000"), acting_user=u
    )
    return line
