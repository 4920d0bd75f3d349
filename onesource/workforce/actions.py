"""Every change to workforce data. Pages, the API, the CLI, imports and jobs all call these.

Each action validates, saves and is audited; bad input raises `ValidationError` keyed by field
and changes nothing. Periods of one kind for one person (or post) must not overlap and must
fall within the person's employment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from onesource.core.audit import action, apply_changes, record_event
from onesource.core.models import Partner
from onesource.core.periods import validate_no_overlap, validate_period
from onesource.workforce.models import (
    COSTED_CONTRACT_TYPES,
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

POST_FIELDS = {
    "service",
    "reference",
    "title",
    "grade",
    "fte",
    "budgeted_annual_cost",
    "responsibilities",
    "is_senior_management",
    "funded_by",
    "reports_to",
    "starts_on",
    "ends_on",
}
EMPLOYEE_FIELDS = {
    "staff_number",
    "first_name",
    "last_name",
    "employing_partner",
    "started_on",
    "left_on",
    "leaving_reason",
}
ASSIGNMENT_FIELDS = {"post", "fte", "salary", "starts_on", "ends_on"}
CONTRACT_FIELDS = {"contract_type", "cost", "supplier", "starts_on", "ends_on"}
PERIOD_FIELDS = {"starts_on", "ends_on"}
SECONDMENT_FIELDS = {"from_partner", "to_partner", "note", "starts_on", "ends_on"}
FURLOUGH_FIELDS = {"note", "starts_on", "ends_on"}
SICKNESS_FIELDS = {"working_days_lost", "reason", "starts_on", "ends_on"}
RISK_FIELDS = {"kind", "assessed_on", "review_on", "outcome"}


def _save(instance: models.Model) -> None:
    instance.full_clean()
    instance.save()


def _check_period(
    record: Any, others: models.QuerySet, *, what: str, within_employment: Employee | None
) -> None:
    """Dates in order, no overlap with `others` (same subject), inside the person's employment."""
    validate_period(record.starts_on, record.ends_on, start_field="starts_on", end_field="ends_on")
    try:
        validate_no_overlap(
            others.exclude(pk=record.pk),
            record.starts_on,
            record.ends_on,
            what=what,
            start_attr="starts_on",
            end_attr="ends_on",
        )
    except ValidationError as exc:
        raise ValidationError({"starts_on": exc.messages}) from exc
    employee = within_employment
    if employee is not None:
        if record.starts_on < employee.started_on:
            raise ValidationError(
                {"starts_on": f"This starts before {employee.full_name} started ({employee.started_on})."}
            )
        if employee.left_on and (record.ends_on is None or record.ends_on > employee.left_on):
            raise ValidationError(
                {"ends_on": f"This must end by the day {employee.full_name} left ({employee.left_on})."}
            )


def _lock(employee: Employee) -> Employee:
    """Serialise period checks for one person."""
    return Employee.objects.select_for_update().get(pk=employee.pk)


# Posts


def _check_post(post: Post) -> None:
    validate_period(post.starts_on, post.ends_on, start_field="starts_on", end_field="ends_on")
    if post.reports_to_id is not None and post.reports_to_id == post.pk:
        raise ValidationError({"reports_to": "A post cannot report to itself."})
    seen: set[int] = set()
    manager_id = post.reports_to_id
    while manager_id is not None:  # read from the database: the chain above may have changed
        if manager_id == post.pk or manager_id in seen:
            raise ValidationError({"reports_to": "This would make a loop in the reporting line."})
        seen.add(manager_id)
        manager_id = Post.objects.filter(pk=manager_id).values_list("reports_to_id", flat=True).first()


@action
def create_post(*, acting_user: Any, **fields: Any) -> Post:
    post = Post()
    apply_changes(post, fields, POST_FIELDS)
    _check_post(post)
    _save(post)
    return post


@action
def update_post(post: Post, *, acting_user: Any, **changes: Any) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    apply_changes(post, changes, POST_FIELDS)
    _check_post(post)
    if post.ends_on is not None:
        later = post.assignments.filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=post.ends_on))
        if later.exists():
            raise ValidationError(
                {"ends_on": "Someone is still in this post after that date: end their assignment first."}
            )
    _save(post)
    return post


# People


def _check_employee(employee: Employee) -> None:
    if employee.started_on is None:
        raise ValidationError({"started_on": "Enter the start date."})
    if employee.left_on is not None and employee.left_on < employee.started_on:
        raise ValidationError({"left_on": "The leaving date must be the same as or after the start date."})
    if employee.left_on is None and employee.leaving_reason:
        raise ValidationError({"leaving_reason": "Give a leaving reason only with a leaving date."})
    if employee.left_on is not None and not employee.leaving_reason:
        raise ValidationError({"leaving_reason": "Choose why the person left."})


