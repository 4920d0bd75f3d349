"""Local Government Transparency Code 2015 datasets about a partner's workforce, for a chosen date.

- Senior salaries: every employee of the partner whose full-time-equivalent salary is £50,000 or
  more, in £5,000 bands (£50,000 to £54,999, ...), with job title, responsibilities and service;
  names only for salaries of £150,000 and over.
- Organisation chart: the top three levels of the establishment (posts and whom they report to).
- Pay multiple: the highest salary divided by the median salary of the partner's employees.

The rules are plain functions over plain rows (`SalaryRow`, `ChartPost`), so they can be checked by
hand; `senior_salaries`, `org_chart` and `pay_multiple` gather the rows from the database.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from onesource.core.csvio import csv_writer

SENIOR_SALARY_FROM = Decimal("50000")
NAMED_SALARY_FROM = Decimal("150000")
BAND_WIDTH = Decimal("5000")
ORG_CHART_LEVELS = 3


@dataclass(frozen=True)
class SalaryRow:
    """One person in post on the date: what the datasets need to know about them."""

    staff_number: str
    name: str
    post_number: str
    title: str
    service: str
    responsibilities: str
    salary: Decimal  # full-time-equivalent annual salary
    contract_type: str = ""
    grade: str = ""


@dataclass(frozen=True)
class SalaryBand:
    lower: Decimal
    upper: Decimal  # inclusive, to the penny: 54,999.99 is still in the £50,000 band

    @property
    def label(self) -> str:
        return f"£{self.lower:,.0f} to £{self.upper.to_integral_value(ROUND_FLOOR):,.0f}"


def salary_band(salary: Decimal) -> SalaryBand:
    lower = (salary / BAND_WIDTH).to_integral_value(ROUND_FLOOR) * BAND_WIDTH
    return SalaryBand(lower, lower + BAND_WIDTH - Decimal("0.01"))


def is_senior(salary: Decimal) -> bool:
    return salary >= SENIOR_SALARY_FROM


def shows_name(salary: Decimal) -> bool:
    return salary >= NAMED_SALARY_FROM


@dataclass(frozen=True)
class SeniorSalary:
    post_number: str
    title: str
    service: str
    responsibilities: str
    band: SalaryBand
    name: str  # blank below £150,000
    contract_type: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "post_number": self.post_number,
            "job_title": self.title,
            "service": self.service,
            "responsibilities": self.responsibilities,
            "salary_band_from": str(self.band.lower),
            "salary_band_to": str(self.band.upper),
            "salary_band": self.band.label,
            "name": self.name,
            "contract_type": self.contract_type,
        }


SENIOR_SALARY_COLUMNS = [
    ("post_number", "Post number"),
    ("job_title", "Job title"),
    ("service", "Service"),
    ("responsibilities", "Responsibilities"),
    ("salary_band_from", "Salary band from (£)"),
    ("salary_band_to", "Salary band to (£)"),
    ("name", "Name (£150,000 and over)"),
    ("contract_type", "Contract type"),
]


def senior_salary_rows(rows: Iterable[SalaryRow]) -> list[SeniorSalary]:
    """The senior salaries dataset from everyone in post: highest band first, then by service and title."""
    found = [
        SeniorSalary(
            post_number=r.post_number,
            title=r.title,
            service=r.service,
            responsibilities=r.responsibilities,
            band=salary_band(r.salary),
            name=r.name if shows_name(r.salary) else "",
            contract_type=r.contract_type,
        )
        for r in rows
        if is_senior(r.salary)
    ]
    return sorted(found, key=lambda s: (-s.band.lower, s.service, s.title, s.post_number))


@dataclass(frozen=True)
class PayMultiple:
    highest: Decimal
    median: Decimal
    multiple: Decimal  # highest ÷ median, to two places
    employees: int

    @property
    def label(self) -> str:
        return f"1:{self.multiple}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "highest_salary": str(self.highest),
            "median_salary": str(self.median),
            "pay_multiple": str(self.multiple),
            "ratio": self.label,
            "employees": self.employees,
        }


def pay_multiple_of(salaries: Sequence[Decimal]) -> PayMultiple | None:
    """Highest ÷ median of the salaries; None when there is nobody (or the median is nothing)."""
    if not salaries:
        return None
    median = Decimal(statistics.median(salaries)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    highest = Decimal(max(salaries)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if median <= 0:
        return None
    return PayMultiple(
        highest=highest,
        median=median,
        multiple=(highest / median).quantize(Decimal("0.01"), ROUND_HALF_UP),
        employees=len(salaries),
    )


@dataclass(frozen=True)
class ChartPost:
    """A post for the organisation chart; `reports_to` is the post number it reports to, if any."""

    post_number: str
    title: str
    service: str
    reports_to: str
    holder: str = ""  # blank when vacant, or withheld below £150,000
    salary_band: str = ""
    employer: str = ""
    vacant: bool = False


@dataclass
class ChartNode:
    post: ChartPost
    level: int
    children: list[ChartNode]

    def as_dict(self) -> dict[str, Any]:
        return {
            "post_number": self.post.post_number,
            "title": self.post.title,
            "service": self.post.service,
            "reports_to": self.post.reports_to,
            "level": self.level,
            "holder": self.post.holder,
            "salary_band": self.post.salary_band,
            "employer": self.post.employer,
            "vacant": self.post.vacant,
            "reports": [c.as_dict() for c in self.children],
        }


def top_levels(posts: Iterable[ChartPost], levels: int = ORG_CHART_LEVELS) -> list[ChartNode]:
    """The trees of the top `levels` levels: roots are posts reporting to no post in the set.

    A loop in reporting lines (A reports to B reports to A) has no top, so it is left out rather
    than followed forever.
    """
    by_number = {p.post_number: p for p in posts}
    children: dict[str, list[ChartPost]] = {}
    roots: list[ChartPost] = []
    for post in by_number.values():
        if post.reports_to and post.reports_to in by_number and post.reports_to != post.post_number:
            children.setdefault(post.reports_to, []).append(post)
        else:
            roots.append(post)

    def order(items: list[ChartPost]) -> list[ChartPost]:
        return sorted(items, key=lambda p: (p.service, p.title, p.post_number))

    def build(post: ChartPost, level: int) -> ChartNode:
        below = order(children.get(post.post_number, [])) if level < levels else []
        return ChartNode(post, level, [build(c, level + 1) for c in below])

    return [build(r, 1) for r in order(roots)]


def flatten(nodes: Iterable[ChartNode]) -> list[ChartNode]:
    """Depth-first, each post followed by its reports: the order of the CSV and the page's table."""
    out: list[ChartNode] = []

    def walk(node: ChartNode) -> None:
        out.append(node)
        for child in node.children:
            walk(child)

    for node in nodes:
        walk(node)
    return out


