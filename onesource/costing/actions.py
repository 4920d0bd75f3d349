"""Every change to costing data: agreements, budget and actual lines, driver figures, recharge runs.

Pages, the API, the CLI, jobs and the ledger import all call these. Each runs in one transaction,
is audited, and raises ValidationError keyed by field on bad input, changing nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from onesource.core.audit import action, apply_changes, record_event
from onesource.core.models import Partner, Service
from onesource.core.models.partnership import PartnerKind
from onesource.core.roles import Capability
from onesource.core.scoping import scope_for
from onesource.costing.models import (
    ActualLine,
    Agreement,
    AgreementShare,
    Basis,
    BudgetLine,
    DriverQuantity,
    RechargeCharge,
    RechargeRun,
    RechargeServiceCost,
    RunSignOff,
    RunStatus,
    SignOffDecision,
    SupportMethod,
    SupportUsage,
    TimeEntry,
)
from onesource.costing.recharge import Progress, compute_run, latest_approved_estimate, run_changes

HUNDRED = Decimal("100")
AGREEMENT_FIELDS = {
    "service",
    "year",
    "basis",
    "pro_rata",
    "tolerance_percent",
    "is_support",
    "support_method",
    "support_order",
    "note",
}
LINE_FIELDS = {"service", "year", "month", "owner_partner", "cost_centre", "description", "amount", "source"}
QUANTITY_FIELDS = {"kind", "service", "partner", "year", "month", "measure", "quantity", "source"}


def _save(instance: models.Model) -> None:
    instance.full_clean()
    instance.save()


def _check_year(year: Any, field: str = "year") -> None:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({field: "Enter the year the financial year starts in, like 2017 for 2017/18."})


# Agreements


def _clean_shares(shares: dict[Partner, Any]) -> dict[Partner, Decimal]:
    cleaned: dict[Partner, Decimal] = {}
    for partner, value in shares.items():
        try:
            percent = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError({"shares": f"{partner.code}: {value!r} is not a percentage."}) from None
        if not percent.is_finite() or percent < 0 or percent > HUNDRED:
            raise ValidationError({"shares": f"{partner.code}: a percentage must be between 0 and 100."})
        if percent != percent.quantize(Decimal("0.0001")):
            raise ValidationError({"shares": f"{partner.code}: use at most four decimal places."})
        if percent > 0:
            cleaned[partner] = percent
    return cleaned


def _check_agreement(agreement: Agreement, shares: dict[Partner, Decimal] | None) -> None:
    _check_year(agreement.year)
    if agreement.basis == Basis.FORMULA and not agreement.is_support:
        if not shares:
            raise ValidationError(
                {"shares": "A distribution formula needs a percentage for at least one partner."}
            )
        total = sum(shares.values(), Decimal(0))
        if total != HUNDRED:
            raise ValidationError(
                {
                    "shares": f"The percentages add up to {total.normalize():f}; "
                    "they must add up to exactly 100."
                }
            )
    if agreement.is_support and agreement.support_method not in SupportMethod.values:
        raise ValidationError({"support_method": "Choose how this support service is allocated."})
    if not agreement.is_support:
        agreement.support_method = ""
        agreement.support_order = None
    duplicate = Agreement.objects.filter(service_id=agreement.service_id, year=agreement.year).exclude(
        pk=agreement.pk
    )
    if agreement.service_id and duplicate.exists():
        raise ValidationError(
            {
                "year": f"{agreement.service} already has an agreement for {agreement.year_label}: "
                "change that one."
            }
        )


def _write_shares(agreement: Agreement, shares: dict[Partner, Decimal]) -> None:
    keep = {p.pk for p in shares}
    for old in agreement.shares.exclude(partner_id__in=keep):
        old.delete()  # one by one, so each removal is in the audit trail
    for partner, percent in shares.items():
        share = agreement.shares.filter(partner=partner).first() or AgreementShare(
            agreement=agreement, partner=partner
        )
        if share.pk is None or share.percent != percent:
            share.percent = percent
            _save(share)


@action
def create_agreement(
    *, shares: dict[Partner, Any] | None = None, acting_user: Any, **fields: Any
) -> Agreement:
    """An agreement for a service and year. `shares` maps partners to percentages (formula basis)."""
    agreement = Agreement()
    apply_changes(agreement, fields, AGREEMENT_FIELDS)
    cleaned = _clean_shares(shares or {})
    _check_agreement(agreement, cleaned)
    _save(agreement)
    if agreement.basis == Basis.FORMULA:
        _write_shares(agreement, cleaned)
    record_event(
        "agreement.created",
        agreement,
        acting_user=acting_user,
        data={"basis": agreement.basis, "shares": {p.code: f"{v}" for p, v in cleaned.items()}},
    )
    return agreement


@action
def update_agreement(
    agreement: Agreement, *, shares: dict[Partner, Any] | None = None, acting_user: Any, **changes: Any
) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    apply_changes(agreement, changes, AGREEMENT_FIELDS)
    if shares is None:
        cleaned = {s.partner: s.percent for s in agreement.shares.select_related("partner")}
    else:
        cleaned = _clean_shares(shares)
    _check_agreement(agreement, cleaned)
    _save(agreement)
    _write_shares(agreement, cleaned if agreement.basis == Basis.FORMULA else {})
    return agreement


# Budget and actual lines (the ledger import calls these too)


def _check_line(line: BudgetLine | ActualLine) -> None:
    _check_year(line.year)
    if line.month is not None and not 1 <= line.month <= 12:
        raise ValidationError(
            {"month": "Enter a financial month from 1 (April) to 12 (March), or leave it blank."}
        )
    service = line.service if line.service_id else None
    if service and service.owner_partner_id and line.owner_partner_id != service.owner_partner_id:
        raise ValidationError(
            {
                "owner_partner": f"{service.name} is {service.owner_partner}'s own service: "  # type: ignore[union-attr]
                f"its lines are non-shared and belong to {service.owner_partner.code}."  # type: ignore[union-attr]
            }
        )
    if line.amount is not None and line.amount != Decimal(line.amount).quantize(Decimal("0.01")):
        raise ValidationError({"amount": "Enter an amount in pounds and pence, like 1234.56."})


def _create_line(model: type[BudgetLine] | type[ActualLine], fields: dict[str, Any]) -> Any:
    line = model()
    apply_changes(line, fields, LINE_FIELDS)
    _check_line(line)
    _save(line)
    return line


def _update_line(line: BudgetLine | ActualLine, changes: dict[str, Any]) -> Any:
    line = type(line).objects.select_for_update().get(pk=line.pk)
    apply_changes(line, changes, LINE_FIELDS)
    _check_line(line)
    _save(line)
    return line


@action
def create_budget_line(*, acting_user: Any, **fields: Any) -> BudgetLine:
    """service, year, amount; optional month (1 = April), owner_partner (non-shared), cost_centre,
    description, source."""
    return _create_line(BudgetLine, fields)


@action
def update_budget_line(line: BudgetLine, *, acting_user: Any, **changes: Any) -> BudgetLine:
    return _update_line(line, changes)


@action
def create_actual_line(*, acting_user: Any, **fields: Any) -> ActualLine:
    """Same fields as `create_budget_line`."""
    return _create_line(ActualLine, fields)


@action
def update_actual_line(line: ActualLine, *, acting_user: Any, **changes: Any) -> ActualLine:
    return _update_line(line, changes)


# Driver figures


@action
def create_driver_quantity(*, acting_user: Any, **fields: Any) -> DriverQuantity:
    """kind (caseload or transactions), service, partner, year, quantity; optional month, measure, source."""
    quantity = DriverQuantity()
    apply_changes(quantity, fields, QUANTITY_FIELDS)
    _check_year(quantity.year)
    _save(quantity)
    return quantity


@action
def update_driver_quantity(figure: DriverQuantity, *, acting_user: Any, **changes: Any) -> DriverQuantity:
    figure = DriverQuantity.objects.select_for_update().get(pk=figure.pk)
    apply_changes(figure, changes, QUANTITY_FIELDS)
    _check_year(figure.year)
    _save(figure)
    return figure


@action
def create_time_entry(
    *, person: str, partner: Partner, service: Service, date: dt.date, hours: Decimal, acting_user: Any
) -> TimeEntry:
    entry = TimeEntry(person=person, partner=partner, service=service, date=date, hours=hours)
    if hours is not None and Decimal(hours) > 24:
        raise ValidationError({"hours": "A day has at most 24 hours."})
    _save(entry)
    return entry


@action
def set_support_usage(
    *,
    year: int,
    support_service: Service,
    user_service: Service,
    quantity: Decimal,
    unit: str = "",
    acting_user: Any,
) -> SupportUsage:
    """How much `user_service` used `support_service` in the year (creates or replaces the figure)."""
    _check_year(year)
    if support_service.pk == user_service.pk:
        raise ValidationError(
            {"user_service": "A support service's use of itself is not counted: choose another."}
        )
    usage = SupportUsage.objects.filter(
        year=year, support_service=support_service, user_service=user_service
    ).first()
    usage = usage or SupportUsage(year=year, support_service=support_service, user_service=user_service)
    usage.quantity = quantity
    usage.unit = unit
    _save(usage)
    return usage


# Recharge runs


def _refuse_unless_draft(run: RechargeRun) -> None:
    if run.status != RunStatus.DRAFT:
        raise ValidationError(
            {"status": f"{run} is {run.get_status_display().lower()} and cannot change: start a new version."}
        )


@action
def create_recharge_run(
    *,
    year: int,
    up_to_month: int | None = None,
    is_estimate: bool = False,
    support_method: str = "",
    note: str = "",
    acting_user: Any,
    progress: Progress | None = None,
) -> RechargeRun:
    """Compute a draft run for the year (to a month). A new version of a run records what changed."""
    if not can_build_runs(acting_user):
        raise ValidationError(
            {
                "__all__": "Only shared-service finance (or the shared-service manager) can build a "
                "partnership-wide run: each council's finance officer signs off its own statement."
            }
        )
    _check_year(year)
    if up_to_month is not None and not 1 <= up_to_month <= 12:
        raise ValidationError({"up_to_month": "Enter a financial month from 1 (April) to 12 (March)."})
    if support_method and support_method not in SupportMethod.values:
        raise ValidationError({"support_method": f"Choose one of {', '.join(SupportMethod.values)}."})
    same_kind = RechargeRun.objects.filter(year=year, up_to_month=up_to_month, is_estimate=is_estimate)
    latest = same_kind.order_by("-version").first()
    previous = same_kind.filter(status=RunStatus.APPROVED).order_by("-version").first() or latest
    run = RechargeRun(
        year=year,
        up_to_month=up_to_month,
        is_estimate=is_estimate,
        version=(latest.version + 1) if latest else 1,
        support_method=support_method,
        note=note,
        previous=previous,
        estimate=None if is_estimate else latest_approved_estimate(year),
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    computed = compute_run(run, progress)
    run.method_used = computed.method
    run.check_in = computed.check_in
    run.check_out = computed.check_out
    run.total_cost = computed.check_in
    run.changes = run_changes(previous, computed.charges)
    _save(run)
    RechargeServiceCost.objects.bulk_create(
        [RechargeServiceCost(run=run, **row) for row in computed.service_costs], batch_size=1000
    )
    RechargeCharge.objects.bulk_create(
        [RechargeCharge(run=run, **row) for row in computed.charges], batch_size=1000
    )
    # Every member council charged signs off its own statement; external customers pay by contract.
    members = Partner.objects.dangerously_unscoped().filter(
        kind=PartnerKind.MEMBER, pk__in={row["partner_id"] for row in computed.charges}
    )
    RunSignOff.objects.bulk_create([RunSignOff(run=run, partner=partner) for partner in members])
    record_event(
        "recharge_run.created",
        run,
        acting_user=acting_user,
        data={
            "version": run.version,
            "estimate": run.is_estimate,
            "charged": f"{run.check_out:.2f}",
            "changes": len(run.changes),
        },
    )
    if progress:
        progress(4, 4, f"{run} computed")
    return run


@action
def update_run_note(run: RechargeRun, *, note: str, acting_user: Any) -> RechargeRun:
    run = RechargeRun.objects.select_for_update().get(pk=run.pk)
    _refuse_unless_draft(run)
    run.note = note
    _save(run)
    return run


@action
def delete_draft_run(run: RechargeRun, *, acting_user: Any) -> None:
    if not can_build_runs(acting_user):
        raise ValidationError({"__all__": "Only shared-service finance can delete a draft run."})
    run = RechargeRun.objects.select_for_update().get(pk=run.pk)
    _refuse_unless_draft(run)
    if run.corrections.exists() or run.true_ups.exists():
        raise ValidationError({"status": "A later run refers to this one: it cannot be deleted."})
    record_event("recharge_run.deleted", None, acting_user=acting_user, data={"run": str(run)})
    run.delete()


def can_build_runs(user: Any) -> bool:
    """Building a run touches every partner's figures: only roles held for all partners may."""
    return scope_for(user).partners_with(Capability.MANAGE_FINANCE) is None


