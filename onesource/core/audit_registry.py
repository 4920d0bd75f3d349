"""Models whose every create, update and delete is written to the audit trail."""

from auditlog.registry import auditlog

from onesource.core.audit_display import register_event_kind
from onesource.core.models import (
    ApiToken,
    ClosureDay,
    FinancialYear,
    Membership,
    Partner,
    RoleAssignment,
    Service,
    ServiceArea,
    ServiceCoverage,
    User,
)


def job_label(kind: str) -> str:
    from onesource.core.jobs import JOB_KINDS

    return JOB_KINDS[kind].label if kind in JOB_KINDS else "A kind of job no longer offered"


auditlog.register(Partner, serialize_data=True)
auditlog.register(Membership, serialize_data=True)
auditlog.register(ServiceArea, serialize_data=True)
auditlog.register(Service, serialize_data=True)
auditlog.register(ServiceCoverage, serialize_data=True)
auditlog.register(FinancialYear, serialize_data=True)
auditlog.register(ClosureDay, serialize_data=True)
auditlog.register(RoleAssignment, serialize_data=True)
auditlog.register(ApiToken, exclude_fields=["key_hash"])
auditlog.register(User, include_fields=["username", "first_name", "last_name", "email", "is_active"])

# Business events of the partnership, in words.
register_event_kind("partner.left", "Left the partnership", data_labels={"left_on": "Left on"})
register_event_kind(
    "service.returned", "Service returned to the partner", data_labels={"returned_on": "Returned on"}
)
register_event_kind("api_token.created", "API token created", data_labels={"user": "For user"})
register_event_kind(
    "job.started", "Job started", describe=lambda data: [("Job", job_label(data.get("kind", "")))]
)
