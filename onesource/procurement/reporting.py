"""The procurement section of the committee report: joint procurement opportunities for the partner."""

from __future__ import annotations

import datetime as dt
from typing import Any

from onesource.core.models import Partner
from onesource.core.reporting import SectionContent, register_report_section
from onesource.procurement.joint import opportunities

TOP = 10


@register_report_section("procurement", title="Procurement: buying together", order=55)
def procurement_section(
    partner: Partner, start: dt.date, end: dt.date, user: Any = None
) -> SectionContent | None:
    """The suppliers the partner pays that other partners pay too, in the 12 months to the period's end.

    None when the partner shares no supplier with another partner."""
    found = [o for o in opportunities(user, end) if any(p.partner.pk == partner.pk for p in o.partners)][:TOP]
    if not found:
        return None
    rows = []
    for o in found:
        own = next(p for p in o.partners if p.partner.pk == partner.pk)
        others = [p for p in o.partners if p.partner.pk != partner.pk]
        rows.append({"opportunity": o, "own": own, "others": others})
    return SectionContent(
        template="procurement/report_section.html", context={"partner": partner, "end": end, "rows": rows}
    )
