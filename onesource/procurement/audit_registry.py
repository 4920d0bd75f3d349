"""Procurement models whose every create, update and delete is written to the audit trail.

Payments are not registered one by one: a spend import writes thousands of them at once, and its
`SpendImport` record (audited) and its event say who loaded which file, how many rows and what total."""

from auditlog.registry import auditlog

from onesource.core.audit_display import register_event_kind
from onesource.procurement.models import (
    Contract,
    ContractChange,
    ContractShare,
    ContractStatus,
    OutstandingInvoice,
    SpendImport,
    Supplier,
    SupplierAlias,
)

auditlog.register(Supplier, serialize_data=True, exclude_fields=["key"])
auditlog.register(SupplierAlias, serialize_data=True, exclude_fields=["key"])
auditlog.register(Contract, serialize_data=True)
auditlog.register(ContractShare, serialize_data=True)
auditlog.register(ContractChange, serialize_data=True)
auditlog.register(SpendImport, include_fields=["partner", "filename", "payments", "total"])
auditlog.register(OutstandingInvoice, serialize_data=True)

register_event_kind(
    "procurement.contract_added",
    "Contract added",
    data_labels={"status": "Status", "shares": "Shares (%)"},
    data_choices={"status": ContractStatus.choices},
)
register_event_kind(
    "procurement.contract_status_changed",
    "Contract status changed",
    data_labels={"from": "From", "to": "To"},
    data_choices={"from": ContractStatus.choices, "to": ContractStatus.choices},
)
register_event_kind("procurement.shares_set", "Partners' shares set")
register_event_kind(
    "procurement.contract_changed",
    "Contract modified",
    data_labels={"effective_on": "From", "value_change": "Change in value (£)"},
)
register_event_kind(
    "procurement.suppliers_merged",
    "Suppliers merged",
    data_labels={"merged": "Merged in", "payments": "Payments moved", "contracts": "Contracts moved"},
)
register_event_kind(
    "procurement.suppliers_distinct",
    "Suppliers marked as different",
    data_labels={"other": "Not the same as"},
)
register_event_kind(
    "procurement.spend_imported",
    "Spend file imported",
    data_labels={
        "filename": "File",
        "payments": "Payments",
        "total": "Total (£)",
        "quarantined": "Rows kept aside",
    },
)
register_event_kind(
    "procurement.ocds_imported",
    "OCDS release package imported",
    data_labels={"created": "Contracts added", "updated": "Contracts updated"},
)
