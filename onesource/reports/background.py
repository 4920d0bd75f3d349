"""The committee report's first section, "background": the partnership, the partner's membership,
the services it received by area in the period and, where an app offers them, the named figures
headcount and FTE served (core.figures) on the period's last day.

It reads only core data and core registries. The list of member councils and traded-service customers
is the partnership's public make-up (the seed presentation names them), so it is read unscoped; no
other partner's figures are shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from onesource.core.figures import FIGURES
from onesource.core.models import Membership, Partner, ServiceCoverage
from onesource.core.models.partnership import PartnerKind
from onesource.core.periods import overlapping_q
from onesource.core.reporting import SectionContent, register_report_section

STAFF_FIGURES = ("headcount", "fte_served")


def staff_figures(partner: Partner, start: dt.date, end: dt.date, user: Any) -> list[dict[str, Any]]:
    """Headcount and FTE served for the partner on the period's last day, from the named figures
    the workforce registers (none when no app offers them or nobody works for the partner)."""
    rows = []
    for key in STAFF_FIGURES:
        if key not in FIGURES:
            continue
        figure = FIGURES[key]
        value = figure.value(partner, start, end, user)
        if value:
            rows.append({"figure": figure, "value": value})
    return rows


@register_report_section("background", title="Background and context", order=10)
def background_section(partner: Partner, start: dt.date, end: dt.date, user: Any) -> SectionContent | None:
    in_period = overlapping_q(start, end, start_field="joined_on", end_field="left_on")
    memberships = (
        Membership.objects.dangerously_unscoped()
        .filter(in_period)
        .select_related("partner")
        .order_by("partner__kind", "joined_on", "partner__name")
    )
    members = [m for m in memberships if m.partner.kind == PartnerKind.MEMBER]
    customers = [m for m in memberships if m.partner.kind == PartnerKind.CUSTOMER]
    coverage = list(
        ServiceCoverage.objects.restrict(user, "view_reports")
        .filter(partner=partner)
        .filter(overlapping_q(start, end, start_field="starts_on", end_field="ends_on"))
        .select_related("service__area")
        .order_by("service__area__name", "service__name")
    )
    by_area: dict[str, list[ServiceCoverage]] = defaultdict(list)
    for row in coverage:
        by_area[row.service.area.name].append(row)
    services = list({row.service_id: row.service for row in coverage}.values())
    staff = staff_figures(partner, start, end, user)
    own = [m for m in Membership.objects.restrict(user, "view_reports").filter(partner=partner)]
    return SectionContent(
        template="reports/section_background.html",
        context={
            "own_memberships": own,
            "members": members,
            "customers": customers,
            "by_area": sorted(by_area.items()),
            "service_count": len(services),
            "area_count": len(by_area),
            "staff": staff,
            "staff_figures": [row["figure"] for row in staff],
            "first_joined": min((m.joined_on for m in own), default=None),
        },
    )
