"""Each partner's Local Government Transparency Code 2015 files, quarterly, from the shared register.

- spend: every item of expenditure over £500 (paragraph 28): date, department, beneficiary, purpose,
  amount, irrecoverable VAT and merchant category;
- card: every procurement card transaction (paragraph 29), whatever its amount;
- contracts: every contract over £5,000 the council holds or uses (paragraph 35): reference, title,
  department, description, supplier and its registration, value, irrecoverable VAT, start, end and
  review dates, how it was procured, and whether the supplier is an SME or VCSE;
- tenders: every invitation to tender over £5,000 (paragraph 34).
A partner sees and publishes only its own: the files are read through `restrict(user)`. Personal data
is redacted: a private individual or a name the council's file redacted is written "Redacted personal data".
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from onesource.core.csvio import csv_writer
from onesource.core.models import Partner
from onesource.procurement.models import Contract, ContractStatus, Payment
from onesource.procurement.register import partner_values
from onesource.procurement.spend import REDACTED_NAME

SPEND_THRESHOLD = Decimal("500")
CONTRACT_THRESHOLD = Decimal("5000")
DATASETS = {
    "spend": "Spending over £500",
    "card": "Procurement card transactions",
    "contracts": "Contracts over £5,000",
    "tenders": "Invitations to tender over £5,000",
}
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class Quarter:
    """A quarter of a financial year: 2025-Q1 is April to June 2025, 2025-Q4 is January to March 2026."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text.strip().upper())
        if not match or not 1900 <= int(match[1]) <= 2190:
            raise ValueError(f"{text!r} is not a quarter like 2025-Q1 (April to June 2025).")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        year = day.year if day.month >= 4 else day.year - 1
        return cls(year, (day.month - 4) % 12 // 3 + 1)

    @property
    def starts_on(self) -> dt.date:
        month = 4 + 3 * (self.number - 1)
        return dt.date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def ends_on(self) -> dt.date:
        return self.next().starts_on - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"{self.starts_on:%B %Y} to {self.ends_on:%B %Y}"


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _beneficiary(payment: Payment) -> str:
    return REDACTED_NAME if payment.is_personal else payment.beneficiary


def spend_rows(partner: Partner, payments: Iterable[Payment]) -> tuple[list[str], list[list[Any]]]:
    header = [
        "Organisation name",
        "Organisation code",
        "Date",
        "Department",
        "Beneficiary",
        "Purpose",
        "Amount",
        "Irrecoverable VAT",
        "Merchant category",
        "Transaction number",
    ]
    rows = [
        [
            partner.name,
            partner.gss_code,
            p.paid_on.strftime("%d/%m/%Y"),
            p.department,
            _beneficiary(p),
            p.purpose or p.expense_type,
            _money(p.amount),
            _money(p.irrecoverable_vat),
            p.merchant_category or p.category,
            p.transaction_number,
        ]
        for p in payments
    ]
    return header, rows


def contract_rows(partner: Partner, contracts: Iterable[Contract]) -> tuple[list[str], list[list[Any]]]:
    header = [
        "Organisation name",
        "Reference",
        "Title",
        "Department",
        "Description",
        "Supplier",
        "Supplier registration",
        "Lead council",
        "Value",
        "Value to this council",
        "Irrecoverable VAT",
        "Start date",
        "End date",
        "Review date",
        "Procedure",
        "SME",
        "VCSE",
    ]
    rows = []
    for c in contracts:
        supplier = c.supplier
        rows.append(
            [
                partner.name,
                c.reference,
                c.title,
                c.department,
                c.description,
                supplier.name if supplier else "",
                supplier.registration if supplier else "",
                c.lead_partner.name,
                _money(c.value),
                _money(partner_values(c).get(partner.pk, Decimal("0"))),
                _money(c.vat),
                c.starts_on.strftime("%d/%m/%Y"),
                c.ends_on.strftime("%d/%m/%Y"),
                c.review_on.strftime("%d/%m/%Y") if c.review_on else "",
                c.get_procedure_display(),
                "Yes" if supplier and supplier.is_sme else "No",
                "Yes" if supplier and supplier.is_vcse else "No",
            ]
        )
    return header, rows


def tender_rows(partner: Partner, contracts: Iterable[Contract]) -> tuple[list[str], list[list[Any]]]:
    header = [
        "Organisation name",
        "Reference",
        "Title",
        "Department",
        "Description",
        "CPV codes",
        "Estimated value",
        "Procedure",
        "Closing date",
        "Expected start date",
        "Expected end date",
    ]
    rows = [
        [
            partner.name,
            c.reference,
            c.title,
            c.department,
            c.description,
            "; ".join(c.cpv_list),
            _money(c.value),
            c.get_procedure_display(),
            c.tender_closes_on.strftime("%d/%m/%Y") if c.tender_closes_on else "",
            c.starts_on.strftime("%d/%m/%Y"),
            c.ends_on.strftime("%d/%m/%Y"),
        ]
        for c in contracts
    ]
    return header, rows


def build_dataset(
    dataset: str, user: Any, partner: Partner, quarter: Quarter
) -> tuple[list[str], list[list[Any]]]:
    """The dataset's header and rows for one partner and quarter, read as `user` may see them."""
    if dataset not in DATASETS:
        raise ValueError(f"No dataset {dataset!r}: choose one of {', '.join(DATASETS)}.")
    start, end = quarter.starts_on, quarter.ends_on
    if dataset in {"spend", "card"}:
        payments = Payment.objects.restrict(user).filter(partner=partner, paid_on__range=(start, end))
        if dataset == "spend":
            payments = payments.filter(
                Q(amount__gt=SPEND_THRESHOLD) | Q(amount__lt=-SPEND_THRESHOLD), is_card=False
            )
        else:
            payments = payments.filter(is_card=True)
        return spend_rows(partner, payments.order_by("paid_on", "pk").iterator(chunk_size=5000))
    contracts = (
        Contract.objects.restrict(user)
        .filter(Q(lead_partner=partner) | Q(shares__partner=partner))
        .filter(value__gt=CONTRACT_THRESHOLD)
        .select_related("supplier", "lead_partner")
        .prefetch_related("shares")
        .distinct()
        .order_by("reference")
    )
    if dataset == "tenders":
        # Invitations open at some point in the quarter.
        tenders = contracts.filter(status=ContractStatus.TENDER).filter(
            Q(tender_closes_on__isnull=True) | Q(tender_closes_on__gte=start)
        )
        return tender_rows(partner, tenders)
    running = contracts.exclude(status__in=[ContractStatus.PLANNED, ContractStatus.TENDER]).filter(
        starts_on__lte=end, ends_on__gte=start
    )
    return contract_rows(partner, running)


def dataset_csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def filename(dataset: str, partner: Partner, quarter: Quarter) -> str:
    return f"{partner.code.lower()}-{dataset}-{quarter.code.lower()}.csv"