ORG_CHART_COLUMNS = [
    ("level", "Level"),
    ("post_number", "Post number"),
    ("title", "Job title"),
    ("service", "Service"),
    ("reports_to", "Reports to (post number)"),
    ("holder", "Post holder (£150,000 and over)"),
    ("salary_band", "Salary band"),
    ("employer", "Employed by"),
    ("vacant", "Vacant"),
]


def dataset_rows(dataset: str, data: Any) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """The columns and rows of a dataset as it goes into a CSV file."""
    if dataset == "senior-salaries":
        return SENIOR_SALARY_COLUMNS, [s.as_dict() for s in data]
    if dataset == "org-chart":
        rows = []
        for node in flatten(data):
            row = node.as_dict()
            row.pop("reports")
            row["vacant"] = "yes" if row["vacant"] else "no"
            rows.append(row)
        return ORG_CHART_COLUMNS, rows
    if dataset == "pay-multiple":
        columns = [
            ("date", "Date"),
            ("employees", "Employees"),
            ("highest_salary", "Highest salary (£)"),
            ("median_salary", "Median salary (£)"),
            ("pay_multiple", "Pay multiple"),
        ]
        return columns, [data] if data else []
    raise ValueError(f"Unknown dataset {dataset!r}")


DATASETS = {
    "senior-salaries": "Senior salaries",
    "org-chart": "Organisation chart",
    "pay-multiple": "Pay multiple",
}


