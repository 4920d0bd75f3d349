"""OCDS 1.1: a partner's contracting processes as a release package, validated offline; and import.

Export. One release per contract the partner leads or uses: the lead council is the buyer, the other
councils using it are payers; tender (the Procurement Act procedure as `procurementMethodDetails`),
award and contract with its period, and the partner's own payments to the supplier during the contract
as `implementation.transactions`. The package is checked against the official 1.1.5 schema shipped in
`ocds_schema/` (jsonschema, with the schema's absolute `$ref`s resolved locally, so no network).

Import. Release packages as Contracts Finder and Find a Tender publish them: releases are grouped by
`ocid` and taken in date order, later releases overriding earlier ones section by section (tender,
awards, contracts), as OCDS merging does. Each process becomes (or updates) a contract led by the
given partner, its supplier found by Companies House number or name, or added.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from onesource.core.models import Partner
from onesource.procurement.models import Contract, ContractStatus, Payment, Procedure, Supplier

SCHEMA_DIR = Path(__file__).parent / "ocds_schema"
SCHEMA_BASE = "https://standard.open-contracting.org/schema/1__1__5/"
OCDS_VERSION = "1.1"

METHODS: dict[str, str] = {
    Procedure.OPEN: "open",
    Procedure.COMPETITIVE_FLEXIBLE: "selective",
    Procedure.DIRECT_AWARD: "direct",
    Procedure.FRAMEWORK_CALL_OFF: "selective",
    Procedure.BELOW_THRESHOLD: "open",
}
CONTRACT_STATUS: dict[str, str] = {
    ContractStatus.PLANNED: "pending",
    ContractStatus.TENDER: "pending",
    ContractStatus.AWARDED: "pending",
    ContractStatus.ACTIVE: "active",
    ContractStatus.ENDED: "terminated",
    ContractStatus.TERMINATED: "terminated",
}


def ocid_prefix() -> str:
    """The publisher's OCID prefix, registered with the Open Contracting Partnership."""
    return getattr(settings, "ONESOURCE_OCID_PREFIX", "ocds-onesrc")


def _when(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _value(amount: Decimal) -> dict[str, Any]:
    # JSON has no decimals; a float's shortest form shows pounds and pence exactly below £10^13.
    return {"amount": float(amount), "currency": "GBP"}


def partner_party_id(partner: Partner) -> str:
    return f"GB-LAC-{partner.gss_code}"


def supplier_party_id(supplier: Supplier) -> str:
    if supplier.companies_house_number:
        return f"GB-COH-{supplier.companies_house_number}"
    return f"{ocid_prefix()}-supplier-{supplier.pk}"


def _partner_party(partner: Partner, roles: list[str]) -> dict[str, Any]:
    return {
        "id": partner_party_id(partner),
        "name": partner.name,
        "identifier": {"scheme": "GB-LAC", "id": partner.gss_code, "legalName": partner.name},
        "roles": roles,
    }


def _supplier_party(supplier: Supplier) -> dict[str, Any]:
    party: dict[str, Any] = {"id": supplier_party_id(supplier), "name": supplier.name, "roles": ["supplier"]}
    if supplier.companies_house_number:
        party["identifier"] = {
            "scheme": "GB-COH",
            "id": supplier.companies_house_number,
            "legalName": supplier.name,
        }
    details = {"scale": "sme" if supplier.is_sme else "large"}
    if supplier.is_vcse:
        details["vcse"] = "yes"
    party["details"] = details
    return party


def ocid_for(contract: Contract) -> str:
    return contract.ocid or f"{ocid_prefix()}-{contract.reference}"


def contract_release(contract: Contract, payments: list[Payment], published: dt.datetime) -> dict[str, Any]:
    ocid = ocid_for(contract)
    lead = contract.lead_partner
    others = sorted(
        {s.partner for s in contract.shares.all() if s.partner_id != lead.pk}, key=lambda p: p.code
    )
    parties = [_partner_party(lead, ["buyer", "procuringEntity"])] + [
        _partner_party(p, ["payer"]) for p in others
    ]
    tender: dict[str, Any] = {
        "id": f"{ocid}-tender",
        "title": contract.title,
        "status": "active" if contract.status == ContractStatus.TENDER else "complete",
        "procurementMethod": METHODS.get(contract.procedure, "open"),
        "procurementMethodDetails": contract.get_procedure_display(),
        "value": _value(contract.value),
        "procuringEntity": {"id": partner_party_id(lead), "name": lead.name},
    }
    if contract.description:
        tender["description"] = contract.description
    if contract.cpv_list:
        tender["items"] = [
            {"id": str(i), "classification": {"scheme": "CPV", "id": code}}
            for i, code in enumerate(contract.cpv_list, start=1)
        ]
    if contract.tender_closes_on:
        tender["tenderPeriod"] = {"endDate": _when(contract.tender_closes_on)}
    release: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{published:%Y%m%dT%H%M%S}",
        "date": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tag": ["tender"],
        "initiationType": "tender",
        "language": "en",
        "buyer": {"id": partner_party_id(lead), "name": lead.name},
        "parties": parties,
        "tender": tender,
    }
    if contract.status == ContractStatus.TENDER or contract.supplier is None:
        return release
    supplier = contract.supplier
    parties.append(_supplier_party(supplier))
    period: dict[str, Any] = {"startDate": _when(contract.starts_on), "endDate": _when(contract.ends_on)}
    if contract.extension_ends_on:
        period["maxExtentDate"] = _when(contract.extension_ends_on)
    award_id = f"{ocid}-award-1"
    award: dict[str, Any] = {
        "id": award_id,
        "status": "active",
        "value": _value(contract.value),
        "suppliers": [{"id": supplier_party_id(supplier), "name": supplier.name}],
        "contractPeriod": period,
    }
    if contract.signed_on:
        award["date"] = _when(contract.signed_on)
    entry: dict[str, Any] = {
        "id": f"{ocid}-contract-1",
        "awardID": award_id,
        "title": contract.title,
        "status": CONTRACT_STATUS.get(contract.status, "active"),
        "value": _value(contract.value),
        "period": period,
    }
    if contract.signed_on:
        entry["dateSigned"] = _when(contract.signed_on)
    if payments:
        entry["implementation"] = {
            "transactions": [
                {
                    "id": f"{p.partner.code}-{p.pk}",
                    "source": "Spend over £500 published by " + p.partner.name,
                    "date": _when(p.paid_on),
                    "value": _value(p.amount),
                    "payer": {"id": partner_party_id(p.partner), "name": p.partner.name},
                    "payee": {"id": supplier_party_id(supplier), "name": supplier.name},
                }
                for p in payments
            ]
        }
    release["tag"] = ["award", "contract"] + (["implementation"] if payments else [])
    release["awards"] = [award]
    release["contracts"] = [entry]
    return release


