"""A small hand-made workforce on top of the shared partnership fixture."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from onesource.workforce import actions

D = dt.date


@pytest.fixture
def workforce(partnership) -> dict[str, Any]:
    """Four people in the shared Internal Audit service and NEW's own schools service.

    - Ann (NEW, permanent, 1.0 FTE audit post) from 2014-04-01, split 60% HAV / 40% NEW from 2015-04-01.
    - Bob (HAV, permanent, 0.5 FTE) from 2014-04-01, leaves 2014-12-31 (resignation).
    - Cat (NEW, agency, 1.0 FTE schools post) 2014-04-01 to 2015-03-31, costing £36,500 for 365 days.
    - Dan (HAV, permanent, 1.0 FTE) from 2014-10-01.
    A senior post in audit stays vacant.
    """
    u = partnership["system"]
    new, hav = partnership["NEW"], partnership["HAV"]
    audit, schools = partnership["shared"], partnership["own"]

    def post(ref: str, service: Any, fte: str, senior: bool = False, **extra: Any) -> Any:
        return actions.create_post(
            service=service,
            reference=ref,
            title=f"Officer {ref}",
            grade="Senior 1" if senior else "PO3",
            fte=Decimal(fte),
            budgeted_annual_cost=Decimal("45000.00"),
            is_senior_management=senior,
            starts_on=D(2014, 4, 1),
            acting_user=u,
            **extra,
        )

    posts = {
        "A": post("P-A", audit, "1.00"),
        "B": post("P-B", audit, "0.50"),
        "C": post("P-C", schools, "1.00", funded_by=new),
        "D": post("P-D", audit, "1.00"),
        "S": post("P-S", audit, "1.00", senior=True),
    }

    def person(number: str, first: str, employer: Any, started: dt.date) -> Any:
        return actions.create_employee(
            staff_number=number,
            first_name=first,
            last_name="Example",
            employing_partner=employer,
            started_on=started,
            acting_user=u,
        )

    ann = person("E1", "Ann", new, D(2014, 4, 1))
    bob = person("E2", "Bob", hav, D(2014, 4, 1))
    cat = person("E3", "Cat", new, D(2014, 4, 1))
    dan = person("E4", "Dan", hav, D(2014, 10, 1))
    actions.add_assignment(ann, post=posts["A"], fte=Decimal("1.00"), starts_on=D(2014, 4, 1), acting_user=u)
    actions.add_assignment(bob, post=posts["B"], fte=Decimal("0.50"), starts_on=D(2014, 4, 1), acting_user=u)
    actions.add_assignment(
        cat,
        post=posts["C"],
        fte=Decimal("1.00"),
        starts_on=D(2014, 4, 1),
        ends_on=D(2015, 3, 31),
        acting_user=u,
    )
    actions.add_assignment(dan, post=posts["D"], fte=Decimal("1.00"), starts_on=D(2014, 10, 1), acting_user=u)
    for someone, started in ((ann, D(2014, 4, 1)), (bob, D(2014, 4, 1)), (dan, D(2014, 10, 1))):
        actions.add_contract_period(someone, contract_type="permanent", starts_on=started, acting_user=u)
    actions.add_contract_period(
        cat,
        contract_type="agency",
        starts_on=D(2014, 4, 1),
        ends_on=D(2015, 3, 31),
        cost=Decimal("36500.00"),
        supplier="Temps Ltd",
        acting_user=u,
    )
    actions.record_leaver(cat, left_on=D(2015, 3, 31), leaving_reason="end_of_contract", acting_user=u)
    actions.record_leaver(bob, left_on=D(2014, 12, 31), leaving_reason="resignation", acting_user=u)
    actions.set_time_split(
        ann, starts_on=D(2015, 4, 1), shares={hav: Decimal(60), new: Decimal(40)}, acting_user=u
    )
    return {"posts": posts, "ann": ann, "bob": bob, "cat": cat, "dan": dan, **partnership}