def default_date() -> dt.date:
    """The Code asks for data as at 31 March; default to the latest 31 March that has passed."""
    today = dt.date.today()
    year = today.year if today >= dt.date(today.year, 3, 31) else today.year - 1
    return dt.date(year, 3, 31)


# Gathering the rows from the database, for one partner the user may see.


def partner_for(user: Any, code: str) -> Any:
    """The partner with this code, if the user may see it; otherwise the same 404 as a missing one."""
    from onesource.core.models import Partner
    from onesource.core.scoping import get_scoped_or_404

    return get_scoped_or_404(Partner.objects.all(), user, code=code.upper())


def _in_post(user: Any, partner: Any, day: dt.date) -> Any:
    """Assignments on `day` of people the partner employs on that day, as the user may read them."""
    from onesource.workforce.models import Assignment, Employee

    return (
        Assignment.objects.restrict(user)
        .filter(Assignment.active_q(day), Employee.employed_q(day, "employee__"))
        .filter(employee__employing_partner=partner)
    )


def _contract_types(employee_ids: Iterable[int], day: dt.date) -> dict[int, str]:
    from onesource.workforce.models import ContractPeriod

    return dict(
        ContractPeriod.objects.filter(ContractPeriod.active_q(day), employee_id__in=list(employee_ids))
        .order_by("employee_id", "starts_on")
        .values_list("employee_id", "contract_type")
    )


def salary_rows(user: Any, partner: Any, day: dt.date) -> list[SalaryRow]:
    """Everyone the partner employs in post on the day, one row per post held (with a salary recorded)."""
    assignments = list(
        _in_post(user, partner, day)
        .filter(salary__isnull=False)
        .select_related("employee", "post__service")
        .order_by("post__reference", "employee__staff_number")
    )
    contract = _contract_types({a.employee_id for a in assignments if a.salary and is_senior(a.salary)}, day)
    return [
        SalaryRow(
            staff_number=a.employee.staff_number,
            name=a.employee.full_name,
            post_number=a.post.reference,
            title=a.post.title,
            service=a.post.service.name,
            responsibilities=a.post.responsibilities,
            salary=a.salary,
            contract_type=contract.get(a.employee_id, ""),
            grade=a.post.grade,
        )
        for a in assignments
    ]


def senior_salaries(user: Any, partner: Any, day: dt.date) -> list[SeniorSalary]:
    from onesource.workforce.models import ContractType

    labels = dict(ContractType.choices)
    rows = [
        SalaryRow(**{**r.__dict__, "contract_type": str(labels.get(r.contract_type, r.contract_type))})
        for r in salary_rows(user, partner, day)
        if is_senior(r.salary)
    ]
    return senior_salary_rows(rows)


def pay_multiple(user: Any, partner: Any, day: dt.date) -> dict[str, Any] | None:
    """Highest ÷ median salary of the partner's employees in post; a person's pay is their best-paid post."""
    from django.db.models import Max

    salaries = [
        s
        for s in _in_post(user, partner, day)
        .filter(salary__isnull=False)
        .values("employee_id")
        .annotate(pay=Max("salary"))
        .order_by()
        .values_list("pay", flat=True)
    ]
    result = pay_multiple_of(salaries)
    if result is None:
        return None
    return {"date": day.isoformat(), **result.as_dict()}


