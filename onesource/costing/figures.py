"""Costing's named figure (core.figures): a partner's budget share, the same on the statement and in
the committee report.

Budget share is the partner's share of the shared budgets only; its own (non-shared) budgets are a
separate figure on both, never added in silently.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from onesource.core.figures import register_figure
from onesource.core.models import FinancialYear, Partner
from onesource.costing.models import RechargeCharge, RechargeRun, RunStatus

BUDGET_SHARE_DEFINITION = (
    "The partner's share of the shared services' total budgets (each service's own lines plus the "
    "support services allocated to it), split by the agreement's percentages or drivers, to the penny. "
    "It leaves out the partner's own (non-shared) budgets, shown separately. Over a period: the sum "
    "over the approved full-year recharge runs of the financial years in it."
)


def approved_runs_by_year(first_year: int, last_year: int) -> dict[int, RechargeRun]:
    """The approved full-year run for each year (a final run preferred to an estimate)."""
    runs: dict[int, RechargeRun] = {}
    for run in (
        RechargeRun.objects.dangerously_unscoped()
        .filter(
            year__gte=first_year, year__lte=last_year, status=RunStatus.APPROVED, up_to_month__isnull=True
        )
        .order_by("year", "-is_estimate", "version")
    ):
        runs[run.year] = run  # later rows (final, higher version) win
    return runs


def budget_share_of_runs(runs: list[RechargeRun], partner: Partner) -> Decimal:
    """Σ budget share of the partner's charges in the runs: the statement's "Budget share" total."""
    total = (
        RechargeCharge.objects.dangerously_unscoped()
        .filter(run__in=runs, partner=partner)
        .aggregate(total=Sum("budget_share"))["total"]
    )
    return Decimal(total or 0).quantize(Decimal("0.01"))


@register_figure("budget_share", label="Budget share", unit="£", definition=BUDGET_SHARE_DEFINITION)
def budget_share(partner: Partner | None, start: dt.date, end: dt.date, user: Any = None) -> Decimal | None:
    """For a partner only: a whole-partnership total would give other partners' shares away."""
    if partner is None:
        return None
    runs = approved_runs_by_year(FinancialYear.start_year_for(start), FinancialYear.start_year_for(end))
    if not runs:
        return None
    return budget_share_of_runs(list(runs.values()), partner)
