"""Workforce models whose every create, update and delete is written to the audit trail."""

from auditlog.registry import auditlog

from onesource.workforce.models import (
    Assignment,
    ContractPeriod,
    Employee,
    FurloughPeriod,
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