def can_sign_off(user: Any, partner: Partner) -> bool:
    """A council's statement is signed off by that council's own finance officer (a role held for
    that partner): not by a platform-wide role, which would sign for a council it does not speak for."""
    scope = scope_for(user)
    return partner.pk in scope.by_partner.get(Capability.APPROVE_FINANCE, frozenset())


def _sign_off_for_decision(run: RechargeRun, partner: Partner, acting_user: Any) -> RunSignOff:
    """The partner's waiting sign-off, locked; refuses anyone the maker-checker rule does not allow."""
    run = RechargeRun.objects.select_for_update().get(pk=run.pk)
    _refuse_unless_draft(run)
    if not can_sign_off(acting_user, partner):
        raise ValidationError(
            {"__all__": f"Only a finance officer of {partner.name} can sign off its statement."}
        )
    if run.created_by_id is not None and run.created_by_id == getattr(acting_user, "pk", None):
        raise ValidationError(
            {"__all__": "You built this run, so someone else must sign it off (maker-checker)."}
        )
    sign_off = RunSignOff.objects.select_for_update().filter(run=run, partner=partner).first()
    if sign_off is None:
        raise ValidationError({"partner": f"{partner.name} has no statement to sign off in {run}."})
    if run.sign_offs.filter(decision=SignOffDecision.REJECTED).exists():
        # Which council rejected, and why, is the shared service's to know: the run page says so to them.
        raise ValidationError(
            {
                "__all__": "A member council rejected this run: it cannot be signed off or approved. "
                "Shared-service finance builds a new version, which is signed off afresh."
            }
        )
    if not sign_off.is_waiting:
        raise ValidationError({"__all__": f"{partner.name}'s statement is already signed off."})
    return sign_off


