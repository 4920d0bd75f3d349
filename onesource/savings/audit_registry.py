"""Savings models whose every create, update and delete is written to the audit trail."""

from auditlog.registry import auditlog

from onesource.savings.models import BusinessCase, SavingsAmount, SavingsLine, SavingsLineShare, YearTarget

auditlog.register(BusinessCase, serialize_data=True)
auditlog.register(YearTarget, serialize_data=True)
auditlog.register(SavingsLine, serialize_data=True)
auditlog.register(SavingsAmount, serialize_data=True)
auditlog.register(SavingsLineShare, serialize_data=True)
