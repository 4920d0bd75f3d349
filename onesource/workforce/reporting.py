"""The workforce section of the committee report (through core.reporting)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from onesource.core.figures import named_figure
from onesource.core.models import Partner
from onesource.core.periods import financial_year_of
from onesource.core.reporting import SectionContent, register_report_section
from onesource.workforce import charts
from onesource.workforce.figures import WorkforceFigures, month_ends


@register_report_section("workforce", title="Workforce", order=40)
def workforce_section(
    partner: Partner, start: dt.date, end: dt.date, user: Any = None
) -> SectionContent | None:
    """For one partner and period: people employed by or working for it, the trend, sickness, agency.

    None when nobody employed by or working for the partner appears in the period.
    """
    figures = WorkforceFigures(user, partner=partner)
    period = figures.period(start, end)
    if not (period.at_start.headcount or period.at_end.headcount or period.leavers or period.starters):
        return None
    step = 1 if (end - start).days <= 400 else 3
    points = figures.series(month_ends(start, end, step))
    sickness = figures.sickness_by_year(financial_year_of(start), financial_year_of(end))
    agency_change = period.at_end.agency - period.at_start.agency
    interim_change = period.at_end.interim - period.at_start.interim
    served_start = period.at_start.by_partner_served.get(partner.code, {})
    served_end = period.at_end.by_partner_served.get(partner.code, {})
    return SectionContent(
        template="workforce/report_section.html",
        context={
            "partner": partner,
            "period": period,
            "points": points,
            "sickness": sickness,
            "agency_change": agency_change,
            "interim_change": interim_change,
            "agency_reduction": -agency_change,
            "served_fte_start": served_start.get("fte"),
            "served_fte_end": served_end.get("fte"),
            "figure_definitions": [
                named_figure(key) for key in ("headcount", "fte", "fte_served", "days_lost_per_fte")
            ],
        },
        charts=[
            charts.headcount_trend(points, f"Staff employed by or working for {partner.name}"),
            charts.temporary_trend(points),
            charts.sickness_per_fte(sickness),
        ],
    )
