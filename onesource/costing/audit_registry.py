from auditlog.registry import auditlog

from onesource.core.audit_display import (
    describe_partner_percentages,
    register_event_kind,
    register_partnership_only_fields,
)
from onesource.costing.models import (
    ActualLine,
    Agreement,
    AgreementShare,
    Basis,
    BudgetLine,
    DriverQuantity,
    RechargeRun,
    SupportUsage,
)

# Time entries (millions of rows) and a run's computed charges are not field-logged: the run's
# own events and version diff record what a run produced.
for model in (Agreement, AgreementShare, BudgetLine, ActualLine, DriverQuantity, SupportUsage, RechargeRun):
    auditlog.register(model, serialize_data=True)
register_partnership_only_fields(RechargeRun, {"total_cost", "check_in", "check_out"})


def _describe_agreement(data):
    basis = dict(Basis.choices).get(data.get("basis", ""), "not set")
    return [("Basis", basis), *describe_partner_percentages(data.get("shares", {}))]


register_event_kind("agreement.created", "Agreement made", describe=_describe_agreement)
_RUN_DATA = {
    "version": "Version",
    "estimate": "Estimate",
    "charged": "Charged (£)",
    "changes": "Changes from the previous version",
}
_RUN_EVENTS = (
    ("recharge_run.created", "Recharge run built"),
    ("recharge_run.approved", "Recharge run approved"),
)
for _key, _label in _RUN_EVENTS:
    register_event_kind(_key, _label, data_labels=_RUN_DATA, partnership_only={"charged", "changes"})
register_event_kind("recharge_run.deleted", "Recharge run deleted", data_labels={"run": "Run"})
register_event_kind(
    "ledger.imported", "Ledger imported", data_labels={"file": "File", "lines": "Lines", "summary": "Summary"}
)
