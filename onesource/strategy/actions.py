"""Every change to the strategy and programme. Pages, the API, the CLI and jobs all call these."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from onesource.core.audit import action, apply_changes, record_event
from onesource.core.periods import validate_period
from onesource.strategy.models import (
    RAG,
    Milestone,
    MilestoneStatus,
    Phase,
    Project,
    ServicePriority,
    StrategicPriority,
    Strategy,
)

STRATEGY_FIELDS = {"code", "name", "starts_on", "ends_on", "launched_on", "vision"}
PRIORITY_FIELDS = {"number", "title", "description"}
SERVICE_PRIORITY_FIELDS = {"service", "plan_year", "title", "description"}
PHASE_FIELDS = {"number", "name", "starts_on", "ends_on"}
PROJECT_FIELDS = {
    "phase",
    "code",
    "name",
    "kind",
    "service",
    "lead",
    "description",
    "starts_on",
    "ends_on",
    "status",
    "rag",
    "rag_reason",
    "is_key_deliverable",
    "is_critical_enabler",
}
MILESTONE_FIELDS = {"name", "due_on", "completed_on", "status"}


def _save(instance: models.Model) -> None:
    instance.full_clean()
    instance.save()


def _same_strategy(strategy: Strategy, items: Any, field: str) -> list[Any]:
    items = list(items or [])
    if any(item.strategy_id != strategy.pk for item in items):
        raise ValidationError({field: "Choose priorities of this strategy only."})
    return items


# Strategy and its priorities


@action
def create_strategy(*, acting_user: Any, **fields: Any) -> Strategy:
    strategy = Strategy()
    apply_changes(strategy, fields, STRATEGY_FIELDS)
    validate_period(strategy.starts_on, strategy.ends_on, start_field="starts_on", end_field="ends_on")
    _save(strategy)
    return strategy


@action
def update_strategy(strategy: Strategy, *, acting_user: Any, **changes: Any) -> Strategy:
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    apply_changes(strategy, changes, STRATEGY_FIELDS)
    validate_period(strategy.starts_on, strategy.ends_on, start_field="starts_on", end_field="ends_on")
    _save(strategy)
    return strategy


def _check_number_free(item: StrategicPriority | Phase, what: str) -> None:
    """The number is unique in the strategy: say so on the field rather than as a form-wide error."""
    taken = type(item).objects.filter(strategy_id=item.strategy_id, number=item.number).exclude(pk=item.pk)
    if item.number is not None and taken.exists():
        raise ValidationError({"number": f"This strategy already has {what} {item.number}."})


@action
def add_strategic_priority(strategy: Strategy, *, acting_user: Any, **fields: Any) -> StrategicPriority:
    priority = StrategicPriority(strategy=strategy)
    apply_changes(priority, fields, PRIORITY_FIELDS)
    _check_number_free(priority, "priority")
    _save(priority)
    return priority


@action
def update_strategic_priority(
    priority: StrategicPriority, *, acting_user: Any, **changes: Any
) -> StrategicPriority:
    priority = StrategicPriority.objects.select_for_update().get(pk=priority.pk)
    apply_changes(priority, changes, PRIORITY_FIELDS)
    _check_number_free(priority, "priority")
    _save(priority)
    return priority


def _check_phase(phase: Phase) -> None:
    validate_period(phase.starts_on, phase.ends_on, start_field="starts_on", end_field="ends_on")
    _check_number_free(phase, "phase")


@action
def add_phase(strategy: Strategy, *, acting_user: Any, **fields: Any) -> Phase:
    phase = Phase(strategy=strategy)
    apply_changes(phase, fields, PHASE_FIELDS)
    _check_phase(phase)
    _save(phase)
    return phase


@action
def update_phase(phase: Phase, *, acting_user: Any, **changes: Any) -> Phase:
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    apply_changes(phase, changes, PHASE_FIELDS)
    _check_phase(phase)
    _save(phase)
    return phase


def _apply_service_priority(
    priority: ServicePriority, changes: dict[str, Any], strategic_priorities: Any
) -> ServicePriority:
    apply_changes(priority, changes, SERVICE_PRIORITY_FIELDS)
    _save(priority)
    if strategic_priorities is not None:
        chosen = _same_strategy(priority.strategy, strategic_priorities, "strategic_priorities")
        if not chosen:
            raise ValidationError(
                {"strategic_priorities": "Choose at least one strategic priority it serves."}
            )
        priority.strategic_priorities.set(chosen)
    return priority


@action
def create_service_priority(
    strategy: Strategy, *, strategic_priorities: Any, acting_user: Any, **fields: Any
) -> ServicePriority:
    return _apply_service_priority(ServicePriority(strategy=strategy), fields, strategic_priorities or [])


@action
def update_service_priority(
    priority: ServicePriority, *, strategic_priorities: Any = None, acting_user: Any, **changes: Any
) -> ServicePriority:
    priority = ServicePriority.objects.select_for_update().get(pk=priority.pk)
    return _apply_service_priority(priority, changes, strategic_priorities)


# Projects and milestones


def _check_project(project: Project) -> None:
    validate_period(project.starts_on, project.ends_on, start_field="starts_on", end_field="ends_on")
    if project.rag in {RAG.RED, RAG.AMBER} and not project.rag_reason.strip():
        raise ValidationError({"rag_reason": "Say why the project is red or amber."})
    if project.phase is not None and project.phase.strategy_id != project.strategy_id:
        raise ValidationError({"phase": "Choose a phase of this project's strategy."})


def _set_links(project: Project, strategic_priorities: Any, savings_lines: Any) -> None:
    if strategic_priorities is not None:
        project.strategic_priorities.set(
            _same_strategy(project.strategy, strategic_priorities, "strategic_priorities")
        )
    if savings_lines is not None:
        project.savings_lines.set(list(savings_lines))


@action
def create_project(
    strategy: Strategy,
    *,
    strategic_priorities: Any = None,
    savings_lines: Any = None,
    acting_user: Any,
    **fields: Any,
) -> Project:
    project = Project(strategy=strategy)
    apply_changes(project, fields, PROJECT_FIELDS)
    _check_project(project)
    _save(project)
    _set_links(project, strategic_priorities, savings_lines)
    return project


@action
def update_project(
    project: Project,
    *,
    strategic_priorities: Any = None,
    savings_lines: Any = None,
    acting_user: Any,
    **changes: Any,
) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    old_rag = project.rag
    apply_changes(project, changes, PROJECT_FIELDS)
    _check_project(project)
    _save(project)
    _set_links(project, strategic_priorities, savings_lines)
    if project.rag != old_rag:
        record_event(
            "strategy.rag_changed",
            project,
            acting_user=acting_user,
            data={"from": old_rag, "to": project.rag, "reason": project.rag_reason},
        )
    return project


def _check_milestone(milestone: Milestone) -> None:
    if milestone.status == MilestoneStatus.COMPLETE and milestone.completed_on is None:
        raise ValidationError({"completed_on": "Give the date the milestone was completed."})
    if milestone.completed_on and milestone.status != MilestoneStatus.COMPLETE:
        raise ValidationError(
            {"status": "A milestone with a completion date is complete: set its status so."}
        )


@action
def create_milestone(project: Project, *, acting_user: Any, **fields: Any) -> Milestone:
    milestone = Milestone(project=project)
    apply_changes(milestone, fields, MILESTONE_FIELDS)
    _check_milestone(milestone)
    _save(milestone)
    return milestone


@action
def update_milestone(milestone: Milestone, *, acting_user: Any, **changes: Any) -> Milestone:
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    was_complete = milestone.status == MilestoneStatus.COMPLETE
    apply_changes(milestone, changes, MILESTONE_FIELDS)
    _check_milestone(milestone)
    _save(milestone)
    if milestone.status == MilestoneStatus.COMPLETE and not was_complete:
        record_event(
            "strategy.milestone_completed",
            milestone.project,
            acting_user=acting_user,
            data={"milestone": milestone.name, "completed_on": str(milestone.completed_on)},
        )
    return milestone
