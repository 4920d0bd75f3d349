"""Cost drivers the workforce offers the costing app (through core.drivers).

Both drivers read the same thing: on a day, the headcount and FTE each partner is served by, counted by
time splits. That is worked out once per day for the whole workforce and every service together
(`served_on`) and cached under the workforce's data version (core.versions), so a recharge run, the
savings pages and the committee report ask each driver for each service and year without reading the
workforce again; any change to workforce data gives a new version and so a fresh answer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from onesource.core.drivers import register_driver
from onesource.core.models import Partner, Service
from onesource.core.versions import cached_by_version, data_changed, track_data_version
from onesource.workforce.figures import _active, time_splits_on
from onesource.workforce.models import (
    Assignment,
    ContractPeriod,
    Employee,
    FurloughPeriod,
    Post,
    Secondment,
    TimeSplit,
    TimeSplitShare,
)

PLACES = Decimal("0.0001")
TWO_PLACES = Decimal("0.01")
ZERO = Decimal(0)
DATA_SET = "workforce"

track_data_version(
    DATA_SET,
    *(Employee, Post, Assignment, ContractPeriod, TimeSplit, TimeSplitShare, Secondment, FurloughPeriod),
)


def workforce_changed() -> None:
    """For writes that send no signals (bulk_create, queryset.update): the cached drivers are stale."""
    data_changed(DATA_SET)


@dataclass(frozen=True)
class ServedOnDay:
    """Who is served by how much on one day, partners in code order, each figure to two places."""

    headcount: dict[int, Decimal]  # partner id -> people, a person with a time split counted by it
    fte_by_service: dict[int, dict[int, Decimal]]  # service id -> partner id -> FTE in its posts


def _compute_served_on(day: dt.date) -> ServedOnDay:
    """The figures of `WorkforceFigures(service=...).partner_served(day)` for every service at once.

    Four reads of the day's rows (people, assignments, time splits, their shares) and sums of Decimals,
    so each partner's figure is exactly what the per-service computation gives."""
    employed_q = Employee.employed_q(day)
    employer_of: dict[int, int] = dict(
        Employee.objects.filter(employed_q).values_list("pk", "employing_partner_id").order_by()
    )
    employed = Employee.objects.filter(employed_q)
    assignments = (
        Assignment.objects.filter(_active(day), employee__in=employed)
        .values_list("employee_id", "post__service_id", "fte")
        .order_by()
    )
    splits = time_splits_on(day, employed)
    headcount: dict[int, Decimal] = defaultdict(Decimal)
    for employee_id, employer_id in employer_of.items():
        for partner_id, percent in splits.percentages(employee_id, employer_id):
            headcount[partner_id] += percent / 100
    fte: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for employee_id, service_id, post_fte in assignments:
        by_partner = fte[service_id]
        for partner_id, percent in splits.percentages(employee_id, employer_of[employee_id]):
            by_partner[partner_id] += post_fte * percent / 100
    code_of = dict(Partner.objects.dangerously_unscoped().values_list("pk", "code"))

    def rounded(values: dict[int, Decimal]) -> dict[int, Decimal]:
        return {
            pid: values[pid].quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
            for pid in sorted(values, key=lambda pid: code_of.get(pid, ""))
        }

    return ServedOnDay(
        headcount=rounded(headcount), fte_by_service={sid: rounded(v) for sid, v in fte.items()}
    )


def served_on(day: dt.date) -> ServedOnDay:
    """The day's figures, from the cache while the workforce data is unchanged."""
    return cached_by_version(DATA_SET, f"served-on:{day.isoformat()}", lambda: _compute_served_on(day))


def _average(at_start: dict[int, Decimal], at_end: dict[int, Decimal]) -> dict[int, Decimal]:
    """Each partner's (value at start + value at end) / 2, to four places; partners with none left out."""
    result: dict[int, Decimal] = {}
    for partner_id in list(at_start) + [p for p in at_end if p not in at_start]:
        value = ((at_start.get(partner_id, ZERO) + at_end.get(partner_id, ZERO)) / 2).quantize(
            PLACES, rounding=ROUND_HALF_UP
        )
        if value:
            result[partner_id] = value
    return result


@register_driver("headcount", label="Headcount served", unit="people", data_sets=(DATA_SET,))
def headcount_served(service: Service, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    """Average headcount of the WHOLE shared-service workforce working for each partner.

    The service is ignored on purpose: a support service such as HR serves every member of staff,
    so its cost follows the headcount each partner is served by. People count by time split
    (60/40 counts 0.6 and 0.4); the average is (headcount at start + at end) / 2.
    """
    return _average(served_on(start).headcount, served_on(end).headcount)


@register_driver("time_allocation", label="Time allocation", unit="FTE", data_sets=(DATA_SET,))
def time_allocation(service: Service, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    """FTE of the staff in the service's posts, split between partners by time splits, averaged
    over the period as (FTE at start + FTE at end) / 2."""
    return _average(
        served_on(start).fte_by_service.get(service.pk, {}), served_on(end).fte_by_service.get(service.pk, {})
    )
