"""Cost drivers the workforce offers the costing app (through core.drivers)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from onesource.core.drivers import register_driver
from onesource.core.models import Partner, Service
from onesource.workforce.figures import WorkforceFigures

PLACES = Decimal("0.0001")


def _average_served(
    figures: WorkforceFigures, start: dt.date, end: dt.date, measure: str
) -> dict[int, Decimal]:
    """Each partner's (value at start + value at end) / 2 of `measure`, weighted by time splits."""
    at_start = figures.partner_served(start)
    at_end = figures.partner_served(end)
    ids = dict(Partner.objects.dangerously_unscoped().values_list("code", "pk"))
    result: dict[int, Decimal] = {}
    for code in sorted(set(at_start) | set(at_end)):
        total = at_start.get(code, {}).get(measure, Decimal(0)) + at_end.get(code, {}).get(
            measure, Decimal(0)
        )
        value = (total / 2).quantize(PLACES, rounding=ROUND_HALF_UP)
        if value:
            result[ids[code]] = value
    return result


@register_driver("headcount", label="Headcount served", unit="people")
def headcount_served(service: Service, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    """Average headcount of the WHOLE shared-service workforce working for each partner.

    The service is ignored on purpose: a support service such as HR serves every member of staff,
    so its cost follows the headcount each partner is served by. People count by time split
    (60/40 counts 0.6 and 0.4); the average is (headcount at start + at end) / 2.
    """
    return _average_served(WorkforceFigures(), start, end, "headcount")


@register_driver("time_allocation", label="Time allocation", unit="FTE")
def time_allocation(service: Service, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    """FTE of the staff in the service's posts, split between partners by time splits, averaged
    over the period as (FTE at start + FTE at end) / 2."""
    return _average_served(WorkforceFigures(service=service), start, end, "fte")
