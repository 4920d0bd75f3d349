"""What costing offers other apps through core registries: service shares and the committee report's
finance section."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from onesource.core.charts import Chart, Series
from onesource.core.drivers import driver_data_sets
from onesource.core.figures import named_figure
from onesource.core.models import FinancialYear, Partner, Service
from onesource.core.reporting import SectionContent, register_report_section
from onesource.core.shares import register_share_provider
from onesource.core.versions import cached_each_by_version
from onesource.costing.drivers import DATA_SET
from onesource.costing.figures import approved_runs_by_year
from onesource.costing.models import RechargeCharge
from onesource.costing.models.common import year_label
from onesource.costing.recharge import agreement_fractions_in_year


def shares_in_year(year: int, service_ids: Collection[int]) -> dict[int, dict[int, Decimal]]:
    """Each service's fractions under its agreement for the year ({} when it has none it can use),
    cached per service and year until the agreements, the partnership or a driver's data change."""
    data_sets = (DATA_SET, "partnership", *driver_data_sets())
    return cached_each_by_version(
        data_sets,
        f"agreement-fractions:{year}",
        service_ids,
        lambda wanted: agreement_fractions_in_year(year, wanted),
        missing={},
    )


def service_shares(service: Service, year: int) -> dict[int, Decimal] | None:
    return shares_in_year(year, [service.pk])[service.pk] or None


register_share_provider(service_shares, for_year=shares_in_year)


@register_report_section("finance", title="Finance", order=50)
def finance_section(
    partner: Partner, start: dt.date, end: dt.date, user: Any = None
) -> SectionContent | None:
    runs = approved_runs_by_year(FinancialYear.start_year_for(start), FinancialYear.start_year_for(end))
    if not runs:
        return None
    totals = (
        RechargeCharge.objects.dangerously_unscoped()
        .filter(run__in=list(runs.values()), partner=partner)
        .values("run__year")
        .annotate(
            budget=Sum("budget_share"),
            variance=Sum("variance_share"),
            own_budget=Sum("nonshared_budget"),
            own_variance=Sum("nonshared_variance"),
            total=Sum("total"),
        )
        .order_by("run__year")
    )
    rows: list[dict[str, Any]] = []
    by_year: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in totals:
        year = row["run__year"]
        by_year[year] = row
        rows.append(
            {
                "year": year_label(year),
                "run": runs[year],
                "budget": row["budget"],
                "own_budget": row["own_budget"],
                "shared_variance": row["variance"],
                "own_variance": row["own_variance"],
                "total": row["total"],
            }
        )
    if not rows:
        return None
    chart = Chart(
        title=f"{partner.name}: share of budgets and variances",
        labels=[r["year"] for r in rows],
        series=[
            Series("Share of budgets", [r["budget"] for r in rows]),
            Series("Share of shared variances", [r["shared_variance"] for r in rows]),
        ],
        kind="bar",
        y_label="£",
        value_format="£{:,.0f}",
    )
    return SectionContent(
        template="costing/_report_finance.html",
        context={"partner": partner, "rows": rows, "budget_share_figure": named_figure("budget_share")},
        charts=[chart],
    )
