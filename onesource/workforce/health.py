"""The one way to read special category health data (sickness absences, risk assessments).

Only users with `Capability.VIEW_HEALTH` for the person's EMPLOYING partner (its HR officers) and
the platform admin may read it; partners the person merely works for may not. Every read is
logged as a `health.read` event naming who, when and whose records. Pages and the API call
`read_health_records`; nothing else reads these models for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from onesource.core.audit import record_event
from onesource.core.roles import Capability
from onesource.core.scoping import scope_for
from onesource.workforce.models import Employee, RiskAssessment, SicknessAbsence

HEALTH_READ_EVENT = "health.read"


@dataclass(frozen=True)
class HealthRecords:
    employee: Employee
    sickness_absences: list[SicknessAbsence]
    risk_assessments: list[RiskAssessment]


def may_view_health(user: Any, employee: Employee) -> bool:
    return scope_for(user).has(Capability.VIEW_HEALTH, employee.employing_partner_id)


def read_health_records(user: Any, employee: Employee, *, purpose: str = "page") -> HealthRecords | None:
    """The person's health records, logged; None (and nothing logged) when the user may not see them."""
    if not may_view_health(user, employee):
        return None
    with transaction.atomic():
        sickness = list(
            SicknessAbsence.objects.restrict(user, Capability.VIEW_HEALTH)
            .filter(employee=employee)
            .order_by("-starts_on")
        )
        risks = list(
            RiskAssessment.objects.restrict(user, Capability.VIEW_HEALTH)
            .filter(employee=employee)
            .order_by("-assessed_on")
        )
        record_event(
            HEALTH_READ_EVENT,
            employee,
            acting_user=user,
            partner=employee.employing_partner,
            data={
                "staff_number": employee.staff_number,
                "via": purpose,
                "sickness_absences": len(sickness),
                "risk_assessments": len(risks),
            },
        )
    return HealthRecords(employee=employee, sickness_absences=sickness, risk_assessments=risks)
