"""The workforce's named figures (core.figures): headcount, FTE, FTE served and working days lost per
FTE, each computed by `WorkforceFigures` exactly as the workforce dashboard computes it.

Figures for a partner count the people employed by it or working for it under a time split, as the
dashboard's partner filter does. They are totals only: no health detail leaves through them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from onesource.core.figures import register_figure
from onesource.core.models import Partner
from onesource.workforce.figures import WorkforceFigures

HEADCOUNT_DEFINITION = (
    "People employed on the last day of the period by the partner or working for it under a time "
    "split. Each person counts once, whatever their time split or number of posts."
)
FTE_DEFINITION = (
    "Full-time equivalent on the last day of the period: the sum of the FTE of the posts held by the "
    "people in the headcount (a full-time post is 1, a three-day week 0.6)."
)
FTE_SERVED_DEFINITION = (
    "FTE on the last day of the period weighted by each person's time split: 0.8 FTE split 60/40 "
    "between two partners counts 0.48 for one and 0.32 for the other; someone with no time split works "
    "wholly for their employer. It measures staff time, not a number of people."
)
DAYS_LOST_DEFINITION = (
    "Working days lost to sickness in the period divided by the average FTE, where average FTE = "
    "(FTE on the first day + FTE on the last day) / 2 (LG Inform metric 3524). An absence crossing the "
    "start or end of the period counts pro rata by its working days inside it (weekdays less bank "
    "holidays and the employing council's closure days)."
)


def _figures(partner: Partner | None, user: Any) -> WorkforceFigures:
    return WorkforceFigures(user, partner=partner)


@register_figure("headcount", label="Headcount", unit="people", definition=HEADCOUNT_DEFINITION)
def headcount(partner: Partner | None, start: dt.date, end: dt.date, user: Any = None) -> Decimal | None:
    return Decimal(_figures(partner, user).employed_on(end).count())


@register_figure("fte", label="FTE", unit="FTE", definition=FTE_DEFINITION)
def fte(partner: Partner | None, start: dt.date, end: dt.date, user: Any = None) -> Decimal | None:
    return _figures(partner, user).fte_on(end)


@register_figure("fte_served", label="FTE served", unit="FTE", definition=FTE_SERVED_DEFINITION)
def fte_served(partner: Partner | None, start: dt.date, end: dt.date, user: Any = None) -> Decimal | None:
    """The partner's time-split-weighted FTE; for the whole service, every partner's together."""
    served = WorkforceFigures(user).partner_served(end)
    if partner is None:
        return sum((row["fte"] for row in served.values()), Decimal(0))
    return served.get(partner.code, {}).get("fte", Decimal(0))


@register_figure(
    "days_lost_per_fte",
    label="Working days lost to sickness per FTE",
    unit="days per FTE",
    definition=DAYS_LOST_DEFINITION,
)
def days_lost_per_fte(
    partner: Partner | None, start: dt.date, end: dt.date, user: Any = None
) -> Decimal | None:
    return _figures(partner, user).days_lost_per_fte(start, end)
