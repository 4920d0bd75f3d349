"""The contract register's figures: what expires when, by category, partner and supplier, and the
Procurement Act 2023 deadlines of each contract with the overdue ones flagged.

Deadlines (Procurement Act 2023, in force from 24 February 2025):
- contract details notice within 30 days of entering into the contract (s53), for contracts above the
  threshold and, for a local authority, for below-threshold contracts worth £30,000 or more with VAT (s87);
- at least three KPIs for a contract worth more than £5 million (s52), published with the details notice;
- a change notice before a modification of an above-threshold contract takes effect (s75);
- a termination notice within 30 days of an above-threshold contract ending (s80).
The threshold used is the one for goods and services bought by a sub-central authority (£214,904 with
VAT, from 1 January 2024): the register does not yet say which contracts are works.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from onesource.core.money import split_to_penny
from onesource.procurement.models import Contract, ContractStatus

ABOVE_THRESHOLD = Decimal("214904")
BELOW_THRESHOLD_NOTICE = Decimal("30000")
KPI_VALUE = Decimal("5000000")
NOTICE_DAYS = 30
ALERT_DAYS = 90
EXPIRY_BUCKETS = (3, 6, 12, 18)
CLOSED = {ContractStatus.ENDED, ContractStatus.TERMINATED}
ZERO = Decimal("0")


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the month's last day when it has fewer days)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_after(day: dt.date, months: int) -> dt.date:
    return months_before(day, -months)


@dataclass(frozen=True)
class Deadline:
    contract: Contract
    what: str
    due_on: dt.date
    done_on: dt.date | None

    def is_overdue(self, today: dt.date) -> bool:
        return self.done_on is None and today > self.due_on

    def status(self, today: dt.date) -> str:
        if self.done_on:
            return "Published"
        return "Overdue" if self.is_overdue(today) else "Due"


def is_above_threshold(contract: Contract) -> bool:
    return contract.value_with_vat >= ABOVE_THRESHOLD


def deadlines(contract: Contract, today: dt.date) -> list[Deadline]:
    """The contract's Procurement Act notices: due dates, and when each was published."""
    out: list[Deadline] = []
    signed = contract.signed_on
    # The Act applies to contracts entered into from 24 February 2025; older ones follow the old rules.
    if signed is None or signed < dt.date(2025, 2, 24):
        return out
    above = is_above_threshold(contract)
    if above or contract.value_with_vat >= BELOW_THRESHOLD_NOTICE:
        out.append(
            Deadline(
                contract,
                "Contract details notice",
                signed + dt.timedelta(days=NOTICE_DAYS),
                contract.details_notice_on,
            )
        )
    if contract.value_with_vat > KPI_VALUE:
        out.append(
            Deadline(
                contract,
                "Three KPIs published",
                signed + dt.timedelta(days=NOTICE_DAYS),
                contract.details_notice_on if contract.kpi_count >= 3 else None,
            )
        )
    if above:
        for change in contract.changes.all():
            out.append(Deadline(contract, "Change notice", change.effective_on, change.notice_published_on))
        ended = contract.status in CLOSED or contract.ends_on < today
        if ended:
            out.append(
                Deadline(
                    contract,
                    "Termination notice",
                    contract.ends_on + dt.timedelta(days=NOTICE_DAYS),
                    contract.termination_notice_on,
                )
            )
    return out


@dataclass(frozen=True)
class Alert:
    contract: Contract
    what: str
    on: dt.date


def alerts(contracts: Iterable[Contract], today: dt.date, days: int = ALERT_DAYS) -> list[Alert]:
    """Contracts whose decision date (notice before the end) or review date falls in the next `days`;
    a decision date already passed stays an alert until the contract ends."""
    horizon = today + dt.timedelta(days=days)
    out = []
    for contract in contracts:
        if contract.status in CLOSED:
            continue
        notice_on = contract.notice_on()
        if notice_on <= horizon and contract.ends_on >= today:
            out.append(Alert(contract, "Decide whether to extend or re-procure", notice_on))
        if contract.review_on and today <= contract.review_on <= horizon:
            out.append(Alert(contract, "Review", contract.review_on))
    return sorted(out, key=lambda a: (a.on, a.contract.reference))


def partner_values(contract: Contract) -> dict[int, Decimal]:
    """Each partner's share of the contract's value, to the penny (the parts add up to the value)."""
    weights = {s.partner_id: s.percent for s in contract.shares.all()}
    if not weights:
        return {contract.lead_partner_id: contract.value}
    return split_to_penny(contract.value, weights)


@dataclass
class Bucket:
    label: str
    count: int = 0
    value: Decimal = ZERO
    until: dt.date | None = None  # for an expiry bucket: its last day


@dataclass
class RegisterSummary:
    today: dt.date
    count: int
    value: Decimal
    expiring: list[tuple[int, Bucket]]
    by_category: list[Bucket]
    by_partner: list[tuple[int, Bucket]]
    by_supplier: list[Bucket]
    alerts: list[Alert]
    deadlines: list[Deadline]

    @property
    def overdue(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.is_overdue(self.today)]


def summarise(
    contracts: Iterable[Contract],
    today: dt.date,
    *,
    visible_partners: frozenset[int] | None,
    partner_names: dict[int, str],
    top: int = 10,
) -> RegisterSummary:
    """The dashboard's figures over the contracts a person may see (prefetch shares and changes).

    By partner, only the partners the person may see are listed, each with its share of the value."""
    contracts = list(contracts)
    live = [c for c in contracts if c.status not in CLOSED]
    expiring = []
    for months in EXPIRY_BUCKETS:
        horizon = months_after(today, months)
        bucket = Bucket(f"Within {months} months", until=horizon)
        for c in live:
            if today <= c.ends_on <= horizon:
                bucket.count += 1
                bucket.value += c.value
        expiring.append((months, bucket))
    categories: dict[str, Bucket] = {}
    suppliers: dict[str, Bucket] = {}
    partners: dict[int, Bucket] = defaultdict(lambda: Bucket(""))
    for c in live:
        label = c.category or "Not categorised"
        bucket = categories.setdefault(label, Bucket(label))
        bucket.count += 1
        bucket.value += c.value
        name = c.supplier.name if c.supplier else "Not yet awarded"
        sbucket = suppliers.setdefault(name, Bucket(name))
        sbucket.count += 1
        sbucket.value += c.value
        for partner_id, value in partner_values(c).items():
            if visible_partners is None or partner_id in visible_partners:
                partners[partner_id].label = partner_names.get(partner_id, "")
                partners[partner_id].count += 1
                partners[partner_id].value += value
    all_deadlines = [d for c in contracts for d in deadlines(c, today)]
    return RegisterSummary(
        today=today,
        count=len(live),
        value=sum((c.value for c in live), ZERO),
        expiring=expiring,
        by_category=sorted(categories.values(), key=lambda b: (-b.value, b.label)),
        by_partner=sorted(partners.items(), key=lambda item: item[1].label),
        by_supplier=sorted(suppliers.values(), key=lambda b: (-b.value, b.label))[:top],
        alerts=alerts(live, today),
        deadlines=sorted(all_deadlines, key=lambda d: (d.done_on is not None, d.due_on)),
    )
