"""This app's sections of the committee report: achievements (order 25) and KPIs with RAG (order 60).

Each section's template draws its own charts from `charts` in its context (the same Chart objects as
`SectionContent.charts`), so the page and the PDF show one chart definition."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Q

from onesource.core.charts import Chart, Series
from onesource.core.models import FinancialYear, Partner
from onesource.core.reporting import SectionContent, register_report_section
from onesource.performance.models import Achievement, AchievementKind, AwardOutcome
from onesource.performance.scorecard import rag_by_quarter_chart, rag_counts, scorecard


def _for_partner(partner: Partner) -> Q:
    return Q(partner__isnull=True) | Q(partner=partner)


@register_report_section("achievements", title="Achievements and contributions", order=25)
def achievements_section(partner: Partner, start: dt.date, end: dt.date, user: Any) -> SectionContent | None:
    visible = (
        Achievement.objects.restrict(user).filter(_for_partner(partner)).select_related("service", "partner")
    )
    to_date = list(visible.filter(achieved_on__lte=end))
    if not to_date:
        return None
    in_period = [a for a in to_date if a.achieved_on >= start]
    awards = [a for a in to_date if a.kind == AchievementKind.AWARD]
    won = [a for a in awards if a.outcome == AwardOutcome.WON]
    new_business = [a for a in to_date if a.kind == AchievementKind.NEW_BUSINESS]
    customers = sorted({a.organisation for a in new_business if a.organisation})
    by_year: dict[int, Counter] = {}
    for award in awards:
        year = FinancialYear.start_year_for(award.achieved_on)
        by_year.setdefault(year, Counter())[award.outcome] += 1
    years = sorted(by_year)
    chart = Chart(
        title="Industry awards: shortlisted and won, by financial year",
        labels=[FinancialYear(start_year=y).label for y in years],
        series=[
            Series("Shortlisted, not won", [by_year[y].get(AwardOutcome.SHORTLISTED, 0) for y in years]),
            Series("Won", [by_year[y].get(AwardOutcome.WON, 0) for y in years]),
        ],
        kind="stacked_bar",
        y_label="Awards",
        height_inches=2.6,
    )
    first = min(a.achieved_on for a in to_date)
    return SectionContent(
        template="performance/report_achievements.html",
        context={
            "since": first,
            "awards_shortlisted": len(awards),
            "awards_won": len(won),
            "accreditations": sorted(
                (a for a in to_date if a.kind == AchievementKind.ACCREDITATION), key=lambda a: a.achieved_on
            ),
            "new_business_count": len(new_business),
            "new_business_value": sum((a.value or Decimal(0) for a in new_business), Decimal(0)),
            "customers": customers,
            "in_period": sorted(in_period, key=lambda a: a.achieved_on),
            "won_in_period": [a for a in in_period if a.outcome == AwardOutcome.WON],
            "charts": [chart] if years else [],
        },
        charts=[chart] if years else [],
    )


@register_report_section("kpis", title="Performance: KPIs with RAG", order=60)
def kpis_section(partner: Partner, start: dt.date, end: dt.date, user: Any) -> SectionContent | None:
    rows = [row for row in scorecard(partner, start, end, user) if row.result]
    if not rows:
        return None
    charts = [rag_by_quarter_chart(partner, start, end, user)]
    return SectionContent(
        template="performance/report_kpis.html",
        context={
            "rows": rows,
            "counts": rag_counts(rows),
            "scorecard_caption": f"Each KPI's latest result between {start:%B %Y} and {end:%B %Y}",
            "charts": charts,
        },
        charts=charts,
    )
