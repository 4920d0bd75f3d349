"""People of three councils for casework: the employee, a complainant and managers at different employers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from onesource.core.roles import Role
from onesource.workforce import actions as workforce

D = dt.date


@pytest.fixture
def people(partnership, make_user) -> dict[str, Any]:
    """HAV employs Harry (the employee) and Ivy (investigator); NEW employs Nina (complainant) and
    Mo (hearing manager); BEX employs Ben (appeal manager). `hav_hr` does HAV's casework."""
    u = partnership["system"]

    def person(number: str, first: str, last: str, code: str) -> Any:
        return workforce.create_employee(
            staff_number=number,
            first_name=first,
            last_name=last,
            employing_partner=partnership[code],
            started_on=D(2014, 4, 1),
            acting_user=u,
        )

    return {
        **partnership,
        "harry": person("H1", "Harry", "Holt", "HAV"),
        "ivy": person("H2", "Ivy", "Irwin", "HAV"),
        "nina": person("N1", "Nina", "Nash", "NEW"),
        "mo": person("N2", "Mo", "Mills", "NEW"),
        "ben": person("B1", "Ben", "Booth", "BEX"),
        "hav_hr": make_user(Role.HR_OFFICER, "HAV", username="hav-hr"),
        "new_hr": make_user(Role.HR_OFFICER, "NEW", username="new-hr"),
        "hav_member": make_user(Role.COMMITTEE_MEMBER, "HAV", username="hav-member"),
        "hav_finance": make_user(Role.FINANCE_OFFICER, "HAV", username="hav-finance"),
        "manager": make_user(Role.SHARED_SERVICE_MANAGER, username="ss-manager"),
    }


@pytest.fixture
def disciplinary(people) -> Any:
    """Harry's disciplinary case, complained of by Nina, with Ivy investigating and Mo to hear it."""
    from onesource.hr import actions

    hr = people["hav_hr"]
    case = actions.open_case(
        kind="disciplinary",
        employee=people["harry"],
        opened_on=D(2025, 11, 3),
        summary="Alleged misuse of the council's systems.",
        allegations=["Looked up records without a business reason.", "Shared a login."],
        service=people["shared"],
        acting_user=hr,
    )
    actions.add_party(case, role="complainant", employee=people["nina"], acting_user=hr)
    actions.add_party(case, role="investigating_officer", employee=people["ivy"], acting_user=hr)
    actions.add_party(case, role="hearing_manager", employee=people["mo"], acting_user=hr)
    return case
