"""Savings models whose every create, update and delete is written to the audit trail."""

from auditlog.registry import auditlog

from onesource.core.audit_display import describe_partner_percentages, register_event_kind
from onesource.savings.models import (
    BusinessCase,
    SavingsAmount,
    SavingsLine,
    SavingsLineShare,
    SavingStatus,
    YearTarget,
)

auditlog.register(BusinessCase, serialize_data=True)
auditlog.register(YearTarget, serialize_data=True)
auditlog.register(SavingsLine, serialize_data=True)
auditlog.register(SavingsAmount, serialize_data=True)
auditlog.register(SavingsLineShare, serialize_data=True)

register_event_kind(
    "savings.line_created",
    "Saving added",
    data_labels={"status": "Status"},
    data_choices={"status": SavingStatus.choices},
)
register_event_kind(
    "savings.status_changed",
    "Saving's status changed",
    data_labels={"from": "From", "to": "To"},
    data_choices={"from": SavingStatus.choices, "to": SavingStatus.choices},
)
register_event_kind(
    "savings.shares_set", "Shares between partners set", describe=describe_partner_percentages
)
