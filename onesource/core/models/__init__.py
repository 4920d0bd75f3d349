from .access import ApiToken, RoleAssignment, User
from .calendar import ClosureDay
from .events import Event
from .jobs import Job
from .partnership import FinancialYear, Membership, Partner, Service, ServiceArea, ServiceCoverage

__all__ = [
    "ApiToken",
    "ClosureDay",
    "Event",
    "FinancialYear",
    "Job",
    "Membership",
    "Partner",
    "RoleAssignment",
    "Service",
    "ServiceArea",
    "ServiceCoverage",
    "User",
]