def payments_by_contract(partner: Partner, contracts: list[Contract]) -> dict[int, list[Payment]]:
    """The partner's payments to each contract's supplier while it ran (the latest-starting contract
    of several with one supplier takes a payment they both cover)."""
    by_supplier: dict[int, list[Contract]] = defaultdict(list)
    for c in contracts:
        if c.supplier_id:
            by_supplier[c.supplier_id].append(c)
    found: dict[int, list[Payment]] = defaultdict(list)
    if not by_supplier:
        return found
    payments = (
        Payment.objects.filter(partner=partner, supplier_id__in=list(by_supplier))
        .select_related("partner")
        .order_by("paid_on", "pk")
    )
    for payment in payments.iterator(chunk_size=5000):
        candidates = [
            c for c in by_supplier[payment.supplier_id] if c.starts_on <= payment.paid_on <= c.ends_on
        ]
        if candidates:
            found[max(candidates, key=lambda c: (c.starts_on, c.pk)).pk].append(payment)
    return found


def release_package(user: Any, partner: Partner) -> dict[str, Any]:
    """The partner's contracting processes (those it leads or uses) as an OCDS 1.1 release package."""
    from django.db.models import Q

    published = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    contracts = list(
        Contract.objects.restrict(user)
        .filter(Q(lead_partner=partner) | Q(shares__partner=partner))
        .distinct()
        .select_related("supplier", "lead_partner")
        .prefetch_related("shares__partner")
        .order_by("reference")
    )
    paid = payments_by_contract(partner, contracts)
    return {
        "uri": f"{getattr(settings, 'ONESOURCE_PUBLIC_URL', 'https://onesource.example')}/api/procurement/ocds?partner={partner.code}",
        "version": OCDS_VERSION,
        "publishedDate": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "publisher": {"name": partner.name, "scheme": "GB-LAC", "uid": partner.gss_code},
        "license": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "releases": [contract_release(c, paid.get(c.pk, []), published) for c in contracts],
    }


# Validation


