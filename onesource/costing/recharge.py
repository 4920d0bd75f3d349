"""The recharge computation: each partner's share of every service's cost and variance for a period.

1. Budget and actual lines are summed in SQL per service, shared and non-shared (per owner).
2. Support services' shared budgets and actuals are allocated to the front-line services by the
   engine (direct, step-down or reciprocal), using the year's support usage table.
3. Each front-line service's total budget and its shared variance (actual - budget) are split
   between partners by its agreement: fixed percentages (pro rata to days of membership for a
   partner that joins or leaves in the period) or a driver (headcount, caseload, time…).
   Non-shared lines stay with their owner.
4. A final run after an approved estimate keeps a partner's estimated share unless the new share
   differs from it by more than the agreement's tolerance (a true-up).
Every split is to the penny by largest remainder, so the partners' amounts add up exactly.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Sum

from onesource.core.drivers import DRIVER_PROVIDERS
from onesource.core.models import Membership, Partner, Service, ServiceCoverage
from onesource.core.models.partnership import PartnerKind
from onesource.core.money import split_to_penny
from onesource.core.periods import Period
from onesource.costing.models import (
    ActualLine,
    Agreement,
    Basis,
    BudgetLine,
    RechargeCharge,
    RechargeRun,
    RunStatus,
    SupportUsage,
)
from onesource.costing.models.common import year_label

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
FRACTION_PLACES = Decimal("0.0000000001")
K = TypeVar("K", bound=Hashable)
Progress = Callable[[int, int, str], None]


def period_bounds(year: int, up_to_month: int | None) -> tuple[dt.date, dt.date]:
    """First and last day of a financial year, or of its first `up_to_month` months (1 is April)."""
    start = dt.date(year, 4, 1)
    if not up_to_month:
        return start, dt.date(year + 1, 3, 31)
    calendar_month = (up_to_month + 2) % 12 + 1
    calendar_year = year if calendar_month >= 4 else year + 1
    return start, dt.date(
        calendar_year, calendar_month, calendar.monthrange(calendar_year, calendar_month)[1]
    )


# Shares: who pays what fraction of a service under its agreement


@dataclass
class PartnerBasis:
    """Why a partner carries its share: the formula's percentage and its days, or its driver quantity."""

    percent: Decimal | None = None
    days: int | None = None
    period_days: int | None = None
    quantity: Decimal | None = None
    weight: Decimal = Decimal(0)


@dataclass
class AgreementSplit:
    basis: str
    partners: dict[int, PartnerBasis]
    driver_total: Decimal | None = None
    driver_unit: str = ""

    @property
    def weights(self) -> dict[int, Decimal]:
        return {pid: b.weight for pid, b in self.partners.items() if b.weight > 0}

    def fractions(self) -> dict[int, Decimal]:
        weights = self.weights
        total = sum(weights.values(), Decimal(0))
        return {pid: w / total for pid, w in weights.items()}


class MembershipDays:
    """Days each partner was in the partnership, or received a service, within a period (loaded once)."""

    def __init__(self) -> None:
        self.coverage: dict[tuple[int, int], list[Period]] = defaultdict(list)
        for c in ServiceCoverage.objects.dangerously_unscoped().only(
            "service_id", "partner_id", "starts_on", "ends_on"
        ):
            self.coverage[(c.service_id, c.partner_id)].append(c.period)
        self.membership: dict[int, list[Period]] = defaultdict(list)
        for m in Membership.objects.dangerously_unscoped().only("partner_id", "joined_on", "left_on"):
            self.membership[m.partner_id].append(m.period)

    def days(self, service_id: int, partner_id: int, start: dt.date, end: dt.date) -> int:
        # The service's own coverage says best when the partner had it; membership otherwise.
        periods = self.coverage.get((service_id, partner_id)) or self.membership.get(partner_id, [])
        return min(sum(p.days_within(start, end) for p in periods), (end - start).days + 1)


