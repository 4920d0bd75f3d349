"""Demo strategy, from the 2021 scrutiny presentation: the oneSource Strategy 2020-23 (launched February
2020) with five priorities, 36 service priorities across eight services for 2021-22, the three-phase
activity plan, the 2021-22 road map with its projects and milestones, and the four critical enablers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps

from onesource.core.demo import DemoContext, demo_step
from onesource.strategy import actions

d = dt.date

PRIORITIES = [
    ("Deliver savings and value for money for both councils", "Meet the savings plan and keep costs down."),
    ("Modernise: make the most of our systems and data", "Optimise Oracle Fusion, automate and go digital."),
    (
        "Nurture relationships so we're more customer-focussed and effective",
        "Know our customers and act on what they say.",
    ),
    (
        "Develop a skilled, resilient and engaged workforce",
        "Career development, wellbeing and new ways of working.",
    ),
    (
        "Grow the business and generate income",
        "Win work from other councils, for the public sector by the public sector.",
    ),
]

PHASES = [
    (1, "2020-21: Stabilise and respond", d(2020, 4, 1), d(2021, 3, 31)),
    (2, "2021-22: Recover and get back on track", d(2021, 4, 1), d(2022, 3, 31)),
    (3, "2022-23: Transform", d(2022, 4, 1), d(2023, 3, 31)),
]

# Eight services, 36 key priorities from 2021-22 service planning: (service, [(title, priority numbers)]).
SERVICE_PRIORITIES = [
    (
        "property-services",
        [
            ("Decommission Mercury House, River Chambers, The Hermitage and Langtons stable block", [1]),
            ("Havering Town Hall phase 1 reconfiguration", [1, 3]),
            ("Corporate landlord model for both councils", [1, 3]),
            ("Deliver the schools expansion programme", [3]),
            ("Grow Havering Passenger Transport Service income", [5]),
        ],
    ),
    (
        "legal",
        [
            ("Move from agency to permanent staff", [1, 4]),
            ("Retain Lexcel accreditation", [3]),
            ("Clear the backlog of care proceedings", [3]),
            ("Win legal work from other councils", [5]),
            ("Digital case management", [2]),
        ],
    ),
    (
        "revenues",
        [
            ("Ethical enforcement contracts with other councils", [5]),
            ("Increase council tax and business rates collection", [1]),
            ("Online self-service accounts for residents", [2, 3]),
            ("Automate recovery processes", [1, 2]),
            ("Support residents in financial hardship", [3]),
        ],
    ),
    (
        "hr-operations",
        [
            ("HR and OD restructure", [1, 4]),
            ("Smart working policies for new ways of working", [4]),
            ("Wellbeing offer and mental health first aiders", [4]),
            ("My Career Development for staff of both councils", [4]),
            ("Reduce agency and interim spend", [1]),
        ],
    ),
    (
        "strategic-finance",
        [
            ("Budget and savings plan agreed with both boroughs", [1]),
            ("Re-size Finance after Bexley's exit", [1]),
            ("Faster closing of accounts with Fusion", [2]),
            ("Business partnering for directorates", [3]),
        ],
    ),
    (
        "ict-infrastructure",
        [
            ("Move key business systems into the cloud", [2]),
            ("Upgrade internet, intranets and telephony", [2, 3]),
            ("Devices and connections for remote working", [2, 4]),
            ("Cyber security accreditation", [2]),
        ],
    ),
    (
        "procurement",
        [
            ("Contract register dashboard", [1, 2]),
            ("Joint procurement across both councils", [1]),
            ("Social value in contracts", [3]),
            ("Category management savings", [1]),
        ],
    ),
    (
        "business-systems",
        [
            ("Oracle Fusion optimisation", [1, 2]),
            ("Centralised forms portal for both councils", [2, 3]),
            ("Service Development Unit recruitment", [2, 4]),
            ("Sell business systems support to other councils", [5]),
        ],
    ),
]

# (code, name, phase, service or None, lead, starts, ends, status, RAG, reason, key deliverable, critical
# enabler, priorities, savings line references, milestones [(name, due, completed on or None, status)])
PROJECTS: list[tuple[Any, ...]] = [
    (
        "fusion-delivery",
        "Deliver Oracle Fusion",
        1,
        "business-systems",
        "Head of Business Systems",
        d(2019, 4, 1),
        d(2020, 9, 30),
        "complete",
        "complete",
        "",
        True,
        False,
        [2],
        [],
        [
            ("Fusion goes live", d(2020, 7, 1), d(2020, 7, 1), "complete"),
            ("Post go-live support ends", d(2020, 9, 30), d(2020, 9, 30), "complete"),
        ],
    ),
    (
        "performance-framework",
        "Refreshed performance framework and new KPIs",
        1,
        None,
        "Head of Strategy and Performance",
        d(2020, 6, 1),
        d(2021, 3, 31),
        "complete",
        "complete",
        "",
        True,
        False,
        [3],
        [],
        [
            ("New KPIs agreed", d(2020, 12, 1), d(2020, 12, 10), "complete"),
            ("New look performance report", d(2021, 3, 31), d(2021, 3, 26), "complete"),
        ],
    ),
    (
        "agency-reduction",
        "Reduce agency workers and interims",
        1,
        "hr-operations",
        "Director of HR and OD",
        d(2020, 4, 1),
        d(2021, 9, 30),
        "in_progress",
        "green",
        "",
        True,
        False,
        [1, 4],
        ["agency-01", "legal-02"],
        [
            ("Legal: 19 agency staff on permanent contracts", d(2021, 3, 31), d(2021, 3, 31), "complete"),
            ("Legal: 11 more posts to permanent recruitment", d(2021, 12, 31), None, "on_track"),
        ],
    ),
    (
        "contract-register",
        "Contract register dashboard",
        1,
        "procurement",
        "Head of Procurement",
        d(2020, 9, 1),
        d(2021, 5, 31),
        "complete",
        "complete",
        "",
        False,
        False,
        [1, 2],
        [],
        [("Dashboard launched", d(2021, 5, 31), d(2021, 5, 20), "complete")],
    ),
    (
        "lexcel",
        "Retain Lexcel accreditation",
        2,
        "legal",
        "Head of Legal Services",
        d(2021, 4, 1),
        d(2021, 7, 31),
        "complete",
        "complete",
        "",
        False,
        False,
        [3],
        [],
        [("Remote external audit", d(2021, 6, 30), d(2021, 6, 24), "complete")],
    ),
    (
        "budget-plan",
        "Budgetary and savings plan",
        2,
        "strategic-finance",
        "Director of Finance",
        d(2021, 4, 1),
        d(2021, 12, 31),
        "in_progress",
        "amber",
        "Waiting on both boroughs' medium-term financial strategies.",
        True,
        True,
        [1],
        [],
        [
            ("Draft savings plan to both boroughs", d(2021, 9, 30), None, "on_track"),
            ("Budget and savings plan agreed", d(2021, 12, 15), None, "not_started"),
        ],
    ),
    (
        "hrod-restructure",
        "HR and OD restructure",
        2,
        "hr-operations",
        "Director of HR and OD",
        d(2021, 6, 1),
        d(2022, 3, 31),
        "in_progress",
        "amber",
        "Consultation delayed by pandemic work; needed before other restructures can finish.",
        True,
        True,
        [1, 4],
        [],
        [
            ("Consultation starts", d(2021, 10, 1), None, "delayed"),
            ("New structure in place", d(2022, 3, 31), None, "not_started"),
        ],
    ),
    (
        "sdu-recruitment",
        "Service Development Unit recruitment",
        2,
        "business-systems",
        "Head of Business Systems",
        d(2021, 5, 1),
        d(2021, 12, 31),
        "in_progress",
        "red",
        "Two recruitment rounds failed to appoint; market rates are above the grade.",
        True,
        True,
        [2, 4],
        [],
        [
            ("Posts advertised", d(2021, 6, 30), d(2021, 7, 5), "complete"),
            ("Unit fully staffed", d(2021, 12, 31), None, "delayed"),
        ],
    ),
    (
        "fusion-optimisation",
        "Oracle Fusion optimisation",
        2,
        "business-systems",
        "Head of Business Systems",
        d(2021, 4, 1),
        d(2022, 9, 30),
        "in_progress",
        "amber",
        "Depends on the Service Development Unit being staffed.",
        True,
        True,
        [1, 2],
        [],
        [
            ("Optimisation roadmap agreed", d(2021, 7, 31), d(2021, 8, 12), "complete"),
            ("Self-service HR and payroll improvements", d(2022, 1, 31), None, "on_track"),
            ("Finance module improvements", d(2022, 6, 30), None, "not_started"),
        ],
    ),
    (
        "asset-decommissioning",
        "Decommission surplus council buildings",
        2,
        "property-services",
        "Head of Property Services",
        d(2021, 4, 1),
        d(2022, 12, 31),
        "in_progress",
        "green",
        "",
        True,
        False,
        [1],
        ["asset-02"],
        [
            ("Notice on PASC lease served", d(2021, 5, 31), d(2021, 5, 28), "complete"),
            ("Mercury House rent and service charge end", d(2021, 8, 31), d(2021, 8, 31), "complete"),
            ("River Chambers decommissioned", d(2022, 3, 31), None, "on_track"),
            ("The Hermitage and Langtons stable block decommissioned", d(2022, 12, 31), None, "not_started"),
        ],
    ),
    (
        "town-hall",
        "Havering Town Hall phase 1 reconfiguration",
        2,
        "property-services",
        "Head of Property Services",
        d(2021, 4, 1),
        d(2022, 6, 30),
        "in_progress",
        "green",
        "",
        True,
        False,
        [1, 3],
        [],
        [
            ("Specification prepared and tender issued", d(2021, 7, 31), d(2021, 7, 23), "complete"),
            ("Contract awarded", d(2021, 11, 30), None, "on_track"),
            ("Works complete", d(2022, 6, 30), None, "not_started"),
        ],
    ),
    (
        "forms-portal",
        "Centralised forms portal",
        2,
        "business-systems",
        "Head of Business Systems",
        d(2021, 1, 1),
        d(2021, 12, 31),
        "in_progress",
        "green",
        "",
        False,
        False,
        [2, 3],
        [],
        [
            ("Forms of both councils in one place", d(2021, 6, 30), d(2021, 6, 30), "complete"),
            ("Old forms switched off", d(2021, 11, 30), None, "on_track"),
        ],
    ),
    (
        "customer-satisfaction",
        "Customer satisfaction and business improvement",
        2,
        None,
        "Head of Strategy and Performance",
        d(2020, 4, 1),
        d(2022, 3, 31),
        "in_progress",
        "red",
        "Stalled in 2020-21 while staff were redeployed to pandemic work.",
        True,
        False,
        [3],
        [],
        [
            ("Customer survey of both councils", d(2021, 10, 31), None, "delayed"),
            ("Improvement plan from the survey", d(2022, 2, 28), None, "not_started"),
        ],
    ),
    (
        "new-ways-of-working",
        "Smart working: policies for new ways of working",
        2,
        "hr-operations",
        "Head of HR Operations",
        d(2021, 4, 1),
        d(2022, 3, 31),
        "in_progress",
        "green",
        "",
        False,
        False,
        [4],
        [],
        [
            ("Remote and overseas working policies", d(2021, 9, 30), None, "on_track"),
            ("Flexible working and absence policies", d(2022, 1, 31), None, "not_started"),
        ],
    ),
    (
        "career-development",
        "My Career Development",
        2,
        "organisational-development",
        "Head of Organisational Development",
        d(2021, 1, 1),
        d(2021, 9, 30),
        "in_progress",
        "green",
        "",
        False,
        False,
        [4],
        [],
        [("Resources launched for both councils", d(2021, 4, 30), d(2021, 4, 19), "complete")],
    ),
    (
        "income-growth",
        "Traded services growth",
        3,
        None,
        "Director of oneSource",
        d(2022, 4, 1),
        d(2023, 3, 31),
        "not_started",
        "green",
        "",
        False,
        False,
        [5],
        ["inc-03"],
        [("Traded services offer published", d(2022, 6, 30), None, "not_started")],
    ),
    (
        "cloud-migration",
        "Key business systems into the cloud",
        3,
        "ict-infrastructure",
        "Head of ICT",
        d(2021, 10, 1),
        d(2023, 3, 31),
        "not_started",
        "green",
        "",
        False,
        False,
        [2],
        [],
        [
            ("Migration plan agreed", d(2021, 12, 31), None, "not_started"),
            ("First systems migrated", d(2022, 9, 30), None, "not_started"),
        ],
    ),
]


@demo_step(45, "strategy")
def build_strategy(ctx: DemoContext) -> None:
    user = ctx.system_user
    strategy = actions.create_strategy(
        code="strategy-2020-23",
        name="oneSource Strategy 2020-23",
        starts_on=d(2020, 4, 1),
        ends_on=d(2023, 3, 31),
        launched_on=d(2020, 2, 1),
        vision=(
            "For the public sector, by the public sector: resilient, value-for-money support services "
            "for our partner councils."
        ),
        acting_user=user,
    )
    priorities = {
        number: actions.add_strategic_priority(
            strategy, number=number, title=title, description=text, acting_user=user
        )
        for number, (title, text) in enumerate(PRIORITIES, start=1)
    }
    phases = {
        number: actions.add_phase(
            strategy, number=number, name=name, starts_on=start, ends_on=end, acting_user=user
        )
        for number, name, start, end in PHASES
    }
    for service_code, items in SERVICE_PRIORITIES:
        for title, serves in items:
            actions.create_service_priority(
                strategy,
                service=ctx.services[service_code],
                plan_year=2021,
                title=title,
                strategic_priorities=[priorities[n] for n in serves],
                acting_user=user,
            )
    # Savings lines are looked up through the model registry: strategy imports no savings code.
    savings_line = apps.get_model("savings", "SavingsLine")
    for (
        code,
        name,
        phase,
        service,
        lead,
        starts,
        ends,
        status,
        rag,
        reason,
        key,
        enabler,
        serves,
        savings,
        milestones,
    ) in PROJECTS:
        project = actions.create_project(
            strategy,
            code=code,
            name=name,
            kind="project",
            phase=phases[phase],
            service=ctx.services[service] if service else None,
            lead=lead,
            starts_on=starts,
            ends_on=ends,
            status=status,
            rag=rag,
            rag_reason=reason,
            is_key_deliverable=key,
            is_critical_enabler=enabler,
            strategic_priorities=[priorities[n] for n in serves],
            savings_lines=list(savings_line.objects.filter(reference__in=savings)),
            acting_user=user,
        )
        for milestone_name, due, completed, milestone_status in milestones:
            actions.create_milestone(
                project,
                name=milestone_name,
                due_on=due,
                completed_on=completed,
                status=milestone_status,
                acting_user=user,
            )
