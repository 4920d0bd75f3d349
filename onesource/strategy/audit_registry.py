"""Strategy models whose every create, update and delete is written to the audit trail."""

from auditlog.registry import auditlog

from onesource.core.audit_display import register_event_kind
from onesource.strategy.models import (
    RAG,
    Milestone,
    Phase,
    Project,
    ServicePriority,
    StrategicPriority,
    Strategy,
)

auditlog.register(Strategy, serialize_data=True)
auditlog.register(StrategicPriority, serialize_data=True)
auditlog.register(ServicePriority, serialize_data=True, m2m_fields={"strategic_priorities"})
auditlog.register(Phase, serialize_data=True)
auditlog.register(Project, serialize_data=True, m2m_fields={"strategic_priorities", "savings_lines"})
auditlog.register(Milestone, serialize_data=True)

register_event_kind(
    "strategy.rag_changed",
    "RAG rating changed",
    data_labels={"from": "From", "to": "To", "reason": "Reason"},
    data_choices={"from": RAG.choices, "to": RAG.choices},
)
register_event_kind(
    "strategy.milestone_completed",
    "Milestone completed",
    data_labels={"milestone": "Milestone", "completed_on": "Completed on"},
)
