"""The task list asks those who manage performance for KPIs whose last period has no result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from onesource.core.roles import Role
from onesource.core.tasks import tasks_for
from onesource.performance import actions
from onesource.performance.tasks import kpis_missing_last_result, last_complete_period


def _kpi_tasks(user):
    return [t for t in tasks_for(user) if "/performance/" in t.url]


def test_the_last_complete_period_is_the_one_before_today(kpi):
    assert last_complete_period(kpi, dt.date(2026, 12, 4)) == dt.date(2026, 11, 1)
    assert last_complete_period(kpi, dt.date(2026, 1, 31)) == dt.date(2025, 12, 1)
    kpi.frequency = "quarterly"
    assert last_complete_period(kpi, dt.date(2026, 12, 4)) == dt.date(2026, 7, 1)
    kpi.frequency = "annual"
    assert last_complete_period(kpi, dt.date(2026, 12, 4)) == dt.date(2025, 4, 1)


def test_a_kpi_without_last_months_result_is_a_task_until_one_is_recorded(partnership, kpi, make_user):
    manager = make_user(Role.SHARED_SERVICE_MANAGER)
    last_month = last_complete_period(kpi, dt.date.today())
    assert kpis_missing_last_result() == [(kpi, last_month)]
    [task] = _kpi_tasks(manager)
    assert task.url == kpi.get_absolute_url() and task.count == 1
    assert "Invoices paid within 30 days" in task.hint
    # A partner officer does not record results: nothing for them.
    assert _kpi_tasks(make_user(Role.PARTNER_OFFICER, "HAV")) == []
    hav, system = partnership["HAV"], partnership["system"]
    actions.record_result(kpi, period=last_month, value=Decimal("93"), partner=hav, acting_user=system)
    assert _kpi_tasks(manager) == []