def agreement_split(
    agreement: Agreement, start: dt.date, end: dt.date, days: MembershipDays | None = None
) -> AgreementSplit:
    """The partners' weights under an agreement over [start, end]. Raises ValidationError when it cannot."""
    where = f"{agreement.service.name} in {agreement.year_label}"
    if agreement.basis == Basis.FORMULA:
        shares = list(agreement.shares.all())
        if not shares:
            raise ValidationError({"agreement": f"The agreement for {where} has no percentages."})
        days = days or MembershipDays()
        period_days = (end - start).days + 1
        partners: dict[int, PartnerBasis] = {}
        for share in shares:
            basis = PartnerBasis(percent=share.percent)
            if agreement.pro_rata:
                basis.days = days.days(agreement.service_id, share.partner_id, start, end)
                basis.period_days = period_days
                basis.weight = share.percent * basis.days / period_days
            else:
                basis.weight = share.percent
            partners[share.partner_id] = basis
        split = AgreementSplit(basis=agreement.basis, partners=partners)
        if not split.weights:
            raise ValidationError(
                {"agreement": f"No partner of the agreement for {where} was a member in the period."}
            )
        return split
    provider = DRIVER_PROVIDERS.get(agreement.basis)
    if provider is None:
        known = ", ".join(sorted(DRIVER_PROVIDERS)) or "none"
        raise ValidationError(
            {
                "agreement": f"The agreement for {where} splits by the "
                f"{agreement.get_basis_display().lower()} "
                f"driver ({agreement.basis!r}), but no app provides it in this installation "
                f"(drivers available: {known}). Change the agreement's basis or install the app "
                "that provides it."
            }
        )
    quantities = provider.provide(agreement.service, start, end)
    # Only members share costs: an external customer pays for traded services under its own contract.
    members = set(
        Partner.objects.dangerously_unscoped()
        .filter(pk__in=list(quantities), kind=PartnerKind.MEMBER)
        .values_list("pk", flat=True)
    )
    partners = {
        pid: PartnerBasis(quantity=q, weight=q) for pid, q in quantities.items() if q > 0 and pid in members
    }
    if not partners:
        raise ValidationError(
            {
                "agreement": f"The {provider.label.lower()} driver has no figures for {where}: "
                "enter them first."
            }
        )
    return AgreementSplit(
        basis=agreement.basis,
        partners=partners,
        driver_total=sum((b.weight for b in partners.values()), Decimal(0)),
        driver_unit=provider.unit,
    )


def agreement_fractions_in_year(year: int, service_ids: Collection[int]) -> dict[int, dict[int, Decimal]]:
    """Each of those services' partner fractions for a financial year under its agreement; a service
    with no agreement, or one that cannot be split (no figures yet), is left out. One query for the
    agreements and their percentages, membership loaded once, drivers asked per agreement."""
    agreements = (
        Agreement.objects.dangerously_unscoped()
        .select_related("service")
        .prefetch_related("shares")
        .filter(year=year, service_id__in=list(service_ids))
    )
    start, end = period_bounds(year, None)
    days = MembershipDays()
    fractions: dict[int, dict[int, Decimal]] = {}
    for agreement in agreements:
        try:
            fractions[agreement.service_id] = agreement_split(agreement, start, end, days).fractions()
        except ValidationError:
            continue
    return fractions


# The run


@dataclass
class ServiceFigures:
    service: Service
    agreement: Agreement | None = None
    budget_direct: Decimal = ZERO
    actual_direct: Decimal = ZERO
    budget_support: Decimal = ZERO
    actual_support: Decimal = ZERO
    nonshared_budget: dict[int, Decimal] = field(default_factory=dict)
    nonshared_actual: dict[int, Decimal] = field(default_factory=dict)
    support_from: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def is_support(self) -> bool:
        return bool(self.agreement and self.agreement.is_support)

    @property
    def budget_total(self) -> Decimal:
        return ZERO if self.is_support else self.budget_direct + self.budget_support

    @property
    def actual_total(self) -> Decimal:
        return ZERO if self.is_support else self.actual_direct + self.actual_support


