"""Pieces every costing model shares: financial months and the scoping rule for service-level rows."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q

from onesource.core.models import ServiceCoverage
from onesource.core.models.partnership import PartnerKind
from onesource.core.periods import financial_year_label

# Financial months: 1 is April, 12 is March (the local-government year runs April to March).
MONTH_NAMES = [
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "January",
    "February",
    "March",
]
MONTH_CHOICES = [(i, f"{i:02d} {name}") for i, name in enumerate(MONTH_NAMES, start=1)]


year_label = financial_year_label  # the name costing has always used


def month_label(month: int | None) -> str:
    return "Whole year" if month is None else MONTH_NAMES[month - 1]


def received_by_q(partner_ids: Iterable[int], service_field: str = "service") -> Q:
    """Rows about a service that one of these partners receives (or received) at some time as a member.

    External customers buy traded services under contract: the partnership's shared budgets and
    agreements are not theirs to see."""
    ids = list(partner_ids)
    coverage = ServiceCoverage.objects.filter(
        service=OuterRef(service_field), partner_id__in=ids, partner__kind=PartnerKind.MEMBER
    )
    return Q(Exists(coverage))