@action
def sign_off_statement(
    run: RechargeRun, partner: Partner, *, comment: str = "", acting_user: Any
) -> RunSignOff:
    """The partner's finance officer signs off its own statement. When every member has signed,
    the run is approved in the same transaction."""
    sign_off = _sign_off_for_decision(run, partner, acting_user)
    sign_off.decision = SignOffDecision.SIGNED
    sign_off.comment = (comment or "").strip()
    sign_off.decided_by = acting_user
    sign_off.decided_at = timezone.now()
    _save(sign_off)
    record_event(
        "recharge_run.signed_off",
        sign_off.run,
        acting_user=acting_user,
        partner=partner,
        data={"partner": partner.name, "comment": sign_off.comment},
    )
    if not RechargeRun.objects.get(pk=run.pk).sign_offs.exclude(decision=SignOffDecision.SIGNED).exists():
        _approve(RechargeRun.objects.get(pk=run.pk), acting_user)
    return sign_off


@action
def reject_statement(run: RechargeRun, partner: Partner, *, reason: str, acting_user: Any) -> RunSignOff:
    """The partner's finance officer rejects its statement, with a reason. The run can then never be
    approved: shared-service finance corrects the figures and builds a new version."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are rejecting the statement."})
    sign_off = _sign_off_for_decision(run, partner, acting_user)
    sign_off.decision = SignOffDecision.REJECTED
    sign_off.comment = reason
    sign_off.decided_by = acting_user
    sign_off.decided_at = timezone.now()
    _save(sign_off)
    record_event(
        "recharge_run.rejected",
        sign_off.run,
        acting_user=acting_user,
        partner=partner,
        data={"partner": partner.name, "reason": reason},
    )
    return sign_off


def waiting_partners(run: RechargeRun) -> list[str]:
    return list(
        run.sign_offs.exclude(decision=SignOffDecision.SIGNED).values_list("partner__name", flat=True)
    )


@action
def approve_run(run: RechargeRun, *, acting_user: Any) -> RechargeRun:
    """Approve a draft whose every member council has signed off its statement.

    Signing is the approval: the last sign-off approves the run itself. This action is for a run with
    no member statements (only external customers charged), approved by shared-service finance other
    than its builder; for any other run it says whose sign-off is missing."""
    run = RechargeRun.objects.get(pk=run.pk)
    _refuse_unless_draft(run)
    if run.sign_offs.filter(decision=SignOffDecision.REJECTED).exists():
        raise ValidationError(
            {"__all__": "A partner rejected its statement: build a new version, which is signed off afresh."}
        )
    waiting = waiting_partners(run)
    if waiting:
        raise ValidationError(
            {
                "__all__": "The run is approved when every member has signed off: "
                f"waiting for {', '.join(waiting)}."
            }
        )
    if not can_build_runs(acting_user):
        raise ValidationError({"__all__": "Only shared-service finance can approve this run."})
    if run.created_by_id is not None and run.created_by_id == getattr(acting_user, "pk", None):
        raise ValidationError(
            {"__all__": "You built this run, so someone else must approve it (maker-checker)."}
        )
    return _approve(run, acting_user)


def _approve(run: RechargeRun, acting_user: Any) -> RechargeRun:
    """Mark a draft approved. The status changes only if it is still a draft at that instant, so of two
    approvals at the same moment exactly one succeeds; the other is told it is already approved."""
    # The conditional UPDATE is the first statement, so the database itself decides which approval wins.
    approved = RechargeRun.objects.filter(pk=run.pk, status=RunStatus.DRAFT).update(
        status=RunStatus.APPROVED,
        approved_by=acting_user if getattr(acting_user, "pk", None) else None,
        approved_at=timezone.now(),
    )
    if approved != 1:
        raise ValidationError({"status": "This run is no longer a draft: someone has already approved it."})
    run = RechargeRun.objects.get(pk=run.pk)
    RechargeRun.objects.filter(
        year=run.year,
        up_to_month=run.up_to_month,
        is_estimate=run.is_estimate,
        status__in=[RunStatus.APPROVED, RunStatus.DRAFT],  # an older draft can no longer be approved
        version__lt=run.version,
    ).update(status=RunStatus.SUPERSEDED)
    record_event(
        "recharge_run.approved",
        run,
        acting_user=acting_user,
        data={
            "version": run.version,
            "signed_off_by": [
                f"{s.partner.name}: {s.decided_by.get_full_name() or s.decided_by.username}"
                for s in run.sign_offs.select_related("partner", "decided_by")
                if s.decided_by is not None
            ],
        },
    )
    return run
