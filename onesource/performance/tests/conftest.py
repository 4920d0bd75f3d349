import datetime as dt
from decimal import Decimal

import pytest

from onesource.performance import actions


@pytest.fixture
def kpi(partnership):
    return actions.create_kpi(
        code="invoices-30-days",
        name="Invoices paid within 30 days",
        unit="%",
        direction="higher",
        frequency="monthly",
        target=Decimal("92"),
        amber_tolerance=Decimal("4"),
        owner="Exchequer",
        service=partnership["shared"],
        acting_user=partnership["system"],
    )


@pytest.fixture
def results(partnership, kpi):
    """HAV 77.77 and NEW 55.55 in June 2021; the whole service 66.66."""
    u = partnership["system"]
    june = dt.date(2021, 6, 1)
    return {
        "HAV": actions.record_result(
            kpi, period=june, value=Decimal("77.77"), partner=partnership["HAV"], acting_user=u
        ),
        "NEW": actions.record_result(
            kpi, period=june, value=Decimal("55.55"), partner=partnership["NEW"], acting_user=u
        ),
        "service": actions.record_result(kpi, period=june, value=Decimal("66.66"), acting_user=u),
    }
