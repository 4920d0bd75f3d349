"""The demo partnership, generated deterministically (no data is downloaded).

Apps add to the demo with `@demo_step(order, "name")` in their own `demo.py`; `build_demo` runs
every step in order. The core step (order 10) makes the partnership; workforce, costing and
performance steps follow. `scale` > 1 builds a larger synthetic partnership of that many
partners for benchmarks.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils.module_loading import autodiscover_modules

from onesource.core import actions
from onesource.core.models import Partner, Service, ServiceArea, User
from onesource.core.roles import ALL_PARTNER_ROLES, Role
from onesource.core.versions import forget_data_versions

DEMO_PASSWORD = "onesource-demo"  # noqa: S105 - published in the README for the demo
GO_LIVE = dt.date(2014, 4, 1)
BEXLEY_JOINS = dt.date(2016, 4, 1)
BEXLEY_LEAVES = dt.date(2020, 7, 31)
SERVICES_RETURN = dt.date(2023, 3, 31)  # last day HR, ICT, procurement, assets and finance were shared

PARTNER_ROLE_USERNAMES = {
    Role.PARTNER_OFFICER: "officer",
    Role.FINANCE_OFFICER: "finance",
    Role.HR_OFFICER: "hr",
    Role.COMMITTEE_MEMBER: "member",
    Role.PROCUREMENT_OFFICER: "procurement",
}


@dataclass
class DemoContext:
    scale: int
    rng: random.Random
    system_user: User
    log: Callable[[str], None]
    partners: dict[str, Partner] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_scaled(self) -> bool:
        return self.scale > 1


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    run: Callable[[DemoContext], None]


DEMO_STEPS: list[DemoStep] = []


def demo_step(
    order: int, name: str
) -> Callable[[Callable[[DemoContext], None]], Callable[[DemoContext], None]]:
    def register(run: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        if not any(step.name == name for step in DEMO_STEPS):
            DEMO_STEPS.append(DemoStep(order, name, run))
        return run

    return register


def build_demo(*, scale: int = 1, log: Callable[[str], None] = print) -> DemoContext:
    autodiscover_modules("demo")
    # The demo writes in bulk (no signals) over whatever was there: no cached figure may outlive it.
    forget_data_versions()
    system_user = User.objects.create_superuser("admin", "admin@onesource.example", DEMO_PASSWORD)
    system_user.first_name, system_user.last_name = "Platform", "Admin"
    system_user.save()
    ctx = DemoContext(scale=scale, rng=random.Random(20140401), system_user=system_user, log=log)
    for step in sorted(DEMO_STEPS, key=lambda s: s.order):
        log(f"Demo: {step.name}…")
        step.run(ctx)
    forget_data_versions()
    return ctx


# The partnership itself

MEMBERS = [
    # code, name, GSS code, founder, joined, left
    ("NEW", "London Borough of Newham", "E09000025", True, GO_LIVE, None),
    ("HAV", "London Borough of Havering", "E09000016", True, GO_LIVE, None),
    ("BEX", "London Borough of Bexley", "E09000004", False, BEXLEY_JOINS, BEXLEY_LEAVES),
]
CUSTOMERS = [
    # code, name, GSS code, from, to, services bought
    ("NOR", "Norfolk County Council", "E10000020", dt.date(2017, 4, 1), None, ["business-systems"]),
    ("THU", "Thurrock Council", "E06000034", dt.date(2015, 10, 1), dt.date(2021, 3, 31), ["legal"]),
    ("BAS", "Basildon Borough Council", "E07000066", dt.date(2016, 4, 1), None, ["legal"]),
    ("RED", "London Borough of Redbridge", "E09000026", dt.date(2018, 4, 1), None, ["internal-audit"]),
    ("STE", "Stevenage Borough Council", "E07000243", dt.date(2019, 1, 1), None, ["business-systems"]),
    ("ESS", "Essex County Council", "E10000012", dt.date(2016, 7, 1), dt.date(2022, 6, 30), ["procurement"]),
    ("WAL", "London Borough of Waltham Forest", "E09000031", dt.date(2017, 9, 1), None, ["internal-audit"]),
    ("BAR", "London Borough of Barking and Dagenham", "E09000002", dt.date(2015, 4, 1), None, ["legal"]),
]

# Seven service areas holding 22 services: (area code, area, returns to the boroughs in 2023, services)
# A service is (code, name, head of service, owning partner if partner-specific).
AREAS: list[tuple[str, str, bool, list[tuple[str, str, str, str | None]]]] = [
    (
        "asset-management",
        "Asset Management",
        True,
        [
            ("property-services", "Property Services", "Garry Knight", None),
            ("facilities-management", "Facilities Management", "Maria Okafor", None),
            ("capital-programmes", "Capital Programmes", "Tom Ellison", None),
            ("schools-capital", "Schools Capital Programme", "Priya Raman", "NEW"),
            ("health-safety", "Health & Safety", "Dean Rowe", None),
        ],
    ),
    (
        "legal-governance",
        "Legal & Governance",
        False,
        [
            ("legal", "Legal Services", "Daniel Fenwick", None),
            ("governance", "Governance & Committee Services", "Sarah Lyons", None),
        ],
    ),
    (
        "exchequer-transactional",
        "Exchequer & Transactional",
        False,
        [
            ("revenues", "Revenues (Council Tax and Business Rates)", "Jacqueline Moss", None),
            ("benefits", "Benefits", "Kwame Asante", None),
            ("payroll-pensions", "Payroll & Pensions Administration", "Helen Carter", None),
            ("accounts-payable-receivable", "Accounts Payable & Receivable", "Imran Qureshi", None),
            ("business-services", "Business Services", "Lucy Hammond", None),
        ],
    ),
    (
        "hr-od",
        "HR & Organisational Development",
        True,
        [
            ("hr-operations", "HR Operations & Casework", "Angela Price", None),
            ("organisational-development", "Organisational Development & Learning", "Martin Doyle", None),
        ],
    ),
    (
        "finance",
        "Finance",
        True,
        [
            ("strategic-finance", "Strategic & Technical Finance", "Rebecca Stone", None),
            ("internal-audit", "Internal Audit & Counter Fraud", "Neil Foster", None),
            ("insurance-risk", "Insurance & Risk Management", "Olu Adeyemi", None),
        ],
    ),
    (
        "ict",
        "ICT",
        True,
        [
            ("ict-infrastructure", "ICT Infrastructure & Operations", "Simon Grant", None),
            ("business-systems", "Business Systems", "Claire Whitfield", None),
            ("ict-service-desk", "ICT Service Desk", "Paul Nwosu", None),
        ],
    ),
    (
        "procurement",
        "Procurement",
        True,
        [
            ("procurement", "Strategic Procurement", "Hannah Brooks", None),
            ("contract-management", "Contract Management", "Raj Patel", None),
        ],
    ),
]
RETURNING_AREAS = {code for code, _, returns, _ in AREAS if returns}
# Business systems stayed shared in 2023 although the rest of ICT went back to the boroughs.
STAYED_SHARED = {"business-systems"}


@demo_step(10, "partnership")
def build_partnership(ctx: DemoContext) -> None:
    user = ctx.system_user
    actions.ensure_financial_years(2014, 2026, acting_user=user)
    for code, name, gss, founder, joined, left in MEMBERS:
        partner = actions.create_partner(
            code=code, name=name, gss_code=gss, kind="member", is_founder=founder, acting_user=user
        )
        actions.add_membership(partner, joined_on=joined, left_on=left, acting_user=user)
        ctx.partners[code] = partner
    for code, name, gss, joined, left, _ in CUSTOMERS:
        partner = actions.create_partner(
            code=code, name=name, gss_code=gss, kind="customer", acting_user=user
        )
        actions.add_membership(
            partner, joined_on=joined, left_on=left, note="Traded services", acting_user=user
        )
        ctx.partners[code] = partner

    for area_code, area_name, returns, services in AREAS:
        area = actions.create_service_area(code=area_code, name=area_name, acting_user=user)
        for code, name, head, owner_code in services:
            service = actions.create_service(
                area=area,
                code=code,
                name=name,
                sharing="partner_specific" if owner_code else "shared",
                owner_partner=ctx.partners[owner_code] if owner_code else None,
                lead_partner=ctx.partners["NEW"] if len(ctx.services) % 2 == 0 else ctx.partners["HAV"],
                head_of_service=head,
                acting_user=user,
            )
            ctx.services[code] = service
            receivers = [owner_code] if owner_code else ["NEW", "HAV"]
            returned = returns and code not in STAYED_SHARED
            for partner_code in receivers:
                actions.create_coverage(
                    service=service,
                    partner=ctx.partners[partner_code],
                    starts_on=GO_LIVE,
                    ends_on=SERVICES_RETURN if returned else None,
                    end_reason="returned" if returned else "",
                    acting_user=user,
                )
            if area_code == "finance":
                actions.create_coverage(
                    service=service,
                    partner=ctx.partners["BEX"],
                    starts_on=BEXLEY_JOINS,
                    ends_on=BEXLEY_LEAVES,
                    end_reason="partner_left",
                    acting_user=user,
                )
    for code, _, _, joined, left, bought in CUSTOMERS:
        for service_code in bought:
            service = ctx.services[service_code]
            end = left
            if service_code not in STAYED_SHARED and service.area.code in RETURNING_AREAS:
                end = min(left or SERVICES_RETURN, SERVICES_RETURN)
            actions.create_coverage(
                service=service,
                partner=ctx.partners[code],
                starts_on=joined,
                ends_on=end,
                end_reason="contract_ended" if end else "",
                note="Traded service",
                acting_user=user,
            )
    if ctx.is_scaled:
        _add_synthetic_partners(ctx)
    _add_demo_users(ctx)


def synthetic_code(index: int) -> str:
    """Codes for synthetic partners: XAA, XAB, … (no real partner's code starts with X)."""
    first, second = divmod(index, 26)
    return "X" + chr(ord("A") + first % 26) + chr(ord("A") + second)


def _add_synthetic_partners(ctx: DemoContext) -> None:
    user = ctx.system_user
    shared = [s for s in ctx.services.values() if s.sharing == "shared"]
    for index in range(max(ctx.scale - len(ctx.partners), 0)):
        code = synthetic_code(index)
        partner = actions.create_partner(
            code=code,
            name=f"Synthetic Council {code}",
            gss_code=f"E99{index:06d}",
            kind="member",
            acting_user=user,
        )
        actions.add_membership(partner, joined_on=GO_LIVE, acting_user=user)
        ctx.partners[code] = partner
        ctx.extra.setdefault("synthetic_partners", set()).add(code)
        for service in shared:
            actions.create_coverage(service=service, partner=partner, starts_on=GO_LIVE, acting_user=user)


def _add_demo_users(ctx: DemoContext) -> None:
    user = ctx.system_user
    actions.assign_role(user, Role.PLATFORM_ADMIN, acting_user=user)
    manager = actions.create_user(
        username="manager",
        password=DEMO_PASSWORD,
        first_name="Shared-Service",
        last_name="Manager",
        acting_user=user,
    )
    actions.assign_role(manager, Role.SHARED_SERVICE_MANAGER, acting_user=user)
    finance_lead = actions.create_user(
        username="finance-lead",
        password=None,
        first_name="Shared-Service",
        last_name="Finance Lead",
        acting_user=user,
    )
    actions.assign_role(finance_lead, Role.SHARED_SERVICE_FINANCE, acting_user=user)
    synthetic = ctx.extra.get("synthetic_partners", set())
    real_partners = [p for code, p in ctx.partners.items() if code not in synthetic]
    # A synthetic partner gets only its finance officer, who signs off its statements.
    people = [(p, role, suffix) for p in real_partners for role, suffix in PARTNER_ROLE_USERNAMES.items()]
    people += [(ctx.partners[code], Role.FINANCE_OFFICER, "finance") for code in sorted(synthetic)]
    for partner, role, suffix in people:
        assert role not in ALL_PARTNER_ROLES
        person = actions.create_user(
            username=f"{partner.code.lower()}-{suffix}",
            password=None,
            first_name=partner.code,
            last_name=Role(role).label,
            acting_user=user,
        )
        actions.assign_role(person, role, partner, acting_user=user)
    # Every demo user shares one password: hash it once (Argon2 is slow on purpose) rather than 46 times.
    User.objects.exclude(pk=user.pk).update(password=make_password(DEMO_PASSWORD))


def service_area_by_code(code: str) -> ServiceArea:
    return ServiceArea.objects.get(code=code)