@cache
def _validator() -> Any:
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    resources = []
    for name in ("release-package-schema.json", "release-schema.json"):
        contents = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
        resources.append((SCHEMA_BASE + name, Resource(contents=contents, specification=DRAFT4)))  # type: ignore[call-arg]
    registry: Registry = Registry().with_resources(resources)
    package_schema = json.loads((SCHEMA_DIR / "release-package-schema.json").read_text(encoding="utf-8"))
    return Draft4Validator(package_schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def validation_errors(package: dict[str, Any], limit: int = 50) -> list[str]:
    """What makes the package invalid against the OCDS 1.1.5 release package schema; empty if valid."""
    errors = sorted(_validator().iter_errors(package), key=lambda e: list(e.absolute_path))
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(package)'}: {e.message}" for e in errors[:limit]
    ]


# Import


class OcdsFileError(Exception):
    """The file is not a release package that can be read; the message says why."""


def _merge(releases: list[dict[str, Any]]) -> dict[str, Any]:
    """Later releases override earlier ones, section by section (a simplified OCDS merge)."""
    merged: dict[str, Any] = {}
    for release in sorted(releases, key=lambda r: str(r.get("date", ""))):
        for key, value in release.items():
            if key == "parties":
                parties = {p.get("id"): p for p in merged.get("parties", [])}
                parties.update({p.get("id"): p for p in value if isinstance(p, dict)})
                merged["parties"] = list(parties.values())
            elif value not in (None, [], {}):
                merged[key] = value
    return merged


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _amount(value: Any) -> Decimal | None:
    if not isinstance(value, dict) or value.get("amount") is None:
        return None
    try:
        return Decimal(str(value["amount"])).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


PROCEDURES = {
    "open": Procedure.OPEN,
    "selective": Procedure.COMPETITIVE_FLEXIBLE,
    "limited": Procedure.DIRECT_AWARD,
    "direct": Procedure.DIRECT_AWARD,
}


@dataclass
class ProcessOutcome:
    ocid: str
    reference: str
    what: str  # created, updated, unchanged or skipped
    message: str = ""


@dataclass
class OcdsOutcome:
    dry_run: bool
    processes: list[ProcessOutcome] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        counts = {
            w: sum(1 for p in self.processes if p.what == w)
            for w in ("created", "updated", "unchanged", "skipped")
        }
        verb = "Checked, nothing changed: would import" if self.dry_run else "Imported"
        return {
            "message": f"{verb} {counts['created']} new and {counts['updated']} changed contracts; "
            f"{counts['skipped']} processes skipped.",
            "dry_run": self.dry_run,
            **counts,
            "processes": [p.__dict__ for p in self.processes],
        }


def read_package(data: bytes) -> list[dict[str, Any]]:
    try:
        package = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OcdsFileError(f"The file is not JSON: {exc}.") from None
    if isinstance(package, dict) and isinstance(package.get("releases"), list):
        return [r for r in package["releases"] if isinstance(r, dict)]
    if isinstance(package, list) and all(isinstance(p, dict) and "releases" in p for p in package):
        return [r for p in package for r in p["releases"] if isinstance(r, dict)]
    if isinstance(package, dict) and "ocid" in package:
        return [package]
    raise OcdsFileError("The file is not an OCDS release package: it has no list of releases.")


