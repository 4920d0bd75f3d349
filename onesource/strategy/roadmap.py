"""The road map: a financial year's quarters, and which projects run and which milestones fall in each."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from onesource.strategy.models import RAG, Project, Strategy


@dataclass(frozen=True)
class Quarter:
    label: str
    starts_on: dt.date
    ends_on: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


def quarters(year: int) -> list[Quarter]:
    """The four quarters of the financial year starting 1 April `year`."""
    return [
        Quarter(f"Q1 Apr to Jun {year}", dt.date(year, 4, 1), dt.date(year, 6, 30)),
        Quarter(f"Q2 Jul to Sep {year}", dt.date(year, 7, 1), dt.date(year, 9, 30)),
        Quarter(f"Q3 Oct to Dec {year}", dt.date(year, 10, 1), dt.date(year, 12, 31)),
        Quarter(f"Q4 Jan to Mar {year + 1}", dt.date(year + 1, 1, 1), dt.date(year + 1, 3, 31)),
    ]


@dataclass
class RoadmapRow:
    project: Project
    cells: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Roadmap:
    year: int
    quarters: list[Quarter]
    rows: list[RoadmapRow]

    @property
    def label(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    @property
    def by_phase(self) -> list[tuple[Any, list[RoadmapRow]]]:
        groups: dict[Any, list[RoadmapRow]] = defaultdict(list)
        for row in self.rows:
            groups[row.project.phase].append(row)
        return sorted(groups.items(), key=lambda item: (item[0] is None, getattr(item[0], "number", 0)))


def build_roadmap(projects: Any, year: int) -> Roadmap:
    """Projects running in the financial year, one cell per quarter: running or not, milestones due."""
    span = quarters(year)
    start, end = span[0].starts_on, span[-1].ends_on
    rows = []
    chosen = (
        projects.filter(starts_on__lte=end, ends_on__gte=start)
        .select_related("phase", "service")
        .prefetch_related("milestones")
        .order_by("phase__number", "starts_on", "name")
    )
    for project in chosen:
        row = RoadmapRow(project)
        for quarter in span:
            row.cells.append(
                {
                    "quarter": quarter,
                    "running": project.starts_on <= quarter.ends_on and project.ends_on >= quarter.starts_on,
                    "milestones": [m for m in project.milestones.all() if quarter.contains(m.due_on)],
                }
            )
        rows.append(row)
    return Roadmap(year=year, quarters=span, rows=rows)


def priority_map(strategy: Strategy, service_priorities: Any) -> dict[str, Any]:
    """Rows of service priorities (grouped by service) against columns of strategic priorities."""
    priorities = list(strategy.priorities.all())
    rows = []
    for item in (
        service_priorities.filter(strategy=strategy)
        .select_related("service")
        .prefetch_related("strategic_priorities")
    ):
        serves = {p.pk for p in item.strategic_priorities.all()}
        rows.append({"item": item, "serves": [p.pk in serves for p in priorities]})
    counts = [sum(1 for row in rows if row["serves"][i]) for i in range(len(priorities))]
    services = len({row["item"].service_id for row in rows})
    return {
        "priorities": priorities,
        "rows": rows,
        "counts": list(zip(priorities, counts, strict=True)),
        "services": services,
    }


def rag_counts(projects: Any) -> dict[str, int]:
    counts = {value: 0 for value in RAG.values}
    for rag in projects.values_list("rag", flat=True):
        counts[rag] += 1
    return counts
