"""Every change to savings data. Pages, the API, the CLI and jobs all call these.

Bad input raises `ValidationError` keyed by field and changes nothing (each action is one transaction).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from onesource.core.audit import action, apply_changes, record_event
from onesource.core.models import Partner
from onesource.savings.models import BusinessCase, SavingsAmount, SavingsLine, SavingsLineShare, YearTarget

CASE_FIELDS = {"code", "name", "first_year", "years", "target", "description"}
LINE_FIELDS = {"business_case", "reference", "title", "service", "owner", "lever", "status", "description"}
HUNDRED = Decimal("100")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _save(instance: models.Model) -> None:
    instance.full_clean()
    instance.save()


def _check_year(year: int, field: str = "year") -> None:
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise ValidationError(
            {field: f"Give the year the financial year starts in, from {FIRST_YEAR} to {LAST_YEAR}."}
        )


# Business cases


def _check_targets(case: BusinessCase) -> None:
    allocated = sum((t.target for t in case.year_targets.all()), Decimal("0"))
    if case.pk and allocated > case.target:
        raise ValidationError(
            {"target": f"The yearly targets add up to £{allocated:,.2f}, more than the overall target."}
        )


@action
def create_business_case(*, acting_user: Any, **fields: Any) -> BusinessCase:
    case = BusinessCase()
    apply_changes(case, fields, CASE_FIELDS)
    if case.first_year is not None:
        _check_year(case.first_year, "first_year")
    _save(case)
    return case


@action
def update_business_case(case: BusinessCase, *, acting_user: Any, **changes: Any) -> BusinessCase:
    case = BusinessCase.objects.select_for_update().get(pk=case.pk)
    apply_changes(case, changes, CASE_FIELDS)
    _check_year(case.first_year, "first_year")
    _check_targets(case)
    _save(case)
    return case


@action
def set_year_target(case: BusinessCase, *, year: int, target: Decimal, acting_user: Any) -> YearTarget:
    """Set (or change) the target for one financial year; yearly targets may not exceed the overall one."""
    case = BusinessCase.objects.select_for_update().get(pk=case.pk)
    _check_year(year)
    year_target = YearTarget.objects.filter(business_case=case, year=year).first() or YearTarget(
        business_case=case, year=year
    )
    year_target.target = target
    _save(year_target)
    _check_targets(case)
    return year_target


# Savings lines


@action
def create_savings_line(*, acting_user: Any, **fields: Any) -> SavingsLine:
    line = SavingsLine()
    apply_changes(line, fields, LINE_FIELDS)
    _save(line)
    record_event("savings.line_created", line, acting_user=acting_user, data={"status": line.status})
    return line


@action
def update_savings_line(line: SavingsLine, *, acting_user: Any, **changes: Any) -> SavingsLine:
    line = SavingsLine.objects.select_for_update().get(pk=line.pk)
    old_status = line.status
    apply_changes(line, changes, LINE_FIELDS)
    _save(line)
    if line.status != old_status:
        record_event(
            "savings.status_changed",
            line,
            acting_user=acting_user,
            data={"from": old_status, "to": line.status},
        )
    return line


@action
def set_savings_amount(
    line: SavingsLine,
    *,
    year: int,
    planned: Decimal,
    delivered: Decimal,
    acting_user: Any,
) -> SavingsAmount:
    """Record the planned and delivered saving of a line in one financial year."""
    SavingsLine.objects.select_for_update().get(pk=line.pk)
    _check_year(year)
    amount = SavingsAmount.objects.filter(line=line, year=year).first() or SavingsAmount(line=line, year=year)
    amount.planned, amount.delivered = Decimal(planned), Decimal(delivered)
    _save(amount)
    return amount


@action
def set_line_shares(
    line: SavingsLine, *, percentages: dict[Partner, Decimal], acting_user: Any
) -> list[SavingsLineShare]:
    """Replace the line's explicit partner percentages; they must add up to exactly 100 (or be empty).

    They are used only in years when the service has no cost shares from the recharge agreement.
    """
    SavingsLine.objects.select_for_update().get(pk=line.pk)
    cleaned = {partner: Decimal(percent) for partner, percent in percentages.items() if percent is not None}
    negative = [p.code for p, percent in cleaned.items() if percent < 0]
    if negative:
        raise ValidationError({"percentages": f"A percentage cannot be negative ({', '.join(negative)})."})
    cleaned = {p: percent for p, percent in cleaned.items() if percent > 0}
    total = sum(cleaned.values(), Decimal("0"))
    if cleaned and total != HUNDRED:
        raise ValidationError({"percentages": f"The percentages add up to {total.normalize():f}%, not 100%."})
    SavingsLineShare.objects.filter(line=line).delete()
    shares = []
    for partner, percent in sorted(cleaned.items(), key=lambda item: item[0].code):
        share = SavingsLineShare(line=line, partner=partner, percent=percent)
        _save(share)
        shares.append(share)
    record_event(
        "savings.shares_set",
        line,
        acting_user=acting_user,
        data={share.partner.code: str(share.percent) for share in shares},
    )
    return shares