def _ledger_totals(model: type[BudgetLine] | type[ActualLine], year: int, up_to_month: int | None):
    """{(service_id, owner_id or None): amount} for the period; whole-year lines pro rata to the months."""
    lines = model.objects.dangerously_unscoped().filter(year=year)
    totals: dict[tuple[int, int | None], Decimal] = defaultdict(lambda: ZERO)
    monthly = lines.filter(month__isnull=False)
    if up_to_month:
        monthly = monthly.filter(month__lte=up_to_month)
    for row in monthly.values("service_id", "owner_partner_id").annotate(total=Sum("amount")):
        # SQLite sums decimals in floating point: back to pennies.
        totals[(row["service_id"], row["owner_partner_id"])] += Decimal(row["total"]).quantize(PENNY)
    annual = (
        lines.filter(month__isnull=True)
        .values("service_id", "owner_partner_id")
        .annotate(total=Sum("amount"))
    )
    for row in annual:
        amount = Decimal(row["total"]).quantize(PENNY)
        if up_to_month:
            amount = (amount * up_to_month / 12).quantize(PENNY, ROUND_HALF_UP)
        totals[(row["service_id"], row["owner_partner_id"])] += amount
    return totals


def _support_allocation(figures: dict[int, ServiceFigures], method_override: str, year: int) -> str:
    """Allocate support services' shared budgets and actuals to the front-line services, in place."""
    from onesource.costing.engine import AllocationError, AllocationRequest, allocate

    pools = [f for f in figures.values() if f.is_support]
    if not pools:
        return ""
    methods = {f.agreement.support_method for f in pools if f.agreement}
    method = method_override or (methods.pop() if len(methods) == 1 else "")
    if not method:
        raise ValidationError(
            {
                "support_method": "The support services' agreements name different methods: "
                "choose one for the run."
            }
        )
    order = [
        f.service.code
        for f in sorted(pools, key=lambda f: (f.agreement.support_order or 999, f.service.name))  # type: ignore[union-attr]
    ]
    usage: dict[str, dict[str, Decimal]] = defaultdict(dict)
    by_id = {f.service.pk: f for f in figures.values()}
    for row in SupportUsage.objects.dangerously_unscoped().filter(year=year).select_related("user_service"):
        if row.support_service_id in by_id and by_id[row.support_service_id].is_support:
            if row.user_service_id not in by_id:
                by_id[row.user_service_id] = figures.setdefault(
                    row.user_service_id, ServiceFigures(row.user_service)
                )
            usage[by_id[row.support_service_id].service.code][row.user_service.code] = row.quantity
    receivers = [f for f in figures.values() if not f.is_support]
    codes = {f.service.code: f for f in figures.values()}
    for what in ("budget", "actual"):
        request = AllocationRequest(
            method=method,
            pools={f.service.code: getattr(f, f"{what}_direct") for f in pools},
            # Receivers' own costs do not change what they receive (and may be negative: income).
            receivers={f.service.code: Decimal(0) for f in receivers},
            usage=dict(usage),
            order=order if method == "step_down" else None,
        )
        try:
            result = allocate(request)
        except AllocationError as exc:
            raise ValidationError(
                {
                    "support_method": f"The support services cannot be allocated "
                    f"({what}s, {year_label(year)}): {exc}"
                }
            ) from exc
        if result.pool_cost_in != result.allocated_out:  # the engine's own promise, checked where it matters
            raise ValidationError(
                {"support_method": "The support allocation did not reconcile to the penny."}
            )
        for code, received in result.receivers.items():
            target = codes[code]
            setattr(target, f"{what}_support", received.allocated)
            for pool_code, amount in received.from_pools.items():
                target.support_from.setdefault(pool_code, {})[what] = f"{amount:.2f}"
    return method


