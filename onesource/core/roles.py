"""Roles and what each may do. The single source of truth for permissions.

A role is held either for every partner (platform admin, shared-service manager) or for one
partner. A capability held through a partner-bound role applies to that partner's data only.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", "Platform admin"
    SHARED_SERVICE_MANAGER = "shared_service_manager", "Shared-service manager"
    SHARED_SERVICE_FINANCE = "shared_service_finance", "Shared-service finance"
    PARTNER_OFFICER = "partner_officer", "Partner officer"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    HR_OFFICER = "hr_officer", "HR officer"
    COMMITTEE_MEMBER = "committee_member", "Committee member"
    PROCUREMENT_OFFICER = "procurement_officer", "Procurement officer"


ALL_PARTNER_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.SHARED_SERVICE_MANAGER, Role.SHARED_SERVICE_FINANCE})


class Capability(StrEnum):
    VIEW = "view"  # read the partner's data
    MANAGE_PARTNERSHIP = "manage_partnership"  # partners, services, coverage
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    RUN_JOBS = "run_jobs"
    MANAGE_FINANCE = "manage_finance"  # budgets, actuals, recharge runs
    APPROVE_FINANCE = "approve_finance"
    MANAGE_WORKFORCE = "manage_workforce"  # posts, people, imports
    VIEW_HEALTH = "view_health"  # special category data: sickness, risk assessments
    MANAGE_PERFORMANCE = "manage_performance"  # savings, strategy, KPIs
    VIEW_REPORTS = "view_reports"
    WRITE_REPORTS = "write_reports"  # commentary on the committee report, and finalising it
    MANAGE_CASEWORK = "manage_casework"  # HR cases of the partner's employees: special category data
    MANAGE_PROCUREMENT = "manage_procurement"  # suppliers, the contract register, OCDS imports
    IMPORT_SPEND = "import_spend"  # spend-over-£500 files and the Transparency Code files made from them


_C = Capability
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.PLATFORM_ADMIN: frozenset(Capability),
    Role.SHARED_SERVICE_MANAGER: frozenset(
        {
            _C.VIEW,
            _C.MANAGE_PARTNERSHIP,
            _C.VIEW_AUDIT,
            _C.RUN_JOBS,
            _C.MANAGE_FINANCE,
            _C.MANAGE_WORKFORCE,
            _C.MANAGE_PERFORMANCE,
            _C.VIEW_REPORTS,
            _C.WRITE_REPORTS,
            _C.MANAGE_PROCUREMENT,
            _C.IMPORT_SPEND,
        }
    ),
    # Builds the partnership's recharge runs; each member council's finance officer signs off its own share.
    Role.SHARED_SERVICE_FINANCE: frozenset(
        {_C.VIEW, _C.RUN_JOBS, _C.MANAGE_FINANCE, _C.VIEW_REPORTS, _C.IMPORT_SPEND}
    ),
    Role.PARTNER_OFFICER: frozenset({_C.VIEW, _C.RUN_JOBS, _C.VIEW_REPORTS, _C.WRITE_REPORTS}),
    Role.FINANCE_OFFICER: frozenset(
        {_C.VIEW, _C.RUN_JOBS, _C.MANAGE_FINANCE, _C.APPROVE_FINANCE, _C.VIEW_REPORTS, _C.IMPORT_SPEND}
    ),
    Role.HR_OFFICER: frozenset(
        {_C.VIEW, _C.RUN_JOBS, _C.MANAGE_WORKFORCE, _C.VIEW_HEALTH, _C.MANAGE_CASEWORK, _C.VIEW_REPORTS}
    ),
    Role.COMMITTEE_MEMBER: frozenset({_C.VIEW, _C.VIEW_REPORTS}),
    # A council's own procurement team: its contracts and suppliers, its spend files and its Code publishing.
    Role.PROCUREMENT_OFFICER: frozenset(
        {_C.VIEW, _C.RUN_JOBS, _C.VIEW_REPORTS, _C.MANAGE_PROCUREMENT, _C.IMPORT_SPEND}
    ),
}
