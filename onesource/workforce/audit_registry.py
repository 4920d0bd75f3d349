"""Workforce models whose every create, update and delete is written to the audit trail."""

from auditlog.registry import auditlog

from onesource.core.audit_display import register_event_kind, register_restricted_model
from onesource.core.roles import Capability
from onesource.workforce.health import HEALTH_READ_EVENT
from onesource.workforce.models import (
    Assignment,
    ContractPeriod,
    Employee,
    FurloughPeriod,
    LeavingReason,
    Post,
    RiskAssessment,
    Secondment,
    SicknessAbsence,
    TimeSplit,
    TimeSplitShare,
)

auditlog.register(Post, serialize_data=True)
auditlog.register(Employee, serialize_data=True)
auditlog.register(Assignment, serialize_data=True)
auditlog.register(ContractPeriod, serialize_data=True)
auditlog.register(TimeSplit, serialize_data=True)
auditlog.register(TimeSplitShare, serialize_data=True)
auditlog.register(Secondment, serialize_data=True)
auditlog.register(FurloughPeriod, serialize_data=True)
# Health data: the change log records that a record changed, never its contents (which are
# special category data); reads are logged separately by onesource.workforce.health.
auditlog.register(SicknessAbsence, include_fields=["employee", "starts_on", "ends_on"])
auditlog.register(RiskAssessment, include_fields=["employee", "assessed_on"])

register_restricted_model(SicknessAbsence, Capability.VIEW_HEALTH)
register_restricted_model(RiskAssessment, Capability.VIEW_HEALTH)

register_event_kind("employee.started", "Started", data_labels={"started_on": "Start date"})
register_event_kind(
    "employee.left",
    "Left",
    data_labels={"left_on": "Leaving date", "reason": "Leaving reason"},
    data_choices={"reason": LeavingReason.choices},
)
# Who opened whose health records stays in the audit trail (VIEW_AUDIT); the history of the person
# shows it, and the audit trail shows how many records were read, only to those who may see health data.
register_event_kind(
    HEALTH_READ_EVENT,
    "Health records opened",
    data_labels={
        "staff_number": "Staff number",
        "via": "Through",
        "sickness_absences": "Sickness absences read",
        "risk_assessments": "Risk assessments read",
    },
    data_choices={"via": [("page", "the health records page"), ("api", "the API")]},
    restricted_to=Capability.VIEW_HEALTH,
)
