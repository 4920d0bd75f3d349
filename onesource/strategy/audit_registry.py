"""Strategy models whose every create, update and delete is written to the audit trail."""

from auditlog.registry import auditlog

from onesource.strategy.models import Milestone, Phase, Project, ServicePriority, StrategicPriority, Strategy

auditlog.register(Strategy, serialize_data=True)
auditlog.register(StrategicPriority, serialize_data=True)
auditlog.register(ServicePriority, serialize_data=True, m2m_fields={"strategic_priorities"})
auditlog.register(Phase, serialize_data=True)
auditlog.register(Project, serialize_data=True, m2m_fields={"strategic_priorities", "savings_lines"})
auditlog.register(Milestone, serialize_data=True)
