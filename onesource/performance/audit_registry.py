"""Performance models whose every create, update and delete is written to the audit trail."""

from auditlog.registry import auditlog

from onesource.core.audit_display import register_event_kind
from onesource.performance.models import Achievement, Kpi, KpiResult

auditlog.register(Kpi, serialize_data=True)
auditlog.register(KpiResult, serialize_data=True)
auditlog.register(Achievement, serialize_data=True)

register_event_kind(
    "kpi_results.imported",
    "KPI results imported",
    data_labels={"rows": "Rows", "created": "Results added", "updated": "Results changed"},
)
