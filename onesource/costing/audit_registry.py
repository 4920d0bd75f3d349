from auditlog.registry import auditlog

from onesource.costing.models import (
    ActualLine,
    Agreement,
    AgreementShare,
    BudgetLine,
    DriverQuantity,
    RechargeRun,
    SupportUsage,
)

# Time entries (millions of rows) and a run's computed charges are not field-logged: the run's
# own events and version diff record what a run produced.
for model in (Agreement, AgreementShare, BudgetLine, ActualLine, DriverQuantity, SupportUsage, RechargeRun):
    auditlog.register(model, serialize_data=True)