def _true_up_weights(
    computed: dict[int, Decimal], estimate: dict[int, Decimal], tolerance_percent: Decimal
) -> tuple[dict[int, Decimal], dict[int, bool]]:
    """Keep each partner's estimated fraction unless the computed one moved by more than the tolerance
    (relative to the estimate); partners re-set share what the kept ones leave, in proportion."""
    tolerance = tolerance_percent / 100
    kept: dict[int, Decimal] = {}
    reset: dict[int, bool] = {}
    for pid in set(computed) | set(estimate):
        before, now = estimate.get(pid), computed.get(pid, Decimal(0))
        if before is not None and before > 0 and abs(now - before) <= tolerance * before:
            kept[pid] = before
            reset[pid] = False
        else:
            reset[pid] = True
    left = 1 - sum(kept.values(), Decimal(0))
    resetting = {pid: computed.get(pid, Decimal(0)) for pid, was_reset in reset.items() if was_reset}
    resetting = {pid: f for pid, f in resetting.items() if f > 0}
    reset_total = sum(resetting.values(), Decimal(0))
    if left < 0 or (resetting and reset_total <= 0) or (not resetting and not kept):
        return computed, {pid: True for pid in computed}
    weights = dict(kept)
    for pid, f in resetting.items():
        weights[pid] = f / reset_total * left
    return {pid: w for pid, w in weights.items() if w > 0}, reset


@dataclass
class ComputedRun:
    service_costs: list[dict]
    charges: list[dict]
    method: str
    check_in: Decimal
    check_out: Decimal


def compute_run(run: RechargeRun, progress: Progress | None = None) -> ComputedRun:
    """Work out a run's service costs and partner charges (not saved). Raises ValidationError."""
    report = progress or (lambda done, total, message: None)
    start, end = period_bounds(run.year, run.up_to_month)
    report(0, 4, "Summing budget and actual lines")
    budgets = _ledger_totals(BudgetLine, run.year, run.up_to_month)
    actuals = _ledger_totals(ActualLine, run.year, run.up_to_month)
    agreements = {
        a.service_id: a
        for a in Agreement.objects.dangerously_unscoped()
        .filter(year=run.year)
        .select_related("service")
        .prefetch_related("shares")
    }
    service_ids = {sid for sid, _ in budgets} | {sid for sid, _ in actuals} | set(agreements)
    if not budgets and not actuals:
        raise ValidationError(
            {"year": f"There are no budget or actual lines for {year_label(run.year)}: nothing to recharge."}
        )
    services = {s.pk: s for s in Service.objects.dangerously_unscoped().filter(pk__in=service_ids)}
    figures: dict[int, ServiceFigures] = {
        sid: ServiceFigures(services[sid], agreements.get(sid)) for sid in sorted(service_ids)
    }
    for (sid, owner), amount in budgets.items():
        if owner is None:
            figures[sid].budget_direct += amount
        else:
            figures[sid].nonshared_budget[owner] = amount
    for (sid, owner), amount in actuals.items():
        if owner is None:
            figures[sid].actual_direct += amount
        else:
            figures[sid].nonshared_actual[owner] = amount
    check_in = sum(actuals.values(), ZERO)

    report(1, 4, "Allocating support services")
    method = _support_allocation(figures, run.support_method, run.year)

    report(2, 4, "Splitting services between partners")
    estimate_fractions: dict[tuple[int, int], Decimal] = {}
    if run.estimate_id:
        for charge in RechargeCharge.objects.dangerously_unscoped().filter(run_id=run.estimate_id):
            if charge.fraction > 0:
                estimate_fractions[(charge.service_id, charge.partner_id)] = charge.fraction
    days = MembershipDays()
    service_costs: list[dict] = []
    charges: list[dict] = []
    problems: list[str] = []
    for sid, fig in figures.items():
        split: AgreementSplit | None = None
        applied: dict[int, Decimal] = {}
        reset: dict[int, bool] = {}
        computed: dict[int, Decimal] = {}
        needs_split = not fig.is_support and (fig.budget_total != 0 or fig.actual_total != 0)
        if needs_split and fig.agreement is None:
            problems.append(
                f"{fig.service.name} has shared costs in {year_label(run.year)} but no agreement."
            )
            continue
        if fig.agreement is not None and not fig.is_support:
            try:
                split = agreement_split(fig.agreement, start, end, days)
            except ValidationError as exc:
                if needs_split:
                    problems.extend(exc.messages)
                    continue
            if split is not None:
                computed = split.fractions()
                applied = split.weights
                if run.estimate_id:
                    estimated = {pid: f for (s, pid), f in estimate_fractions.items() if s == sid}
                    if estimated:
                        applied, reset = _true_up_weights(
                            computed, estimated, fig.agreement.tolerance_percent
                        )
        variance = fig.actual_total - fig.budget_total
        budget_parts = split_to_penny(fig.budget_total, applied) if applied else {}
        variance_parts = split_to_penny(variance, applied) if applied else {}
        applied_total = sum(applied.values(), Decimal(0))
        partner_ids = set(applied) | set(fig.nonshared_budget) | set(fig.nonshared_actual)
        for pid in sorted(partner_ids):
            basis = split.partners.get(pid) if split else None
            own_budget = fig.nonshared_budget.get(pid, ZERO)
            own_variance = fig.nonshared_actual.get(pid, ZERO) - own_budget
            budget_share = budget_parts.get(pid, ZERO)
            variance_share = variance_parts.get(pid, ZERO)
            fraction = applied[pid] / applied_total if pid in applied else Decimal(0)
            charges.append(
                {
                    "partner_id": pid,
                    "service_id": sid,
                    "basis": fig.agreement.basis if fig.agreement else Basis.FORMULA,
                    "percent": basis.percent if basis else None,
                    "driver_quantity": basis.quantity if basis else None,
                    "days": basis.days if basis else None,
                    "period_days": basis.period_days if basis else None,
                    "computed_fraction": computed.get(pid, Decimal(0)).quantize(FRACTION_PLACES),
                    "estimate_fraction": estimate_fractions.get((sid, pid)),
                    "fraction": fraction.quantize(FRACTION_PLACES),
                    "reset": reset.get(pid) if reset else None,
                    "budget_share": budget_share,
                    "variance_share": variance_share,
                    "nonshared_budget": own_budget,
                    "nonshared_variance": own_variance,
                    "total": budget_share + variance_share + own_budget + own_variance,
                }
            )
        service_costs.append(
            {
                "service_id": sid,
                "agreement": fig.agreement,
                "basis": fig.agreement.basis if fig.agreement else Basis.FORMULA,
                "is_support": fig.is_support,
                "budget_direct": fig.budget_direct,
                "actual_direct": fig.actual_direct,
                "budget_support": fig.budget_support,
                "actual_support": fig.actual_support,
                "budget_total": fig.budget_total,
                "actual_total": fig.actual_total,
                "variance": variance,
                "nonshared_budget": sum(fig.nonshared_budget.values(), ZERO),
                "nonshared_actual": sum(fig.nonshared_actual.values(), ZERO),
                "driver_total": split.driver_total if split else None,
                "driver_unit": split.driver_unit if split else "",
                "support_from": fig.support_from,
            }
        )
    if problems:
        raise ValidationError({"__all__": problems})
    report(3, 4, "Checking the totals")
    check_out = sum((c["total"] for c in charges), ZERO)
    if check_in != check_out:
        raise ValidationError(
            {"__all__": f"The run does not reconcile: {check_in} went in but {check_out} was charged."}
        )
    return ComputedRun(service_costs, charges, method, check_in, check_out)


