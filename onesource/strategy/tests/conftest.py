import datetime as dt

import pytest

from onesource.strategy import actions

d = dt.date


@pytest.fixture
def strategy(partnership):
    u = partnership["system"]
    strategy = actions.create_strategy(
        code="s-2020", name="Strategy 2020-23", starts_on=d(2020, 4, 1), ends_on=d(2023, 3, 31), acting_user=u
    )
    for number in range(1, 6):
        actions.add_strategic_priority(strategy, number=number, title=f"Priority {number}", acting_user=u)
    actions.add_phase(
        strategy, number=1, name="2020-21", starts_on=d(2020, 4, 1), ends_on=d(2021, 3, 31), acting_user=u
    )
    actions.add_phase(
        strategy, number=2, name="2021-22", starts_on=d(2021, 4, 1), ends_on=d(2022, 3, 31), acting_user=u
    )
    return strategy


@pytest.fixture
def projects(strategy, partnership):
    """A shared-service project, one on the shared audit service, one on Newham's own schools service."""
    u = partnership["system"]
    phase2 = strategy.phases.get(number=2)
    p1 = strategy.priorities.get(number=1)
    whole = actions.create_project(
        strategy,
        code="budget-plan",
        name="Budgetary plan",
        phase=phase2,
        starts_on=d(2021, 4, 1),
        ends_on=d(2021, 12, 31),
        rag="amber",
        rag_reason="Waiting on both boroughs.",
        is_key_deliverable=True,
        is_critical_enabler=True,
        strategic_priorities=[p1],
        acting_user=u,
    )
    audit = actions.create_project(
        strategy,
        code="audit-review",
        name="Audit review",
        phase=phase2,
        service=partnership["shared"],
        starts_on=d(2021, 7, 1),
        ends_on=d(2022, 6, 30),
        is_key_deliverable=True,
        acting_user=u,
    )
    schools = actions.create_project(
        strategy,
        code="schools-finance",
        name="Schools finance system",
        service=partnership["own"],
        starts_on=d(2021, 4, 1),
        ends_on=d(2022, 3, 31),
        rag="red",
        rag_reason="Supplier late.",
        is_key_deliverable=True,
        acting_user=u,
    )
    actions.create_milestone(whole, name="Draft plan", due_on=d(2021, 9, 30), acting_user=u)
    actions.create_milestone(
        audit,
        name="Scoping done",
        due_on=d(2021, 8, 15),
        completed_on=d(2021, 8, 10),
        status="complete",
        acting_user=u,
    )
    actions.create_milestone(schools, name="Go live", due_on=d(2021, 10, 1), acting_user=u)
    return {"whole": whole, "audit": audit, "schools": schools}
