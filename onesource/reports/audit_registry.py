"""Report models whose every create, update and delete is written to the audit trail."""

from auditlog.registry import auditlog

from onesource.reports.models import CommitteeReportVersion

auditlog.register(CommitteeReportVersion, serialize_data=True, exclude_fields=["frozen_sections"])