def run_changes(previous: RechargeRun | None, charges: Iterable[dict]) -> list[dict]:
    """What changed against the version corrected: per partner and service, before and after."""
    if previous is None:
        return []
    before = {(c.partner_id, c.service_id): c.total for c in previous.charges.all()}
    after = {(c["partner_id"], c["service_id"]): c["total"] for c in charges}
    codes = dict(Partner.objects.dangerously_unscoped().values_list("pk", "code"))
    names = dict(Service.objects.dangerously_unscoped().values_list("pk", "code"))
    changes = []
    for key in sorted(set(before) | set(after), key=lambda k: (codes.get(k[0], ""), names.get(k[1], ""))):
        old, new = before.get(key, ZERO), after.get(key, ZERO)
        if old != new:
            changes.append(
                {
                    "partner": codes.get(key[0], ""),
                    "service": names.get(key[1], ""),
                    "before": f"{old:.2f}",
                    "after": f"{new:.2f}",
                    "change": f"{new - old:.2f}",
                }
            )
    return changes


def latest_approved_estimate(year: int) -> RechargeRun | None:
    return (
        RechargeRun.objects.dangerously_unscoped()
        .filter(year=year, is_estimate=True, status=RunStatus.APPROVED)
        .order_by("-version")
        .first()
    )
