"""The one way to read casework: cases a user may see, and a log entry for every look.

A case is special category personal data. HR caseworkers of the employing council (and the platform
admin) see its cases; anyone else only the cases they are a party to with their own account; another
partner's users get the same 404 as a case that does not exist. Every read, of one case or of a list,
is logged as an `hr_case.read` event that only auditors see (see `audit_registry`). Events name the
case by its reference, never a person.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from onesource.core.audit import record_event
from onesource.core.roles import Capability
from onesource.core.scoping import get_scoped_or_404, scope_for
from onesource.hr.models import Case, CaseQuerySet

CASE_READ_EVENT = "hr_case.read"
CASES_LISTED_EVENT = "hr_case.listed"


def visible_cases(user: Any) -> CaseQuerySet:
    return Case.objects.restrict(user)


def may_manage(user: Any, case: Case) -> bool:
    return scope_for(user).has(Capability.MANAGE_CASEWORK, case.employing_partner_id)


def get_case_or_404(user: Any, reference: str) -> Case:
    return get_scoped_or_404(
        Case.objects.select_related("employing_partner", "service"), user, reference=reference
    )


def log_case_read(user: Any, case: Case, *, via: str) -> None:
    record_event(
        CASE_READ_EVENT,
        case,
        acting_user=user,
        partner=case.employing_partner,
        data={"reference": case.reference, "via": via},
    )


def log_cases_listed(user: Any, cases: Iterable[Case], *, via: str) -> None:
    references = [case.reference for case in cases]
    if references:
        record_event(CASES_LISTED_EVENT, None, acting_user=user, data={"references": references, "via": via})
