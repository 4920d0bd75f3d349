"""Joint procurement opportunities: suppliers and categories that two or more partners pay.

For each supplier (and each ProClass category) paid by at least two of the partners a person may see,
over the last 12 months: each partner's spend, the contracts each holds with the supplier and when they
end, and the combined spend not yet under a joint contract (a contract with the supplier used by two or
more partners). Ranked by that uncovered spend, largest first: the best candidates to buy together.

Every partner sees the opportunities it takes part in, with the other partners' spend beside its own:
that is the point of the page, and the figures are what each council publishes anyway (spend over £500
and contracts over £5,000 under the Transparency Code). Only totals by supplier or category are shown,
never a payment, and payments to private individuals or redacted names are left out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum

from onesource.core.models import Partner
from onesource.procurement.models import Contract, Payment

PENNY = Decimal("0.01")
ZERO = Decimal("0")


@dataclass
class PartnerSpend:
    partner: Partner
    spend: Decimal
    contracts: list[Contract] = field(default_factory=list)
    under_joint: bool = False


@dataclass
class Opportunity:
    kind: str  # "supplier" or "category"
    name: str
    supplier_id: int | None
    partners: list[PartnerSpend]

    @property
    def combined(self) -> Decimal:
        return sum((p.spend for p in self.partners), ZERO)

    @property
    def uncovered(self) -> Decimal:
        """Spend not yet under a joint contract with this supplier."""
        return sum((p.spend for p in self.partners if not p.under_joint), ZERO)

    @property
    def next_end(self) -> dt.date | None:
        ends = [c.ends_on for p in self.partners for c in p.contracts]
        return min(ends) if ends else None


def opportunities(
    user: Any, today: dt.date, *, kind: str = "supplier", months: int = 12, limit: int = 100
) -> list[Opportunity]:
    """The opportunities that a partner `user` may see takes part in, ranked by uncovered combined spend."""
    from onesource.core.scoping import scope_for

    visible = scope_for(user).partners_with("view")
    if visible is not None and not visible:
        return []
    since = today - dt.timedelta(days=round(months * 365.25 / 12))
    # Published totals across every partner (see the module's docstring), not one payment of another's.
    payments = Payment.objects.dangerously_unscoped().filter(
        paid_on__gt=since, paid_on__lte=today, is_personal=False
    )
    group = "supplier_id" if kind == "supplier" else "category"
    unknown = Q(supplier__isnull=True) if kind == "supplier" else Q(category="")
    rows = payments.exclude(unknown).values(group, "partner_id").annotate(total=Sum("amount")).order_by()
    by_key: dict[Any, dict[int, Decimal]] = defaultdict(dict)
    for row in rows:
        by_key[row[group]][row["partner_id"]] = Decimal(row["total"]).quantize(PENNY)
    shared = {
        key: spend
        for key, spend in by_key.items()
        if len(spend) >= 2 and (visible is None or visible & set(spend))
    }
    if not shared:
        return []
    partners = Partner.objects.in_bulk({pid for spend in shared.values() for pid in spend})
    contracts_by: dict[tuple[Any, int], list[Contract]] = defaultdict(list)
    joint_by: dict[tuple[Any, int], bool] = defaultdict(bool)
    contracts = (
        Contract.objects.dangerously_unscoped()
        .filter(ends_on__gte=today)
        .exclude(status__in=["ended", "terminated"])
        .prefetch_related("shares")
        .select_related("supplier")
    )
    if kind == "supplier":
        contracts = contracts.filter(supplier_id__in=list(shared))
    else:
        contracts = contracts.filter(category__in=list(shared))
    for contract in contracts:
        key = contract.supplier_id if kind == "supplier" else contract.category
        users = {s.partner_id for s in contract.shares.all()} | {contract.lead_partner_id}
        for partner_id in users:
            contracts_by[(key, partner_id)].append(contract)
            if len(users) >= 2:
                joint_by[(key, partner_id)] = True
    names: dict[Any, str] = {}
    if kind == "supplier":
        from onesource.procurement.models import Supplier

        names = dict(Supplier.objects.filter(pk__in=list(shared)).values_list("pk", "name"))
    found = []
    for key, spend in shared.items():
        found.append(
            Opportunity(
                kind=kind,
                name=names.get(key, "") if kind == "supplier" else str(key),
                supplier_id=key if kind == "supplier" else None,
                partners=[
                    PartnerSpend(
                        partner=partners[pid],
                        spend=amount,
                        contracts=sorted(contracts_by.get((key, pid), []), key=lambda c: c.ends_on),
                        under_joint=joint_by.get((key, pid), False),
                    )
                    for pid, amount in sorted(spend.items(), key=lambda item: partners[item[0]].name)
                ],
            )
        )
    found.sort(key=lambda o: (-o.uncovered, -o.combined, o.name))
    return found[:limit]


CSV_HEADER = [
    "kind",
    "name",
    "partner_code",
    "partner",
    "spend_last_12_months",
    "under_joint_contract",
    "contracts",
    "contract_end_dates",
    "combined_spend",
    "combined_spend_not_under_joint_contract",
]


def csv_rows(found: list[Opportunity]) -> list[list[Any]]:
    """One row per opportunity and partner."""
    out: list[list[Any]] = []
    for o in found:
        for p in o.partners:
            out.append(
                [
                    o.kind,
                    o.name,
                    p.partner.code,
                    p.partner.name,
                    f"{p.spend:.2f}",
                    "yes" if p.under_joint else "no",
                    "; ".join(c.reference for c in p.contracts),
                    "; ".join(c.ends_on.isoformat() for c in p.contracts),
                    f"{o.combined:.2f}",
                    f"{o.uncovered:.2f}",
                ]
            )
    return out
