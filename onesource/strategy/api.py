"""API for the strategy and programme: strategies with priorities and phases, service priorities, projects
(with RAG, milestones and linked savings lines), the road map and the priority map."""

import datetime as dt
from typing import Annotated, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from onesource.core.api_base import (
    BoundedPagination,
    Day,
    ErrorOut,
    OptionalText,
    ValidationErrorOut,
    Year,
    get_scoped,
    kept_if_absent,
    require,
    scoped,
)
from onesource.core.models import Service
from onesource.core.roles import Capability
from onesource.strategy import actions
from onesource.strategy.models import Milestone, Project, ServicePriority, Strategy
from onesource.strategy.roadmap import build_roadmap, priority_map

router = Router(tags=["strategy"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
MANAGE = Capability.MANAGE_PERFORMANCE


class PriorityOut(Schema):
    id: int
    number: int
    title: str
    description: str


class PhaseOut(Schema):
    id: int
    number: int
    name: str
    starts_on: dt.date
    ends_on: dt.date


class StrategyOut(Schema):
    code: str
    name: str
    starts_on: dt.date
    ends_on: dt.date
    launched_on: dt.date | None
    vision: str
    priorities: list[PriorityOut]
    phases: list[PhaseOut]

    @staticmethod
    def resolve_priorities(obj: Strategy) -> list[Any]:
        return list(obj.priorities.all())

    @staticmethod
    def resolve_phases(obj: Strategy) -> list[Any]:
        return list(obj.phases.all())


class StrategyIn(Schema):
    code: str
    name: str
    starts_on: Day
    ends_on: Day
    launched_on: Day | None = None
    vision: OptionalText = ""


class PriorityIn(Schema):
    number: int
    title: str
    description: OptionalText = ""


class PhaseIn(Schema):
    number: int
    name: str
    starts_on: Day
    ends_on: Day


class ServicePriorityOut(Schema):
    id: int
    strategy: str = Field(..., alias="strategy.code")
    service: str = Field(..., alias="service.code")
    plan_year: int
    title: str
    description: str
    strategic_priorities: list[int]

    @staticmethod
    def resolve_strategic_priorities(obj: ServicePriority) -> list[int]:
        return [p.number for p in obj.strategic_priorities.all()]


class ServicePriorityIn(Schema):
    service: str
    plan_year: Year
    title: str
    description: OptionalText = ""
    strategic_priorities: list[int] = Field(..., description="Numbers of the strategy's priorities it serves")


class MilestoneOut(Schema):
    id: int
    name: str
    due_on: dt.date
    completed_on: dt.date | None
    status: str


class MilestoneIn(Schema):
    name: str
    due_on: Day
    status: str = "not_started"
    completed_on: Day | None = None


class MilestonePatch(Schema):
    name: str = kept_if_absent()
    due_on: Day | None = None
    status: str = kept_if_absent()
    completed_on: Day | None = None


class ProjectOut(Schema):
    code: str
    strategy: str = Field(..., alias="strategy.code")
    phase: int | None = Field(None, alias="phase.number")
    name: str
    kind: str
    service: str | None = Field(None, alias="service.code")
    lead: str
    description: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    rag: str
    rag_reason: str
    is_key_deliverable: bool
    is_critical_enabler: bool
    strategic_priorities: list[int]
    savings_lines: list[int]
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_strategic_priorities(obj: Project) -> list[int]:
        return [p.number for p in obj.strategic_priorities.all()]

    @staticmethod
    def resolve_savings_lines(obj: Project) -> list[int]:
        return [line.pk for line in obj.savings_lines.all()]

    @staticmethod
    def resolve_milestones(obj: Project) -> list[Any]:
        return list(obj.milestones.all())


class ProjectIn(Schema):
    code: str
    name: str
    kind: str = "project"
    phase: int | None = Field(None, description="Phase number")
    service: str | None = Field(None, description="Service code; blank for work across the shared service")
    lead: OptionalText = ""
    description: OptionalText = ""
    starts_on: Day
    ends_on: Day
    status: str = "not_started"
    rag: str = "green"
    rag_reason: OptionalText = ""
    is_key_deliverable: bool = False
    is_critical_enabler: bool = False
    strategic_priorities: list[int] = Field(default_factory=list, description="Priority numbers")
    savings_lines: list[int] = Field(default_factory=list, description="Savings line ids")


class ProjectPatch(Schema):
    name: str = kept_if_absent()
    kind: str = kept_if_absent()
    phase: int | None = None
    service: str | None = None
    lead: OptionalText = None
    description: OptionalText = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    status: str = kept_if_absent()
    rag: str = kept_if_absent()
    rag_reason: OptionalText = None
    is_key_deliverable: bool | None = None
    is_critical_enabler: bool | None = None
    strategic_priorities: list[int] | None = None
    savings_lines: list[int] | None = None


class ProjectFilter(FilterSchema):
    strategy: Annotated[str | None, FilterLookup("strategy__code")] = None
    phase: Annotated[int | None, FilterLookup("phase__number")] = None
    rag: str | None = None
    status: str | None = None
    is_critical_enabler: bool | None = None


class RoadmapCellOut(Schema):
    quarter: str
    running: bool
    milestones: list[MilestoneOut]


class RoadmapRowOut(Schema):
    project: str
    name: str
    rag: str
    cells: list[RoadmapCellOut]


class RoadmapOut(Schema):
    year: int
    label: str
    quarters: list[str]
    rows: list[RoadmapRowOut]


class PriorityMapRowOut(Schema):
    service_priority: int
    service: str
    title: str
    serves: list[int]


# Lookups


def _service(request: HttpRequest, code: str | None) -> Service | None:
    if not code:
        return None
    service = scoped(request, Service, MANAGE).filter(code=code).first()
    if service is None:
        raise ValidationError({"service": f"No service with code {code!r}."})
    return service


def _priorities(strategy: Strategy, numbers: list[int]) -> list[Any]:
    found = {p.number: p for p in strategy.priorities.filter(number__in=numbers)}
    missing = sorted(set(numbers) - set(found))
    if missing:
        raise ValidationError({"strategic_priorities": f"The strategy has no priority {missing[0]}."})
    return [found[n] for n in numbers]


def _phase(strategy: Strategy, number: int | None) -> Any:
    if number is None:
        return None
    phase = strategy.phases.filter(number=number).first()
    if phase is None:
        raise ValidationError({"phase": f"The strategy has no phase {number}."})
    return phase


def _savings_lines(request: HttpRequest, ids: list[int]) -> list[Any]:
    savings_line = apps.get_model("savings", "SavingsLine")
    found = list(savings_line.objects.restrict(request.user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"savings_lines": "One or more savings lines do not exist."})
    return found


def _project_fields(request: HttpRequest, strategy: Strategy, data: dict[str, Any]) -> dict[str, Any]:
    if "service" in data:
        data["service"] = _service(request, data["service"])
    if "phase" in data:
        data["phase"] = _phase(strategy, data["phase"])
    if data.get("strategic_priorities") is not None:
        data["strategic_priorities"] = _priorities(strategy, data["strategic_priorities"])
    if data.get("savings_lines") is not None:
        data["savings_lines"] = _savings_lines(request, data["savings_lines"])
    return data


# Strategies


@router.get("/strategies", response=list[StrategyOut], summary="List strategies")
def list_strategies(request: HttpRequest):
    return scoped(request, Strategy).prefetch_related("priorities", "phases")


@router.get("/strategies/{code}", response={200: StrategyOut, **ERRORS}, summary="One strategy")
def get_strategy(request: HttpRequest, code: str):
    return get_scoped(request, Strategy, code=code)


@router.post("/strategies", response={201: StrategyOut, **ERRORS}, summary="Add a strategy")
def create_strategy(request: HttpRequest, payload: StrategyIn):
    require(request, MANAGE)
    return Status(201, actions.create_strategy(acting_user=request.user, **payload.dict()))


@router.post(
    "/strategies/{code}/priorities", response={201: PriorityOut, **ERRORS}, summary="Add a strategic priority"
)
def add_priority(request: HttpRequest, code: str, payload: PriorityIn):
    strategy = get_scoped(request, Strategy, code=code)
    require(request, MANAGE)
    return Status(201, actions.add_strategic_priority(strategy, acting_user=request.user, **payload.dict()))


@router.post("/strategies/{code}/phases", response={201: PhaseOut, **ERRORS}, summary="Add a phase")
def add_phase(request: HttpRequest, code: str, payload: PhaseIn):
    strategy = get_scoped(request, Strategy, code=code)
    require(request, MANAGE)
    return Status(201, actions.add_phase(strategy, acting_user=request.user, **payload.dict()))


@router.get("/strategies/{code}/road-map", response={200: RoadmapOut, **ERRORS}, summary="Road map of a year")
def roadmap(request: HttpRequest, code: str, year: Year):
    """Projects running in the financial year starting April `year`, by quarter, with milestones due."""
    strategy = get_scoped(request, Strategy, code=code)
    built = build_roadmap(scoped(request, Project).filter(strategy=strategy), year)
    return {
        "year": built.year,
        "label": built.label,
        "quarters": [q.label for q in built.quarters],
        "rows": [
            {
                "project": row.project.code,
                "name": row.project.name,
                "rag": row.project.rag,
                "cells": [
                    {"quarter": c["quarter"].label, "running": c["running"], "milestones": c["milestones"]}
                    for c in row.cells
                ],
            }
            for row in built.rows
        ],
    }


@router.get(
    "/strategies/{code}/priority-map",
    response={200: list[PriorityMapRowOut], **ERRORS},
    summary="Which service priorities serve which strategic priority",
)
def priority_map_api(request: HttpRequest, code: str):
    strategy = get_scoped(request, Strategy, code=code)
    built = priority_map(strategy, scoped(request, ServicePriority))
    numbers = [p.number for p in built["priorities"]]
    return [
        {
            "service_priority": row["item"].pk,
            "service": row["item"].service.code,
            "title": row["item"].title,
            "serves": [n for n, serves in zip(numbers, row["serves"], strict=True) if serves],
        }
        for row in built["rows"]
    ]


# Service priorities


@router.get("/service-priorities", response=list[ServicePriorityOut], summary="List service priorities")
@paginate(BoundedPagination)
def list_service_priorities(request: HttpRequest, strategy: str | None = None):
    queryset = scoped(request, ServicePriority).select_related("strategy", "service")
    if strategy:
        queryset = queryset.filter(strategy__code=strategy)
    return queryset.prefetch_related("strategic_priorities")


@router.post(
    "/strategies/{code}/service-priorities",
    response={201: ServicePriorityOut, **ERRORS},
    summary="Add a service priority",
)
def create_service_priority(request: HttpRequest, code: str, payload: ServicePriorityIn):
    strategy = get_scoped(request, Strategy, code=code)
    require(request, MANAGE)
    data = payload.dict()
    data["service"] = _service(request, data["service"])
    data["strategic_priorities"] = _priorities(strategy, data["strategic_priorities"])
    return Status(201, actions.create_service_priority(strategy, acting_user=request.user, **data))


# Projects and milestones


@router.get("/projects", response=list[ProjectOut], summary="List projects and activities")
@paginate(BoundedPagination)
def list_projects(request: HttpRequest, filters: Query[ProjectFilter]):
    queryset = (
        scoped(request, Project)
        .select_related("strategy", "phase", "service")
        .prefetch_related("strategic_priorities", "savings_lines", "milestones")
    )
    return filters.filter(queryset).order_by("starts_on", "name")


@router.get("/projects/{code}", response={200: ProjectOut, **ERRORS}, summary="One project")
def get_project(request: HttpRequest, code: str):
    return get_scoped(request, Project, code=code)


@router.post("/strategies/{code}/projects", response={201: ProjectOut, **ERRORS}, summary="Add a project")
def create_project(request: HttpRequest, code: str, payload: ProjectIn):
    strategy = get_scoped(request, Strategy, code=code)
    require(request, MANAGE)
    data = _project_fields(request, strategy, payload.dict())
    return Status(201, actions.create_project(strategy, acting_user=request.user, **data))


@router.patch(
    "/projects/{code}", response={200: ProjectOut, **ERRORS}, summary="Change a project (RAG, dates…)"
)
def update_project(request: HttpRequest, code: str, payload: ProjectPatch):
    project = get_scoped(request, Project, code=code)
    require(request, MANAGE)
    data = _project_fields(request, project.strategy, payload.dict(exclude_unset=True))
    return actions.update_project(project, acting_user=request.user, **data)


@router.post("/projects/{code}/milestones", response={201: MilestoneOut, **ERRORS}, summary="Add a milestone")
def create_milestone(request: HttpRequest, code: str, payload: MilestoneIn):
    project = get_scoped(request, Project, code=code)
    require(request, MANAGE)
    return Status(201, actions.create_milestone(project, acting_user=request.user, **payload.dict()))


@router.patch(
    "/milestones/{milestone_id}", response={200: MilestoneOut, **ERRORS}, summary="Change a milestone"
)
def update_milestone(request: HttpRequest, milestone_id: int, payload: MilestonePatch):
    milestone = get_scoped(request, Milestone, pk=milestone_id)
    require(request, MANAGE)
    return actions.update_milestone(milestone, acting_user=request.user, **payload.dict(exclude_unset=True))
