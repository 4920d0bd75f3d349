"""Performance models whose every create, update and delete is written to the audit trail."""

from auditlog.registry import auditlog

from onesource.performance.models import Achievement, Kpi, KpiResult

auditlog.register(Kpi, serialize_data=True)
auditlog.register(KpiResult, serialize_data=True)
auditlog.register(Achievement, serialize_data=True)