@action
def create_employee(*, acting_user: Any, **fields: Any) -> Employee:
    employee = Employee()
    apply_changes(employee, fields, EMPLOYEE_FIELDS)
    _check_employee(employee)
    _save(employee)
    record_event(
        "employee.started",
        employee,
        acting_user=acting_user,
        partner=employee.employing_partner,
        data={"started_on": str(employee.started_on)},
    )
    return employee


@action
def update_employee(employee: Employee, *, acting_user: Any, **changes: Any) -> Employee:
    employee = _lock(employee)
    apply_changes(employee, changes, EMPLOYEE_FIELDS)
    _check_employee(employee)
    if employee.left_on is not None:
        for related in (employee.assignments, employee.contract_periods, employee.time_splits):
            if related.filter(
                models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=employee.left_on)
            ).exists():
                raise ValidationError(
                    {"left_on": "Some periods run past this date: record the person as a leaver instead."}
                )
    _save(employee)
    return employee


@action
def record_leaver(employee: Employee, *, left_on: dt.date, leaving_reason: str, acting_user: Any) -> Employee:
    """The person leaves on `left_on`: their open assignments, contract and time split end then too."""
    employee = _lock(employee)
    if employee.left_on is not None:
        raise ValidationError({"left_on": f"{employee.full_name} already left on {employee.left_on}."})
    if left_on < employee.started_on:
        raise ValidationError({"left_on": "The leaving date must be the same as or after the start date."})
    for related in (employee.assignments, employee.contract_periods, employee.time_splits):
        if related.filter(starts_on__gt=left_on).exists():
            raise ValidationError({"left_on": "The person has periods starting after this date."})
        related.filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=left_on)).update(ends_on=left_on)
    employee.left_on = left_on
    employee.leaving_reason = leaving_reason
    _check_employee(employee)
    _save(employee)
    record_event(
        "employee.left",
        employee,
        acting_user=acting_user,
        partner=employee.employing_partner,
        data={"left_on": str(left_on), "reason": leaving_reason},
    )
    return employee


# Assignments to posts


def _check_assignment(assignment: Assignment) -> None:
    employee = assignment.employee
    _check_period(
        assignment,
        Assignment.objects.filter(employee=employee, post_id=assignment.post_id),
        what="assignment of this person to this post",
        within_employment=employee,
    )
    post = assignment.post
    if assignment.starts_on < post.starts_on or (
        post.ends_on and (assignment.ends_on is None or assignment.ends_on > post.ends_on)
    ):
        raise ValidationError({"post": f"The post exists only from {post.period_label()}."})
    if assignment.fte is not None and assignment.fte > post.fte:
        raise ValidationError({"fte": f"The post is only {post.fte} FTE."})


@action
def add_assignment(employee: Employee, *, acting_user: Any, **fields: Any) -> Assignment:
    employee = _lock(employee)
    assignment = Assignment(employee=employee)
    apply_changes(assignment, fields, ASSIGNMENT_FIELDS)
    _save_checked(assignment, _check_assignment)
    return assignment


@action
def update_assignment(assignment: Assignment, *, acting_user: Any, **changes: Any) -> Assignment:
    _lock(assignment.employee)
    assignment = Assignment.objects.get(pk=assignment.pk)
    apply_changes(assignment, changes, ASSIGNMENT_FIELDS)
    _save_checked(assignment, _check_assignment)
    return assignment


def _save_checked(record: Any, check: Any) -> None:
    """Field validation first (so missing values get their own message), then the period rules."""
    record.full_clean(validate_constraints=False)
    check(record)
    record.save()


# Contract type over time


def _check_contract(period: ContractPeriod) -> None:
    _check_period(
        period,
        ContractPeriod.objects.filter(employee=period.employee),
        what="contract period",
        within_employment=period.employee,
    )
    if period.cost is not None and period.contract_type not in COSTED_CONTRACT_TYPES:
        raise ValidationError({"cost": "Only agency and interim periods carry a cost."})
    if period.cost is not None and period.ends_on is None:
        raise ValidationError({"ends_on": "Give the end date of the period the cost covers."})


@action
def add_contract_period(employee: Employee, *, acting_user: Any, **fields: Any) -> ContractPeriod:
    employee = _lock(employee)
    period = ContractPeriod(employee=employee)
    apply_changes(period, fields, CONTRACT_FIELDS)
    _save_checked(period, _check_contract)
    return period


