from .agreements import Agreement, AgreementShare, Basis, SupportMethod
from .ledger import ActualLine, BudgetLine, LedgerLine
from .quantities import DriverKind, DriverQuantity, SupportUsage, TimeEntry
from .runs import RechargeCharge, RechargeRun, RechargeServiceCost, RunSignOff, RunStatus, SignOffDecision

__all__ = [
    "ActualLine",
    "Agreement",
    "AgreementShare",
    "Basis",
    "BudgetLine",
    "DriverKind",
    "DriverQuantity",
    "LedgerLine",
    "RechargeCharge",
    "RechargeRun",
    "RechargeServiceCost",
    "RunSignOff",
    "RunStatus",
    "SignOffDecision",
    "SupportMethod",
    "SupportUsage",
    "TimeEntry",
]
