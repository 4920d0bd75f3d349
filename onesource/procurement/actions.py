"""Every change to procurement data. Pages, the API, the CLI and jobs all call these.

Bad input raises `ValidationError` keyed by field and changes nothing (each action is one transaction).
Whether the acting user may change a partner's contracts is checked by the caller (the page or the
API), which finds the objects through `restrict(user, MANAGE_PROCUREMENT)`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from onesource.core.audit import action, apply_changes, record_event
from onesource.core.models import Partner
from onesource.procurement.models import (
    Contract,
    ContractChange,
    ContractShare,
    ExpenseTypeCategory,
    OutstandingInvoice,
    Payment,
    Supplier,
    SupplierAlias,
    SupplierDistinction,
)
from onesource.procurement.normalise import supplier_key

SUPPLIER_FIELDS = {"name", "companies_house_number", "charity_number", "vat_number", "is_sme", "is_vcse"}
CONTRACT_FIELDS = {
    "reference",
    "title",
    "description",
    "lead_partner",
    "supplier",
    "department",
    "category",
    "cpv_codes",
    "owner",
    "value",
    "vat",
    "procedure",
    "status",
    "signed_on",
    "starts_on",
    "ends_on",
    "review_on",
    "extension_ends_on",
    "notice_months",
    "tender_closes_on",
    "kpi_count",
    "details_notice_on",
    "termination_notice_on",
    "ocid",
}
HUNDRED = Decimal("100")


def _save(instance: models.Model) -> None:
    instance.full_clean()
    instance.save()


# Suppliers


def _clean_identifiers(supplier: Supplier) -> None:
    supplier.name = " ".join(supplier.name.split())
    supplier.companies_house_number = supplier.companies_house_number.strip().upper()
    supplier.vat_number = supplier.vat_number.replace(" ", "").upper()
    supplier.charity_number = supplier.charity_number.strip()
    supplier.key = supplier_key(supplier.name)


@action
def create_supplier(*, acting_user: Any, **fields: Any) -> Supplier:
    supplier = Supplier()
    apply_changes(supplier, fields, SUPPLIER_FIELDS)
    _clean_identifiers(supplier)
    _save(supplier)
    return supplier


@action
def update_supplier(supplier: Supplier, *, acting_user: Any, **changes: Any) -> Supplier:
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    apply_changes(supplier, changes, SUPPLIER_FIELDS)
    _clean_identifiers(supplier)
    _save(supplier)
    return supplier


@action
def add_supplier_alias(supplier: Supplier, *, name: str, acting_user: Any) -> SupplierAlias:
    name = " ".join(name.split())
    if name.upper() == supplier.name.upper() or supplier.aliases.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"{supplier.name} is already known as {name!r}."})
    alias = SupplierAlias(supplier=supplier, name=name, key=supplier_key(name))
    _save(alias)
    return alias


@action
def merge_suppliers(keep: Supplier, other: Supplier, *, acting_user: Any) -> Supplier:
    """Make `other` a spelling of `keep`: its names become aliases, its payments and contracts move over."""
    if keep.pk == other.pk:
        raise ValidationError({"other": "Choose two different suppliers to merge."})
    keep = Supplier.objects.select_for_update().get(pk=keep.pk)
    other = Supplier.objects.select_for_update().get(pk=other.pk)
    names = [other.name, *other.aliases.values_list("name", flat=True)]
    existing = {keep.name.upper(), *(n.upper() for n in keep.aliases.values_list("name", flat=True))}
    for name in names:
        if name.upper() not in existing:
            SupplierAlias.objects.create(supplier=keep, name=name, key=supplier_key(name))
            existing.add(name.upper())
    for field in ("companies_house_number", "charity_number", "vat_number"):
        if not getattr(keep, field) and getattr(other, field):
            setattr(keep, field, getattr(other, field))
    keep.is_sme = keep.is_sme or other.is_sme
    keep.is_vcse = keep.is_vcse or other.is_vcse
    _save(keep)
    moved_payments = Payment.objects.filter(supplier=other).update(supplier=keep)
    moved_contracts = Contract.objects.filter(supplier=other).update(supplier=keep)
    OutstandingInvoice.objects.filter(supplier=other).update(supplier=keep)
    record_event(
        "procurement.suppliers_merged",
        keep,
        acting_user=acting_user,
        data={"merged": other.name, "payments": moved_payments, "contracts": moved_contracts},
    )
    other.delete()
    return keep


@action
def mark_distinct(first: Supplier, second: Supplier, *, acting_user: Any) -> SupplierDistinction:
    """Record that two suppliers the normaliser suggested are not one, so it stops suggesting them."""
    if first.pk == second.pk:
        raise ValidationError({"second": "Choose two different suppliers."})
    low, high = sorted((first, second), key=lambda s: s.pk)
    distinction, _ = SupplierDistinction.objects.get_or_create(first=low, second=high)
    record_event("procurement.suppliers_distinct", low, acting_user=acting_user, data={"other": high.name})
    return distinction


# Contracts


def _check_shares(percentages: dict[Partner, Decimal], lead: Partner | None) -> dict[Partner, Decimal]:
    cleaned = {partner: Decimal(percent) for partner, percent in percentages.items() if percent is not None}
    negative = sorted(p.code for p, percent in cleaned.items() if percent < 0)
    if negative:
        raise ValidationError({"shares": f"A share cannot be negative ({', '.join(negative)})."})
    cleaned = {p: percent for p, percent in cleaned.items() if percent > 0}
    total = sum(cleaned.values(), Decimal("0"))
    if total != HUNDRED:
        raise ValidationError({"shares": f"The partners' shares add up to {total.normalize():f}%, not 100%."})
    if lead is not None and lead not in cleaned:
        raise ValidationError(
            {"shares": f"The lead council, {lead.code}, must have a share of the contract."}
        )
    return cleaned


def _check_dates(contract: Contract) -> None:
    errors = {}
    if contract.starts_on and contract.ends_on and contract.ends_on < contract.starts_on:
        errors["ends_on"] = "The end date must be on or after the start date."
    if contract.extension_ends_on and contract.ends_on and contract.extension_ends_on < contract.ends_on:
        errors["extension_ends_on"] = "The latest end with extensions must be on or after the end date."
    if contract.signed_on and contract.ends_on and contract.signed_on > contract.ends_on:
        errors["signed_on"] = "The contract must be signed before it ends."
    if errors:
        raise ValidationError(errors)


def _write_shares(contract: Contract, cleaned: dict[Partner, Decimal]) -> list[ContractShare]:
    ContractShare.objects.filter(contract=contract).delete()
    shares = [
        ContractShare(contract=contract, partner=partner, percent=percent)
        for partner, percent in sorted(cleaned.items(), key=lambda item: item[0].code)
    ]
    for share in shares:
        _save(share)
    return shares


@action
def create_contract(
    *, shares: dict[Partner, Decimal] | None = None, acting_user: Any, **fields: Any
) -> Contract:
    """Add a contract to the register; without `shares` the lead council uses all of it."""
    contract = Contract()
    apply_changes(contract, fields, CONTRACT_FIELDS)
    _check_dates(contract)
    lead = fields.get("lead_partner")
    cleaned = _check_shares(shares if shares else ({lead: HUNDRED} if lead else {}), lead)
    _save(contract)
    _write_shares(contract, cleaned)
    record_event(
        "procurement.contract_added",
        contract,
        acting_user=acting_user,
        partner=contract.lead_partner,
        data={"status": contract.status, "shares": {p.code: str(v) for p, v in cleaned.items()}},
    )
    return contract


@action
def update_contract(contract: Contract, *, acting_user: Any, **changes: Any) -> Contract:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    old_status = contract.status
    apply_changes(contract, changes, CONTRACT_FIELDS)
    _check_dates(contract)
    if "lead_partner" in changes and not contract.shares.filter(partner=contract.lead_partner).exists():
        raise ValidationError(
            {"lead_partner": "The new lead council must already have a share of the contract."}
        )
    _save(contract)
    if contract.status != old_status:
        record_event(
            "procurement.contract_status_changed",
            contract,
            acting_user=acting_user,
            partner=contract.lead_partner,
            data={"from": old_status, "to": contract.status},
        )
    return contract


@action
def set_contract_shares(
    contract: Contract, *, percentages: dict[Partner, Decimal], acting_user: Any
) -> list[ContractShare]:
    """Replace the partners' shares of a contract; they add up to exactly 100% and include the lead."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    cleaned = _check_shares(percentages, contract.lead_partner)
    shares = _write_shares(contract, cleaned)
    record_event(
        "procurement.shares_set",
        contract,
        acting_user=acting_user,
        partner=contract.lead_partner,
        data={s.partner.code: str(s.percent) for s in shares},
    )
    return shares