@action
def update_contract_period(period: ContractPeriod, *, acting_user: Any, **changes: Any) -> ContractPeriod:
    _lock(period.employee)
    period = ContractPeriod.objects.get(pk=period.pk)
    apply_changes(period, changes, CONTRACT_FIELDS)
    _save_checked(period, _check_contract)
    return period


# Time split between partners


def _check_shares(shares: dict[Partner, Decimal]) -> None:
    if not shares:
        raise ValidationError({"shares": "Give at least one partner's share."})
    if any(percent <= 0 for percent in shares.values()):
        raise ValidationError({"shares": "Each share must be more than 0%."})
    total = sum(shares.values(), Decimal(0))
    if total != Decimal(100):
        raise ValidationError(
            {"shares": f"The shares add up to {total.normalize():f}%; they must add up to 100%."}
        )


@action
def set_time_split(
    employee: Employee,
    *,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    shares: dict[Partner, Decimal],
    acting_user: Any,
) -> TimeSplit:
    """From `starts_on`, the person's time is split between partners as `shares` (percent, adding to 100)."""
    employee = _lock(employee)
    shares = {partner: Decimal(str(percent)) for partner, percent in shares.items()}
    _check_shares(shares)
    split = TimeSplit(employee=employee, starts_on=starts_on, ends_on=ends_on)
    _check_period(
        split, TimeSplit.objects.filter(employee=employee), what="time split", within_employment=employee
    )
    _save(split)
    for partner, percent in shares.items():
        _save(TimeSplitShare(split=split, partner=partner, percent=percent))
    return split


@action
def end_time_split(split: TimeSplit, *, ends_on: dt.date, acting_user: Any) -> TimeSplit:
    _lock(split.employee)
    split = TimeSplit.objects.get(pk=split.pk)
    split.ends_on = ends_on
    _check_period(
        split, TimeSplit.objects.filter(employee=split.employee), what="time split", within_employment=None
    )
    _save(split)
    return split


# Secondments and furlough


def _check_secondment(secondment: Secondment) -> None:
    _check_period(
        secondment,
        Secondment.objects.filter(employee=secondment.employee),
        what="secondment",
        within_employment=secondment.employee,
    )
    if secondment.from_partner_id == secondment.to_partner_id:
        raise ValidationError({"to_partner": "A secondment is to a different partner."})


@action
def add_secondment(employee: Employee, *, acting_user: Any, **fields: Any) -> Secondment:
    employee = _lock(employee)
    secondment = Secondment(employee=employee)
    fields.setdefault("from_partner", employee.employing_partner)
    apply_changes(secondment, fields, SECONDMENT_FIELDS)
    _save_checked(secondment, _check_secondment)
    return secondment


def _check_furlough(furlough: FurloughPeriod) -> None:
    _check_period(
        furlough,
        FurloughPeriod.objects.filter(employee=furlough.employee),
        what="furlough period",
        within_employment=furlough.employee,
    )


@action
def add_furlough(employee: Employee, *, acting_user: Any, **fields: Any) -> FurloughPeriod:
    employee = _lock(employee)
    furlough = FurloughPeriod(employee=employee)
    apply_changes(furlough, fields, FURLOUGH_FIELDS)
    _save_checked(furlough, _check_furlough)
    return furlough


# Health data (special category): callers check Capability.VIEW_HEALTH for the employer first.


def _check_sickness(absence: SicknessAbsence) -> None:
    _check_period(
        absence,
        SicknessAbsence.objects.filter(employee=absence.employee),
        what="sickness absence",
        within_employment=absence.employee,
    )
    if absence.ends_on is not None and absence.working_days_lost is not None:
        calendar_days = (absence.ends_on - absence.starts_on).days + 1
        if absence.working_days_lost > calendar_days:
            raise ValidationError(
                {"working_days_lost": f"That is more than the {calendar_days} days of the absence."}
            )


@action
def record_sickness(employee: Employee, *, acting_user: Any, **fields: Any) -> SicknessAbsence:
    employee = _lock(employee)
    absence = SicknessAbsence(employee=employee)
    apply_changes(absence, fields, SICKNESS_FIELDS)
    _save_checked(absence, _check_sickness)
    return absence


@action
def add_risk_assessment(employee: Employee, *, acting_user: Any, **fields: Any) -> RiskAssessment:
    assessment = RiskAssessment(employee=employee)
    apply_changes(assessment, fields, RISK_FIELDS)
    assessment.full_clean()
    if assessment.review_on and assessment.review_on < assessment.assessed_on:
        raise ValidationError({"review_on": "The review date must be after the assessment."})
    assessment.save()
    return assessment
