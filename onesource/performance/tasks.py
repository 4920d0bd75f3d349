"""Performance's contribution to the home page's task list: KPIs whose last period has no result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone

from onesource.core.models import User
from onesource.core.roles import Capability
from onesource.core.scoping import scope_for
from onesource.core.tasks import TaskItem, register_task_provider
from onesource.performance.models import Kpi, KpiResult, period_label, period_start_for


def last_complete_period(kpi: Kpi, today: dt.date) -> dt.date:
    """The first day of the KPI's last period that has ended: last month, last quarter or last year."""
    return period_start_for(period_start_for(today, kpi.frequency) - dt.timedelta(days=1), kpi.frequency)


def kpis_missing_last_result(today: dt.date | None = None) -> list[tuple[Kpi, dt.date]]:
    """Active KPIs with no result at all (for any partner or the whole service) for their last period."""
    today = today or timezone.localdate()
    kpis = list(Kpi.objects.filter(is_active=True))
    due = {kpi.pk: last_complete_period(kpi, today) for kpi in kpis}
    have = set(
        KpiResult.objects.filter(kpi_id__in=due, period_start__in=set(due.values())).values_list(
            "kpi_id", "period_start"
        )
    )
    return [(kpi, due[kpi.pk]) for kpi in kpis if (kpi.pk, due[kpi.pk]) not in have]


@register_task_provider("performance.missing_results")
def missing_kpi_results(user: User) -> Iterable[TaskItem]:
    # Results are entered (or computed) by those who manage performance for the whole service.
    if scope_for(user).partners_with(Capability.MANAGE_PERFORMANCE) is not None:
        return []
    missing = kpis_missing_last_result()
    if not missing:
        return []
    kpi, start = missing[0]
    single = len(missing) == 1
    return [
        TaskItem(
            title=(
                "KPI missing its last period's result"
                if single
                else "KPIs missing their last period's result"
            ),
            url=kpi.get_absolute_url() if single else reverse("performance:kpi-list"),
            count=len(missing),
            hint=f"{kpi.name}: {period_label(start, kpi.frequency)}"
            + ("" if single else f" and {len(missing) - 1} more"),
            priority=40,
        )
    ]
