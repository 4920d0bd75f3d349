"""The demo workforce: about 1,350 staff on 1 April 2014 falling to about 850 by March 2019.

Deterministic (ctx.rng). Posts are generated per service; each post is filled by a sequence of
people over time with gaps (vacancies). About 540 posts are deleted between July 2014 and March
2019 (the 37% reduction), 5 of them senior management posts in the first year. Agency and interim
cover falls over the years. Staff of services that went back to the boroughs on 31 March 2023
leave the shared service that day (reason: transferred). Bexley employs finance staff from April
2016 to July 2020. About 300 people are furloughed in spring 2020.

History is written with bulk_create in batches (the demo is the one place that bypasses actions),
so large `--scale` runs stay fast.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from onesource.core.demo import (
    BEXLEY_JOINS,
    BEXLEY_LEAVES,
    GO_LIVE,
    RETURNING_AREAS,
    SERVICES_RETURN,
    STAYED_SHARED,
    DemoContext,
    demo_step,
)
from onesource.core.models import Partner, Service
from onesource.workforce.drivers import workforce_changed
from onesource.workforce.models import (
    Assignment,
    ContractPeriod,
    Employee,
    FurloughPeriod,
    Post,
    RiskAssessment,
    Secondment,
    SicknessAbsence,
    TimeSplit,
    TimeSplitShare,
)

TODAY = dt.date(2026, 12, 1)
REDUCTION_ENDS = dt.date(2019, 3, 31)
BATCH = 5000

# Relative size of each service (posts at go-live, scale 1); the 22 weights add to about 1,420 posts.
SERVICE_POSTS = {
    "property-services": 60,
    "facilities-management": 120,
    "capital-programmes": 40,
    "schools-capital": 25,
    "health-safety": 20,
    "legal": 95,
    "governance": 45,
    "revenues": 180,
    "benefits": 170,
    "payroll-pensions": 60,
    "accounts-payable-receivable": 70,
    "business-services": 95,
    "hr-operations": 60,
    "organisational-development": 30,
    "strategic-finance": 80,
    "internal-audit": 30,
    "insurance-risk": 15,
    "ict-infrastructure": 75,
    "business-systems": 40,
    "ict-service-desk": 50,
    "procurement": 40,
    "contract-management": 25,
}
# Grades with (lowest, highest) full-time salary and how often they occur among ordinary posts.
GRADES: list[tuple[str, int, int, int]] = [
    ("Scale 1", 18000, 19500, 3),
    ("Scale 2", 19500, 21000, 6),
    ("Scale 3", 21000, 23500, 10),
    ("Scale 4", 23500, 26000, 12),
    ("Scale 5", 26000, 28500, 11),
    ("Scale 6", 28500, 31000, 10),
    ("SO1", 31000, 33500, 8),
    ("SO2", 33500, 36000, 7),
    ("PO1", 36000, 39000, 6),
    ("PO2", 39000, 42000, 6),
    ("PO3", 42000, 45000, 5),
    ("PO4", 45000, 48000, 4),
    ("PO5", 48000, 51500, 3),
    ("PO6", 51500, 55000, 3),
    ("PO7", 55000, 59000, 2),
    ("PO8", 59000, 63000, 2),
]
FIRST_NAMES = [
    "Aisha",
    "Alan",
    "Amelia",
    "Amir",
    "Ann",
    "Anthony",
    "Barbara",
    "Ben",
    "Carol",
    "Chidi",
    "Chloe",
    "Daniel",
    "David",
    "Deborah",
    "Emma",
    "Fatima",
    "Funmi",
    "George",
    "Grace",
    "Hannah",
    "Harry",
    "Ibrahim",
    "Imran",
    "Jack",
    "James",
    "Jane",
    "Jasmine",
    "John",
    "Joseph",
    "Karen",
    "Kemi",
    "Kevin",
    "Laura",
    "Lee",
    "Linda",
    "Lucy",
    "Mark",
    "Mary",
    "Mohammed",
    "Nadia",
    "Neil",
    "Nicola",
    "Oliver",
    "Olu",
    "Patricia",
    "Paul",
    "Priya",
    "Rachel",
    "Raj",
    "Richard",
    "Rita",
    "Robert",
    "Ruth",
    "Sam",
    "Sarah",
    "Sean",
    "Simon",
    "Sophie",
    "Stephen",
    "Sunita",
    "Susan",
    "Tariq",
    "Thomas",
    "Tom",
    "Victoria",
    "Yusuf",
]
LAST_NAMES = [
    "Adams",
    "Ahmed",
    "Akhtar",
    "Ali",
    "Allen",
    "Asante",
    "Baker",
    "Begum",
    "Bell",
    "Brown",
    "Campbell",
    "Chapman",
    "Clarke",
    "Cole",
    "Collins",
    "Cooper",
    "Davies",
    "Edwards",
    "Evans",
    "Fisher",
    "Green",
    "Hall",
    "Harris",
    "Hill",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Johnson",
    "Jones",
    "Kaur",
    "Khan",
    "King",
    "Lewis",
    "Martin",
    "Mensah",
    "Miah",
    "Mitchell",
    "Moore",
    "Morgan",
    "Murphy",
    "Nwosu",
    "Okafor",
    "Okonkwo",
    "Owen",
    "Palmer",
    "Parker",
    "Patel",
    "Phillips",
    "Price",
    "Rahman",
    "Roberts",
    "Robinson",
    "Scott",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "Turner",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
]
SICKNESS_REASONS = [
    ("minor_illness", 40),
    ("musculoskeletal", 18),
    ("mental_health", 20),
    ("stomach", 10),
    ("injury", 4),
    ("surgery", 4),
    ("other", 4),
]
AGENCIES = ["Hays", "Reed", "Adecco", "Matrix", "Comensura", "Venn Group"]


def _weighted(rng: random.Random, items: list[tuple[Any, int]]) -> Any:
    return rng.choices([item for item, _ in items], weights=[weight for _, weight in items])[0]


def _random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _job_word(grade: str) -> str:
    if grade.startswith(("Scale", "SO")):
        return "Officer"
    return "Manager" if grade >= "PO5" else "Specialist"


def _service_end(service: Service) -> dt.date | None:
    """Posts of services that went back to the boroughs end on the day they went back."""
    if service.area.code in RETURNING_AREAS and service.code not in STAYED_SHARED:
        return SERVICES_RETURN
    return None


class WorkforceBuilder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.multiplier = 1 if not ctx.is_scaled else max(1, ctx.scale // 2)
        synthetic = ctx.extra.get("synthetic_partners", set())
        self.founders = [ctx.partners["NEW"], ctx.partners["HAV"]]
        self.employers: list[Partner] = self.founders + [ctx.partners[c] for c in sorted(synthetic)]
        self.bexley = ctx.partners["BEX"]
        self.posts: list[Post] = []
        self.post_plan: list[dict[str, Any]] = []
        self.employees: list[Employee] = []
        self.person_plan: list[dict[str, Any]] = []
        self.next_staff_number = 100000

    # Posts

    def plan_posts(self) -> None:
        services = self.ctx.services
        reference = 0

        def add(service: Service, title: str, grade: str, salary: int, **extra: Any) -> dict[str, Any]:
            nonlocal reference
            reference += 1
            plan = {
                "service": service,
                "reference": f"P-{reference:06d}",
                "title": title,
                "grade": grade,
                "salary": salary,
                "fte": extra.pop("fte", Decimal("1.00")),
                "starts_on": extra.pop("starts_on", GO_LIVE),
                "ends_on": extra.pop("ends_on", _service_end(service)),
                "senior": extra.pop("senior", False),
                "funded_by": extra.pop("funded_by", service.owner_partner),
                **extra,
            }
            self.post_plan.append(plan)
            return plan

        managing = add(
            services["legal"],
            "Managing Director of oneSource",
            "Chief",
            185000,
            senior=True,
            responsibilities="Leads the shared service for all partners.",
        )
        directors: dict[str, dict[str, Any]] = {}
        for service in services.values():
            area = service.area
            if area.code not in directors:
                directors[area.code] = add(
                    service,
                    f"Director of {area.name}",
                    "Director",
                    self.rng.randint(120, 140) * 1000,
                    senior=True,
                    reports_to=managing,
                    responsibilities=f"Leads {area.name} for the partners.",
                )
            head = add(
                service,
                f"Head of {service.name}",
                self.rng.choice(["Senior 1", "Senior 2", "Senior 3"]),
                self.rng.randint(72, 105) * 1000,
                senior=True,
                reports_to=directors[area.code],
                responsibilities=f"Runs {service.name}.",
            )
            ordinary = SERVICE_POSTS.get(service.code, 30) * self.multiplier - 1
            for _ in range(ordinary):
                grade, low, high, _weight = self.rng.choices(GRADES, weights=[g[3] for g in GRADES])[0]
                fte = (
                    Decimal("1.00")
                    if self.rng.random() < 0.85
                    else self.rng.choice([Decimal("0.50"), Decimal("0.60"), Decimal("0.80")])
                )
                add(
                    service,
                    f"{service.name.split(' (')[0]} {_job_word(grade)}",
                    grade,
                    self.rng.randint(low, high),
                    fte=fte,
                    reports_to=head,
                )
        # Bexley's finance staff, April 2016 to July 2020.
        for service in (
            services["strategic-finance"],
            services["internal-audit"],
            services["insurance-risk"],
        ):
            for _ in range(12 * self.multiplier):
                grade, low, high, _weight = self.rng.choice(GRADES[6:])
                add(
                    service,
                    f"{service.name} Officer (Bexley)",
                    grade,
                    self.rng.randint(low, high),
                    starts_on=BEXLEY_JOINS,
                    ends_on=BEXLEY_LEAVES,
                    funded_by=self.bexley,
                )
        self._delete_posts_in_the_reduction()

    def _delete_posts_in_the_reduction(self) -> None:
        """Delete about 37% of the go-live establishment by March 2019; 5 senior posts in year one."""
        at_go_live = [p for p in self.post_plan if p["starts_on"] == GO_LIVE]
        heads = [p for p in at_go_live if p["senior"] and p["grade"] != "Chief" and p["grade"] != "Director"]
        for plan in self.rng.sample(heads, 5):
            plan["ends_on"] = _random_day(self.rng, dt.date(2014, 9, 30), dt.date(2015, 3, 30))
        ordinary = [p for p in at_go_live if not p["senior"]]
        to_delete = round(len(at_go_live) * 0.41) - 5
        # Earlier years cut more: about 30%, 25%, 20%, 15%, 10% of the deletions in 2014/15 to 2018/19.
        years = [2014] * 30 + [2015] * 25 + [2016] * 20 + [2017] * 15 + [2018] * 10
        for plan in self.rng.sample(ordinary, to_delete):
            year = self.rng.choice(years)
            first = dt.date(year, 7, 1) if year == 2014 else dt.date(year, 4, 1)
            deleted = _random_day(self.rng, first, dt.date(year + 1, 3, 30))
            if plan["ends_on"] is None or deleted < plan["ends_on"]:
                plan["ends_on"] = deleted

    # People

    def _agency_share(self, day: dt.date) -> float:
        """The chance a new occupant is agency: 14% at go-live falling to 4% from 2019."""
        years = (day - GO_LIVE).days / 365.25
        return max(0.04, 0.14 - 0.02 * years)

    def _employer(self, plan: dict[str, Any]) -> Partner:
        if plan["funded_by"] is not None:
            return plan["funded_by"]
        return self.rng.choice(self.employers)

    def plan_people(self) -> None:
        rng = self.rng
        for plan in self.post_plan:
            post_end = plan["ends_on"] or TODAY
            day = plan["starts_on"]
            first = True
            while day <= post_end:
                if first and day == GO_LIVE and rng.random() < 0.05:
                    day += dt.timedelta(days=rng.randint(20, 150))  # vacant at go-live
                    first = False
                    continue
                kind = "permanent"
                roll = rng.random()
                agency = self._agency_share(day)
                if (plan["senior"] or plan["grade"] in ("PO6", "PO7", "PO8")) and roll < agency * 1.5:
                    kind = "interim"
                elif not plan["senior"] and roll < agency:
                    kind = "agency"
                elif roll < agency + 0.05:
                    kind = "fixed_term"
                if kind in ("agency", "interim"):
                    tenure = rng.randint(90, 720)
                elif kind == "fixed_term":
                    tenure = rng.randint(180, 730)
                else:
                    tenure = int(rng.expovariate(1 / 3300)) + 90  # mean about nine years
                end = day + dt.timedelta(days=tenure)
                reason = (
                    {
                        "agency": "end_of_contract",
                        "interim": "end_of_contract",
                        "fixed_term": "end_of_contract",
                    }[kind]
                    if kind != "permanent"
                    else rng.choice(["resignation"] * 6 + ["retirement"] * 3 + ["other"])
                )
                if end >= post_end:
                    end = post_end
                    if plan["ends_on"] is None:
                        end, reason = None, ""  # still in post
                    elif (
                        plan["ends_on"] == SERVICES_RETURN and plan["service"].code not in STAYED_SHARED
                    ) or (plan["ends_on"] == BEXLEY_LEAVES and plan["funded_by"] == self.bexley):
                        reason = "transfer"
                    elif kind == "permanent":
                        reason = rng.choice(["redundancy", "voluntary_redundancy", "voluntary_redundancy"])
                started_on = day
                if first and day == GO_LIVE:
                    started_on = _random_day(rng, dt.date(1988, 1, 1), dt.date(2014, 3, 1))
                self.person_plan.append(
                    {
                        "post": plan,
                        "kind": kind,
                        "starts_on": day,
                        "started_on": started_on,
                        "ends_on": end,
                        "reason": reason,
                        "employer": self._employer(plan),
                    }
                )
                first = False
                if end is None:
                    break
                day = end + dt.timedelta(
                    days=rng.randint(1, 40) if rng.random() < 0.8 else rng.randint(40, 200)
                )

    # Writing

    def write(self) -> None:
        rng = self.rng
        by_ref: dict[str, Post] = {}
        posts = []
        for plan in self.post_plan:
            post = Post(
                service=plan["service"],
                reference=plan["reference"],
                title=plan["title"],
                grade=plan["grade"],
                fte=plan["fte"],
                budgeted_annual_cost=(Decimal(plan["salary"]) * plan["fte"] * Decimal("1.30")).quantize(
                    Decimal("0.01")
                ),
                responsibilities=plan.get("responsibilities", ""),
                is_senior_management=plan["senior"],
                funded_by=plan["funded_by"],
                starts_on=plan["starts_on"],
                ends_on=plan["ends_on"],
            )
            posts.append(post)
        Post.objects.bulk_create(posts, batch_size=BATCH)
        for plan, post in zip(self.post_plan, posts, strict=True):
            plan["object"] = post
            by_ref[plan["reference"]] = post
        reporting = []
        for plan in self.post_plan:
            if plan.get("reports_to"):
                plan["object"].reports_to = plan["reports_to"]["object"]
                reporting.append(plan["object"])
        Post.objects.bulk_update(reporting, ["reports_to"], batch_size=BATCH)

        employees = []
        for person in self.person_plan:
            self.next_staff_number += 1
            employees.append(
                Employee(
                    staff_number=f"S{self.next_staff_number:07d}",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    employing_partner=person["employer"],
                    started_on=person["started_on"],
                    left_on=person["ends_on"],
                    leaving_reason=person["reason"],
                )
            )
        Employee.objects.bulk_create(employees, batch_size=BATCH)

        assignments, contracts, splits, sickness = [], [], [], []
        split_shares: list[tuple[TimeSplit, list[tuple[Partner, Decimal]]]] = []
        for person, employee in zip(self.person_plan, employees, strict=True):
            plan = person["post"]
            start, end = person["starts_on"], person["ends_on"]
            salary = Decimal(plan["salary"])
            assignments.append(
                Assignment(
                    employee=employee,
                    post=plan["object"],
                    fte=plan["fte"],
                    salary=salary,
                    starts_on=start,
                    ends_on=end,
                )
            )
            cost = None
            supplier = ""
            contract_end = end
            if person["kind"] in ("agency", "interim"):
                contract_end = end or dt.date(2027, 3, 31)
                day_rate = Decimal(
                    rng.randint(140, 260) if person["kind"] == "agency" else rng.randint(550, 950)
                )
                working_days = ((contract_end - start).days + 1) * 5 // 7
                cost = day_rate * working_days * plan["fte"]
                supplier = rng.choice(AGENCIES)
                if end is None:
                    employee.left_on = contract_end
                    employee.leaving_reason = "end_of_contract"
                    person["ends_on"] = contract_end
                    assignments[-1].ends_on = contract_end
            contracts.append(
                ContractPeriod(
                    employee=employee,
                    contract_type=person["kind"],
                    starts_on=start,
                    ends_on=contract_end,
                    cost=cost,
                    supplier=supplier,
                )
            )
            if plan["funded_by"] is None and person["employer"] in self.founders and rng.random() < 0.6:
                other = self.founders[1] if person["employer"] == self.founders[0] else self.founders[0]
                own = rng.choice([Decimal(60), Decimal(60), Decimal(50), Decimal(70)])
                split = TimeSplit(employee=employee, starts_on=start, ends_on=person["ends_on"])
                splits.append(split)
                split_shares.append((split, [(person["employer"], own), (other, Decimal(100) - own)]))
            sickness.extend(self._sickness(employee, start, person["ends_on"], plan["fte"]))
        Employee.objects.bulk_update(
            [
                e
                for e in employees
                if e.leaving_reason == "end_of_contract" and e.left_on and e.left_on > TODAY
            ],
            ["left_on", "leaving_reason"],
            batch_size=BATCH,
        )
        Assignment.objects.bulk_create(assignments, batch_size=BATCH)
        ContractPeriod.objects.bulk_create(contracts, batch_size=BATCH)
        TimeSplit.objects.bulk_create(splits, batch_size=BATCH)
        TimeSplitShare.objects.bulk_create(
            [
                TimeSplitShare(split=split, partner=partner, percent=percent)
                for split, shares in split_shares
                for partner, percent in shares
            ],
            batch_size=BATCH,
        )
        SicknessAbsence.objects.bulk_create(sickness, batch_size=BATCH)
        self._furlough_secondments_and_assessments(employees)
        self.ctx.log(f"  {len(posts)} posts, {len(employees)} people, {len(sickness)} sickness absences")

    def _sickness(
        self, employee: Employee, start: dt.date, end: dt.date | None, fte: Decimal
    ) -> list[SicknessAbsence]:
        """About 9 working days lost per FTE a year: spells of a few days, now and then a long one."""
        rng = self.rng
        last = min(end or TODAY, TODAY)
        absences = []
        day = start + dt.timedelta(days=int(rng.expovariate(1 / 190)))
        while day < last:
            reason = _weighted(rng, SICKNESS_REASONS)
            if rng.random() < 0.06:
                working = rng.randint(20, 60)
                reason = rng.choice(["musculoskeletal", "mental_health", "surgery"])
            else:
                working = rng.randint(1, 5)
            if day.year == 2020 and 3 <= day.month <= 6 and rng.random() < 0.4:
                reason = "covid"
            calendar = working * 7 // 5 + (0 if working % 5 == 0 else 1)
            ends = min(day + dt.timedelta(days=calendar - 1), last)
            working = min(working, (ends - day).days + 1)
            lost = (Decimal(working) * fte).quantize(Decimal("0.5")) or Decimal("0.5")
            absences.append(
                SicknessAbsence(
                    employee=employee, starts_on=day, ends_on=ends, working_days_lost=lost, reason=reason
                )
            )
            day = ends + dt.timedelta(days=int(rng.expovariate(1 / 190)) + 1)
        return absences

    def _furlough_secondments_and_assessments(self, employees: list[Employee]) -> None:
        rng = self.rng
        spring = dt.date(2020, 4, 1)
        furlough_services = {
            "facilities-management",
            "property-services",
            "business-services",
            "capital-programmes",
        }
        in_post = [
            (person, employee)
            for person, employee in zip(self.person_plan, employees, strict=True)
            if person["starts_on"] <= spring
            and (person["ends_on"] is None or person["ends_on"] >= dt.date(2020, 7, 31))
        ]
        candidates = [pair for pair in in_post if pair[0]["post"]["service"].code in furlough_services]
        others = [pair for pair in in_post if pair[0]["post"]["service"].code not in furlough_services]
        wanted = 300 * self.multiplier
        chosen = rng.sample(candidates, min(len(candidates), wanted))
        chosen += rng.sample(others, min(len(others), wanted - len(chosen)))
        FurloughPeriod.objects.bulk_create(
            [
                FurloughPeriod(
                    employee=employee,
                    starts_on=_random_day(rng, dt.date(2020, 3, 23), dt.date(2020, 4, 20)),
                    ends_on=_random_day(rng, dt.date(2020, 6, 1), dt.date(2020, 7, 31)),
                    note="Coronavirus Job Retention Scheme",
                )
                for _, employee in chosen
            ],
            batch_size=BATCH,
        )
        secondable = [
            (person, employee) for person, employee in in_post if person["employer"] in self.founders
        ]
        secondments = []
        for person, employee in rng.sample(secondable, min(len(secondable), 20 * self.multiplier)):
            other = self.founders[1] if person["employer"] == self.founders[0] else self.founders[0]
            first = max(person["starts_on"], dt.date(2017, 1, 1))
            if first > dt.date(2019, 6, 1):
                continue
            start = _random_day(rng, first, dt.date(2019, 6, 1))
            secondments.append(
                Secondment(
                    employee=employee,
                    from_partner=person["employer"],
                    to_partner=other,
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=rng.randint(90, 300)),
                    note="Project support",
                )
            )
        Secondment.objects.bulk_create(secondments, batch_size=BATCH)
        RiskAssessment.objects.bulk_create(
            [
                RiskAssessment(
                    employee=employee,
                    kind="covid",
                    assessed_on=_random_day(rng, dt.date(2020, 6, 1), dt.date(2020, 9, 30)),
                    review_on=dt.date(2021, 3, 31),
                    outcome="Workplace adjustments agreed: home working and a phased return.",
                )
                for _, employee in rng.sample(in_post, min(len(in_post), 120 * self.multiplier))
            ],
            batch_size=BATCH,
        )


@demo_step(20, "workforce")
def build_workforce(ctx: DemoContext) -> None:
    builder = WorkforceBuilder(ctx)
    builder.plan_posts()
    builder.plan_people()
    builder.write()
    workforce_changed()  # written in bulk, so no signal told the cached drivers
