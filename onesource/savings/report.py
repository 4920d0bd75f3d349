"""The committee report's "savings" section: savings against target, the partner's attributed share, by lever.

The section's template draws its own charts (`{% chart charts.0 %}`, `{% chart charts.1 %}`) from the
`charts` list in its context; `SectionContent.charts` is the same list, for the report to count or
pre-render. Nothing here reads another partner's attribution: figures are the partnership's totals
and this partner's share.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from onesource.core.charts import Chart, Series
from onesource.core.models import FinancialYear, Partner
from onesource.core.reporting import SectionContent, register_report_section
from onesource.savings.attribution import ShareFinder
from onesource.savings.models import BusinessCase, SavingsLine
from onesource.savings.summary import CaseSummary, lines_for, summarise, year_label
from onesource.savings.visibility import sees_whole_figures


def partner_chart(partner: Partner, whole: CaseSummary, share: CaseSummary, *, show_whole: bool) -> Chart:
    """The target to date and the partner's share delivered; the partnership's delivered only for a
    reader who sees whole figures (beside the share it would give the other partners' away)."""
    whole_rows = {year: (to_date, target) for year, _, to_date, target in whole.cumulative}
    share_rows = {year: to_date for year, _, to_date, _ in share.cumulative}
    years = [y for y in whole.years if y in share_rows]
    series = [Series("Partnership target to date (£m)", [whole_rows[y][1] / 1_000_000 for y in years])]
    if show_whole:
        series.append(
            Series("Partnership delivered to date (£m)", [whole_rows[y][0] / 1_000_000 for y in years])
        )
    series.append(
        Series(f"{partner.code} share delivered to date (£m)", [share_rows[y] / 1_000_000 for y in years])
    )
    title = (
        f"Savings delivered to date: the partnership against its target, and {partner.name}'s share"
        if show_whole
        else f"{partner.name}'s share of savings delivered to date, and the partnership's target"
    )
    return Chart(
        title=title,
        labels=[year_label(y) for y in years],
        series=series,
        kind="line",
        y_label="£ million",
        value_format="{:,.2f}",
    )


@register_report_section("savings", title="Savings against target", order=20)
def savings_section(partner: Partner, start: dt.date, end: dt.date, user: Any) -> SectionContent | None:
    case = BusinessCase.objects.restrict(user).first()
    if case is None:
        return None
    lines = lines_for(case, SavingsLine.objects.restrict(user))
    if not lines:
        return None
    last_year = FinancialYear.start_year_for(end)
    first_year = FinancialYear.start_year_for(start)
    only = frozenset({partner.pk})
    finder = ShareFinder()
    whole = summarise(case, lines, visible_partners=only, last_year=last_year, finder=finder)
    share = summarise(
        case, lines, visible_partners=only, only_partner=partner, last_year=last_year, finder=finder
    )
    in_period = summarise(
        case,
        lines,
        visible_partners=only,
        only_partner=partner,
        first_year=first_year,
        last_year=last_year,
        finder=finder,
    )
    show_whole = sees_whole_figures(user)
    charts = [
        partner_chart(partner, whole, share, show_whole=show_whole),
        share.lever_chart(f"{partner.name}'s attributed savings by lever"),
    ]
    period = (
        year_label(first_year)
        if first_year == last_year
        else f"{year_label(first_year)} to {year_label(last_year)}"
    )
    case_end = case.first_year + case.years - 1
    end_of_case = next((row for row in whole.year_rows if row["year"] == case_end), None)
    return SectionContent(
        template="savings/report_section.html",
        context={
            "partner": partner,
            "summary": share,
            "whole": whole,
            "show_whole": show_whole,
            "in_period": in_period,
            "period_label": period,
            "end_of_case": end_of_case if case_end <= last_year else None,
            "last_year_label": year_label(last_year),
            "charts": charts,
        },
        charts=charts,
    )
