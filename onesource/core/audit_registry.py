"""Models whose every create, update and delete is written to the audit trail."""

from auditlog.registry import auditlog

from onesource.core.models import (
    ApiToken,
    FinancialYear,
    Membership,
    Partner,
    RoleAssignment,
    Service,
    ServiceArea,
    ServiceCoverage,
    User,
)

auditlog.register(Partner, serialize_data=True)
auditlog.register(Membership, serialize_data=True)
auditlog.register(ServiceArea, serialize_data=True)
auditlog.register(Service, serialize_data=True)
auditlog.register(ServiceCoverage, serialize_data=True)
auditlog.register(FinancialYear, serialize_data=True)
auditlog.register(RoleAssignment, serialize_data=True)
auditlog.register(ApiToken, exclude_fields=["key_hash"])
auditlog.register(User, include_fields=["username", "first_name", "last_name", "email", "is_active"])