@action
def record_contract_change(
    contract: Contract,
    *,
    effective_on: dt.date,
    description: str,
    value_change: Decimal = Decimal("0"),
    notice_published_on: dt.date | None = None,
    acting_user: Any,
) -> ContractChange:
    """A modification; its value change is added to the contract's value."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    change = ContractChange(
        contract=contract,
        effective_on=effective_on,
        description=description,
        value_change=Decimal(value_change),
        notice_published_on=notice_published_on,
    )
    _save(change)
    if change.value_change:
        contract.value += change.value_change
        if contract.value < 0:
            raise ValidationError({"value_change": "The change would make the contract's value negative."})
        _save(contract)
    record_event(
        "procurement.contract_changed",
        contract,
        acting_user=acting_user,
        partner=contract.lead_partner,
        data={"effective_on": effective_on.isoformat(), "value_change": str(change.value_change)},
    )
    return change


@action
def record_change_notice(
    change: ContractChange, *, published_on: dt.date, acting_user: Any
) -> ContractChange:
    change = ContractChange.objects.select_for_update().get(pk=change.pk)
    change.notice_published_on = published_on
    _save(change)
    return change


# Payment times


@action
def record_outstanding_invoice(
    partner: Partner,
    *,
    number: str,
    received_on: dt.date,
    amount: Decimal,
    supplier: Supplier | None = None,
    acting_user: Any,
) -> OutstandingInvoice:
    invoice = OutstandingInvoice(
        partner=partner, number=number.strip(), received_on=received_on, amount=amount, supplier=supplier
    )
    _save(invoice)
    return invoice


@action
def map_expense_type(
    partner: Partner, *, expense_type: str, category: str, acting_user: Any
) -> ExpenseTypeCategory:
    """Map one of a council's expense types to a ProClass category, and re-categorise its payments."""
    expense_type, category = " ".join(expense_type.split()), " ".join(category.split())
    if not expense_type or not category:
        raise ValidationError({"category": "Give both the expense type and its ProClass category."})
    mapping = ExpenseTypeCategory.objects.filter(partner=partner, expense_type__iexact=expense_type).first()
    mapping = mapping or ExpenseTypeCategory(partner=partner, expense_type=expense_type)
    # Payments whose file gave a ProClass category keep it; those categorised by this mapping follow it.
    previous = {"", mapping.category} if mapping.pk else {""}
    mapping.category = category
    _save(mapping)
    Payment.objects.filter(partner=partner, expense_type__iexact=expense_type, category__in=previous).update(
        category=category
    )
    return mapping