def _effective_managers(in_set: dict[int, int | None]) -> dict[int, int | None]:
    """Each post's nearest manager up the line that is itself in the set (None: a top post).

    A reporting line may pass through a post that has been deleted or that the partner does not
    fund or share; the line then goes on to that post's own manager.
    """
    from onesource.workforce.models import Post

    parent: dict[int, int | None] = dict(in_set)
    wanted = {m for m in in_set.values() if m is not None and m not in parent}
    while wanted:
        found = dict(Post.objects.filter(pk__in=wanted).values_list("pk", "reports_to_id"))
        for pk in wanted:
            parent[pk] = found.get(pk)
        wanted = {m for m in found.values() if m is not None and m not in parent}
    effective: dict[int, int | None] = {}
    for pk, manager in in_set.items():
        seen = {pk}
        while manager is not None and manager not in in_set and manager not in seen:
            seen.add(manager)
            manager = parent.get(manager)
        effective[pk] = manager if manager in in_set and manager != pk else None
    return effective


def org_chart(user: Any, partner: Any, day: dt.date) -> list[ChartNode]:
    """The top three levels of the posts the partner funds or shares, on the day, with their holders."""
    from onesource.workforce.models import Assignment, Post

    in_set = dict(
        Post.objects.restrict(user)
        .filter(Post.active_q(day))
        .filter(Post.scope_q([partner.pk]))
        .values_list("pk", "reports_to_id")
    )
    manager = _effective_managers(in_set)
    # Work out the levels on ids alone, then read the details of the top posts only.
    children: dict[int | None, list[int]] = {}
    for pk, boss in manager.items():
        children.setdefault(boss, []).append(pk)
    top: set[int] = set()
    level_ids = children.get(None, [])
    for _ in range(ORG_CHART_LEVELS):
        top.update(level_ids)
        level_ids = [c for pk in level_ids for c in children.get(pk, [])]
    posts = {p.pk: p for p in Post.objects.filter(pk__in=top).select_related("service")}
    holders: dict[int, Any] = {}
    for a in (
        Assignment.objects.filter(Assignment.active_q(day), post_id__in=top)
        .select_related("employee__employing_partner")
        .order_by("post_id", "-fte", "starts_on")
    ):
        holders.setdefault(a.post_id, a)  # a job share shows its largest holder
    chart_posts = []
    for post in posts.values():
        holder = holders.get(post.pk)
        salary = holder.salary if holder is not None else None
        boss = manager[post.pk]
        chart_posts.append(
            ChartPost(
                post_number=post.reference,
                title=post.title,
                service=post.service.name,
                reports_to=posts[boss].reference if boss is not None else "",
                holder=holder.employee.full_name
                if holder is not None and salary and shows_name(salary)
                else "",
                salary_band=salary_band(salary).label if salary and is_senior(salary) else "",
                employer=holder.employee.employing_partner.code if holder is not None else "",
                vacant=holder is None,
            )
        )
    return top_levels(chart_posts)


def build_dataset(dataset: str, user: Any, partner: Any, day: dt.date) -> Any:
    if dataset == "senior-salaries":
        return senior_salaries(user, partner, day)
    if dataset == "org-chart":
        return org_chart(user, partner, day)
    if dataset == "pay-multiple":
        return pay_multiple(user, partner, day)
    raise ValueError(f"Unknown dataset {dataset!r}")


def dataset_csv(dataset: str, data: Any) -> str:
    import io

    columns, rows = dataset_rows(dataset, data)
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow([label for _, label in columns])
    for row in rows:
        writer.writerow([row.get(key, "") for key, _ in columns])
    return out.getvalue()


def dataset_json(dataset: str, data: Any) -> Any:
    """The dataset as JSON-ready data: a list of rows, the chart as a tree, the pay multiple as one object."""
    if dataset == "senior-salaries":
        return [s.as_dict() for s in data]
    if dataset == "org-chart":
        return [node.as_dict() for node in data]
    if dataset == "pay-multiple":
        return data
    raise ValueError(f"Unknown dataset {dataset!r}")