def _contract_fields(merged: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Our contract's fields from a compiled process, and its supplier party (or None)."""
    tender = merged.get("tender") or {}
    awards = [a for a in merged.get("awards") or [] if isinstance(a, dict)]
    contracts = [c for c in merged.get("contracts") or [] if isinstance(c, dict)]
    award = next((a for a in awards if a.get("status") == "active"), awards[0] if awards else {})
    contract = contracts[0] if contracts else {}
    period = contract.get("period") or award.get("contractPeriod") or tender.get("contractPeriod") or {}
    value = _amount(contract.get("value")) or _amount(award.get("value")) or _amount(tender.get("value"))
    cpv = [
        str(item["classification"]["id"])
        for item in (tender.get("items") or award.get("items") or [])
        if isinstance(item, dict)
        and isinstance(item.get("classification"), dict)
        and str(item["classification"].get("scheme", "")).upper() == "CPV"
    ]
    status = ContractStatus.TENDER if not awards else ContractStatus.ACTIVE
    if contract.get("status") in {"terminated", "cancelled"}:
        status = ContractStatus.ENDED
    fields = {
        "title": str(
            contract.get("title") or award.get("title") or tender.get("title") or merged.get("ocid")
        )[:300],
        "description": str(contract.get("description") or tender.get("description") or ""),
        "value": value,
        "procedure": PROCEDURES.get(str(tender.get("procurementMethod", "")), Procedure.OPEN),
        "status": status,
        "signed_on": _date(contract.get("dateSigned")),
        "starts_on": _date(period.get("startDate")),
        "ends_on": _date(period.get("endDate")),
        "extension_ends_on": _date(period.get("maxExtentDate")),
        "tender_closes_on": _date((tender.get("tenderPeriod") or {}).get("endDate")),
        "cpv_codes": ", ".join(dict.fromkeys(c for c in cpv if _cpv_ok(c))),
    }
    supplier_ref = next(iter(award.get("suppliers") or []), None)
    supplier = None
    if isinstance(supplier_ref, dict):
        parties = {p.get("id"): p for p in merged.get("parties") or [] if isinstance(p, dict)}
        supplier = parties.get(supplier_ref.get("id")) or supplier_ref
    return fields, supplier


def _cpv_ok(code: str) -> bool:
    from onesource.procurement.models import CPV_CODE

    try:
        CPV_CODE(code)
    except Exception:
        return False
    return True


def _find_supplier(party: dict[str, Any], acting_user: Any, *, create: bool) -> Supplier | None:
    from onesource.procurement import actions
    from onesource.procurement.normalise import same_name

    identifier = party.get("identifier") or {}
    number = ""
    if str(identifier.get("scheme", "")).upper() == "GB-COH":
        # Some publishers write the number as a float ("11111111.0"); it has 8 characters.
        number = str(identifier.get("id", "")).removesuffix(".0").strip().upper().zfill(8)
    if number:
        found = Supplier.objects.filter(companies_house_number=number).first()
        if found:
            return found
    name = " ".join(str(party.get("name") or identifier.get("legalName") or "").split())
    if not name:
        return None
    found = (
        Supplier.objects.filter(name__iexact=name).first()
        or Supplier.objects.filter(aliases__name__iexact=same_name(name)).first()
    )
    if found or not create:
        return found
    valid_number = number if len(number) == 8 and (number.isdigit() or number[:2].isalpha()) else ""
    return actions.create_supplier(
        name=name[:300], companies_house_number=valid_number, acting_user=acting_user
    )


def import_package(data: bytes, *, partner: Partner, acting_user: Any, dry_run: bool = True) -> OcdsOutcome:
    """Read release packages into the register as contracts led by `partner`; all in one transaction."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from onesource.core.audit import record_event
    from onesource.procurement import actions

    releases = read_package(data)
    by_ocid: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for release in releases:
        if release.get("ocid"):
            by_ocid[str(release["ocid"])].append(release)
    if not by_ocid:
        raise OcdsFileError("The package has no releases with an ocid.")
    outcome = OcdsOutcome(dry_run=dry_run)
    with transaction.atomic():
        for ocid, group in sorted(by_ocid.items()):
            merged = _merge(group)
            fields, party = _contract_fields(merged)
            reference = ocid[:60]
            missing = [
                label
                for key, label in (
                    ("value", "a value"),
                    ("starts_on", "a start date"),
                    ("ends_on", "an end date"),
                )
                if not fields[key]
            ]
            if missing:
                outcome.processes.append(
                    ProcessOutcome(ocid, reference, "skipped", f"It has no {', '.join(missing)}.")
                )
                continue
            existing = Contract.objects.filter(ocid=ocid).first()
            if existing is not None and existing.lead_partner_id != partner.pk:
                outcome.processes.append(
                    ProcessOutcome(
                        ocid, existing.reference, "skipped", "Another council leads this contract."
                    )
                )
                continue
            try:
                with transaction.atomic():
                    supplier = _find_supplier(party, acting_user, create=not dry_run) if party else None
                    fields["supplier"] = supplier
                    if existing is None:
                        if not dry_run:
                            actions.create_contract(
                                reference=reference,
                                lead_partner=partner,
                                ocid=ocid,
                                acting_user=acting_user,
                                **fields,
                            )
                        outcome.processes.append(ProcessOutcome(ocid, reference, "created"))
                    else:
                        changes = {
                            k: v
                            for k, v in fields.items()
                            if getattr(existing, k) != v and (v or k == "supplier")
                        }
                        if dry_run and "supplier" in changes and changes["supplier"] is None:
                            changes.pop("supplier")
                        if changes and not dry_run:
                            actions.update_contract(existing, acting_user=acting_user, **changes)
                        outcome.processes.append(
                            ProcessOutcome(ocid, existing.reference, "updated" if changes else "unchanged")
                        )
            except ValidationError as exc:
                outcome.processes.append(ProcessOutcome(ocid, reference, "skipped", " ".join(exc.messages)))
        if not dry_run:
            record_event(
                "procurement.ocds_imported",
                None,
                acting_user=acting_user,
                partner=partner,
                data={"created": outcome.as_dict()["created"], "updated": outcome.as_dict()["updated"]},
            )
        if dry_run:
            transaction.set_rollback(True)
    return outcome
