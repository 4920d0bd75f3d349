"""The committee report's "strategy" (progress and key deliverables, RAG) and "roadmap" (road map and what
next) sections. Only projects of services the partner receives, or across the shared service, are shown.

Each template draws its own charts from the `charts` list in its context; `SectionContent.charts` is the
same list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from onesource.core.charts import Chart, Series
from onesource.core.models import FinancialYear, Partner
from onesource.core.reporting import SectionContent, register_report_section
from onesource.strategy.models import RAG, Milestone, MilestoneStatus, Project, Strategy
from onesource.strategy.roadmap import build_roadmap, rag_counts

RAG_COLOURS = {"red": "#d4351c", "amber": "#f47738", "green": "#00703c", "complete": "#505a5f"}


def strategy_for(user: Any, start: dt.date, end: dt.date) -> Strategy | None:
    return (
        Strategy.objects.restrict(user)
        .filter(starts_on__lte=end, ends_on__gte=start)
        .order_by("-starts_on")
        .first()
    )


def partner_projects(user: Any, partner: Partner, strategy: Strategy) -> Any:
    return Project.objects.restrict(user).filter(Project.scope_q([partner.pk]), strategy=strategy)


def rag_chart(strategy: Strategy, projects: Any) -> Chart:
    phases = list(strategy.phases.all())
    counts = {(p.phase_id, p.rag): 0 for p in projects}
    for project in projects:
        counts[(project.phase_id, project.rag)] = counts.get((project.phase_id, project.rag), 0) + 1
    return Chart(
        title="Projects and activities by phase and RAG",
        labels=[f"Phase {p.number} ({p.starts_on.year}-{p.ends_on.year % 100:02d})" for p in phases],
        series=[
            Series(label, [counts.get((p.pk, value), 0) for p in phases]) for value, label in RAG.choices
        ],
        kind="stacked_bar",
        y_label="Projects",
        colors=[RAG_COLOURS[value] for value in RAG.values],
    )


@register_report_section("strategy", title="Strategy progress and key deliverables", order=30)
def strategy_section(partner: Partner, start: dt.date, end: dt.date, user: Any) -> SectionContent | None:
    strategy = strategy_for(user, start, end)
    if strategy is None:
        return None
    projects = list(
        partner_projects(user, partner, strategy)
        .select_related("phase", "service")
        .order_by("phase__number", "starts_on", "name")
    )
    completed = (
        Milestone.objects.restrict(user)
        .filter(
            project__in=[p.pk for p in projects],
            status=MilestoneStatus.COMPLETE,
            completed_on__range=(start, end),
        )
        .select_related("project")
        .order_by("completed_on")
    )
    charts = [rag_chart(strategy, projects)] if projects else []
    return SectionContent(
        template="strategy/report_strategy.html",
        context={
            "partner": partner,
            "strategy": strategy,
            "priorities": list(strategy.priorities.all()),
            "service_priority_count": strategy.service_priorities.filter(
                service__in=partner_services(partner)
            ).count(),
            "service_count": strategy.service_priorities.filter(service__in=partner_services(partner))
            .values("service")
            .distinct()
            .count(),
            "key_deliverables": [p for p in projects if p.is_key_deliverable],
            "at_risk": [p for p in projects if p.rag in {RAG.RED, RAG.AMBER}],
            "completed_milestones": list(completed),
            "rag": rag_counts(partner_projects(user, partner, strategy)),
            "charts": charts,
            "start": start,
            "end": end,
        },
        charts=charts,
    )


def partner_services(partner: Partner) -> Any:
    from onesource.core.models import Service

    return Service.objects.filter(Service.scope_q([partner.pk]))


@register_report_section("roadmap", title="Road map and what next", order=80)
def roadmap_section(partner: Partner, start: dt.date, end: dt.date, user: Any) -> SectionContent | None:
    strategy = strategy_for(user, start, end)
    if strategy is None:
        return None
    projects = partner_projects(user, partner, strategy)
    year = FinancialYear.start_year_for(end)
    roadmap = build_roadmap(projects, year)
    upcoming = (
        Milestone.objects.restrict(user)
        .filter(project__in=projects, due_on__gt=end, due_on__lte=end + dt.timedelta(days=183))
        .exclude(status=MilestoneStatus.COMPLETE)
        .select_related("project")
        .order_by("due_on")
    )
    return SectionContent(
        template="strategy/report_roadmap.html",
        context={
            "partner": partner,
            "strategy": strategy,
            "roadmap": roadmap,
            "enablers": list(projects.filter(is_critical_enabler=True).order_by("name")),
            "upcoming": list(upcoming),
            "end": end,
            "charts": [],
        },
        charts=[],
    )
