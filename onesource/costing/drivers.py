"""The cost drivers whose figures the costing app holds itself, offered through the core registry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, Sum

from onesource.core.drivers import register_driver
from onesource.core.models import FinancialYear, Service
from onesource.core.versions import track_data_version
from onesource.costing.models import Agreement, AgreementShare, DriverKind, DriverQuantity, TimeEntry

# The agreements and the driver figures costing holds: what its cost shares are worked out from.
DATA_SET = "costing"
track_data_version(DATA_SET, Agreement, AgreementShare, DriverQuantity, TimeEntry)


def financial_month(day: dt.date) -> int:
    """1 for April … 12 for March."""
    return (day.month - 4) % 12 + 1


def periods_q(start: dt.date, end: dt.date) -> Q:
    """Driver rows (year, month or whole year) inside [start, end]. A whole-year row counts when its
    year's months are all inside, or when the range lies within that one year (it is the best figure)."""
    q = Q(pk__in=[])
    first_year, last_year = FinancialYear.start_year_for(start), FinancialYear.start_year_for(end)
    for year in range(first_year, last_year + 1):
        first = financial_month(start) if year == first_year else 1
        last = financial_month(end) if year == last_year else 12
        q |= Q(year=year, month__gte=first, month__lte=last) | Q(year=year, month__isnull=True)
    return q


def _exact(total: Decimal) -> Decimal:
    # SQLite sums decimals in floating point; the figures have at most two decimal places.
    return Decimal(total).quantize(Decimal("0.01"))


def _counts(kind: str, service: Service, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    rows = (
        DriverQuantity.objects.dangerously_unscoped()
        .filter(periods_q(start, end), kind=kind, service=service)
        .values("partner_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["partner_id"]: _exact(row["total"]) for row in rows if row["total"]}


@register_driver("caseload", label="Caseload counts", unit="cases", data_sets=(DATA_SET,))
def caseload(service: Service, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    return _counts(DriverKind.CASELOAD, service, start, end)


@register_driver("transactions", label="Transactions", unit="transactions", data_sets=(DATA_SET,))
def transactions(service: Service, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    return _counts(DriverKind.TRANSACTIONS, service, start, end)


@register_driver("time_recorded", label="Time recorded", unit="hours", data_sets=(DATA_SET,))
def time_recorded(service: Service, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    # One grouped query per service, answered from the covering (service, date, partner, hours) index
    # without reading the table. (One query grouping every service at once was slower on SQLite: it
    # sorts every entry of the year for the GROUP BY, where this reads one service's range in order.)
    rows = (
        TimeEntry.objects.dangerously_unscoped()
        .filter(service=service, date__gte=start, date__lte=end)
        .values("partner_id")
        .annotate(total=Sum("hours"))
    )
    return {row["partner_id"]: _exact(row["total"]) for row in rows if row["total"]}
