"""API for recharging: agreements, budget and actual lines, driver figures, recharge runs and statements.

Mounted with the engine's router at /api/costing/. Reads go through `restrict(user, capability)`;
writes call the actions; bad input is 422 with messages per field; another partner's object is 404.
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
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
from onesource.core.jobs import start_job
from onesource.core.models import Partner, Service
from onesource.core.roles import Capability
from onesource.costing import actions
from onesource.costing.models import (
    ActualLine,
    Agreement,
    BudgetLine,
    DriverQuantity,
    RechargeRun,
    SupportUsage,
    TimeEntry,
)
from onesource.costing.statements import build_statement
from onesource.costing.visibility import own_share, sees_partnership_totals, sign_off_rows

recharge_router = Router(tags=["recharging"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _service(request: HttpRequest, code: str | None, field: str = "service") -> Service:
    service = scoped(request, Service).filter(code=code).first() if code else None
    if service is None:
        raise ValidationError({field: f"No service with code {code!r}."})
    return service


def _partner(request: HttpRequest, code: str | None, field: str) -> Partner | None:
    if not code:
        return None
    partner = scoped(request, Partner).filter(code=code.upper()).first()
    if partner is None:
        raise ValidationError({field: f"No partner with code {code!r}."})
    return partner


# Agreements


class ShareOut(Schema):
    partner: str = Field(..., alias="partner.code")
    percent: Decimal


class AgreementOut(Schema):
    id: int
    service: str = Field(..., alias="service.code")
    year: int
    basis: str
    pro_rata: bool
    tolerance_percent: Decimal
    is_support: bool
    support_method: str
    support_order: int | None
    note: str
    shares: list[ShareOut]

    @staticmethod
    def resolve_shares(obj: Agreement) -> list[Any]:
        return list(obj.shares.all())


class AgreementIn(Schema):
    service: str
    year: Year
    basis: str = "formula"
    shares: dict[str, Decimal] = Field({}, description="Partner code -> percentage, adding up to 100")
    pro_rata: bool = True
    tolerance_percent: Decimal = Decimal("3")
    is_support: bool = False
    support_method: OptionalText = ""
    support_order: int | None = None
    note: OptionalText = ""


class AgreementPatch(Schema):
    basis: str = kept_if_absent()
    shares: dict[str, Decimal] | None = None
    pro_rata: bool | None = None
    tolerance_percent: Decimal | None = None
    is_support: bool | None = None
    support_method: OptionalText = None
    support_order: int | None = None
    note: OptionalText = None


def _shares(request: HttpRequest, shares: dict[str, Decimal] | None) -> dict[Partner, Decimal] | None:
    if shares is None:
        return None
    # A formula names every member partner, including ones the caller cannot otherwise see.
    partners = {
        p.code: p for p in Partner.objects.dangerously_unscoped().filter(code__in=[c.upper() for c in shares])
    }
    unknown = [code for code in shares if code.upper() not in partners]
    if unknown:
        raise ValidationError({"shares": f"No partner with code {', '.join(unknown)}."})
    return {partners[code.upper()]: percent for code, percent in shares.items()}


@recharge_router.get("/agreements", response=list[AgreementOut], summary="List agreements")
@paginate(BoundedPagination)
def list_agreements(request: HttpRequest, year: Year | None = None, service: str | None = None):
    queryset = scoped(request, Agreement).select_related("service").prefetch_related("shares__partner")
    if year:
        queryset = queryset.filter(year=year)
    if service:
        queryset = queryset.filter(service__code=service)
    return queryset.order_by("-year", "service__name")


@recharge_router.get(
    "/agreements/{agreement_id}", response={200: AgreementOut, **ERRORS}, summary="One agreement"
)
def get_agreement(request: HttpRequest, agreement_id: int):
    return get_scoped(request, Agreement, pk=agreement_id)


@recharge_router.post("/agreements", response={201: AgreementOut, **ERRORS}, summary="Add an agreement")
def create_agreement(request: HttpRequest, payload: AgreementIn):
    require(request, Capability.MANAGE_FINANCE)
    data = payload.dict()
    shares = _shares(request, data.pop("shares"))
    data["service"] = _service(request, data["service"])
    return Status(201, actions.create_agreement(shares=shares, acting_user=request.user, **data))


@recharge_router.patch(
    "/agreements/{agreement_id}", response={200: AgreementOut, **ERRORS}, summary="Change an agreement"
)
def update_agreement(request: HttpRequest, agreement_id: int, payload: AgreementPatch):
    agreement = get_scoped(request, Agreement, pk=agreement_id)
    require(request, Capability.MANAGE_FINANCE)
    data = payload.dict(exclude_unset=True)
    shares = _shares(request, data.pop("shares", None))
    return actions.update_agreement(agreement, shares=shares, acting_user=request.user, **data)


# Budget and actual lines


class LineOut(Schema):
    id: int
    service: str = Field(..., alias="service.code")
    year: int
    month: int | None
    owner_partner: str | None = Field(None, alias="owner_partner.code")
    cost_centre: str
    description: str
    amount: Decimal
    source: str


class LineIn(Schema):
    service: str
    year: Year
    month: int | None = Field(None, description="Financial month, 1 = April; none for the whole year")
    owner_partner: str | None = Field(None, description="Partner code for a non-shared line")
    cost_centre: OptionalText = ""
    description: OptionalText = ""
    amount: Decimal
    source: OptionalText = ""


class LinePatch(Schema):
    month: int | None = None
    owner_partner: str | None = None
    cost_centre: OptionalText = None
    description: OptionalText = None
    amount: Decimal | None = None


def _line_fields(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "service" in data:
        data["service"] = _service(request, data["service"])
    if "owner_partner" in data:
        data["owner_partner"] = _partner(request, data["owner_partner"], "owner_partner")
    return data


def _lines(
    request: HttpRequest, model, service: str | None, year: int | None, owner: str | None, shared: bool | None
):
    queryset = scoped(request, model).select_related("service", "owner_partner")
    if service:
        queryset = queryset.filter(service__code=service)
    if year:
        queryset = queryset.filter(year=year)
    if owner:
        queryset = queryset.filter(owner_partner__code=owner.upper())
    if shared is not None:
        queryset = queryset.filter(owner_partner__isnull=shared)
    return queryset.order_by("-year", "service__name", "month", "pk")


@recharge_router.get("/budgets", response=list[LineOut], summary="List budget lines")
@paginate(BoundedPagination)
def list_budgets(
    request: HttpRequest,
    service: str | None = None,
    year: Year | None = None,
    owner: str | None = None,
    shared: bool | None = None,
):
    return _lines(request, BudgetLine, service, year, owner, shared)


@recharge_router.get("/budgets/{line_id}", response={200: LineOut, **ERRORS}, summary="One budget line")
def get_budget(request: HttpRequest, line_id: int):
    return get_scoped(request, BudgetLine, pk=line_id)


@recharge_router.post("/budgets", response={201: LineOut, **ERRORS}, summary="Add a budget line")
def create_budget(request: HttpRequest, payload: LineIn):
    require(request, Capability.MANAGE_FINANCE)
    fields = _line_fields(request, payload.dict())
    return Status(201, actions.create_budget_line(acting_user=request.user, **fields))


@recharge_router.patch(
    "/budgets/{line_id}", response={200: LineOut, **ERRORS}, summary="Change a budget line"
)
def update_budget(request: HttpRequest, line_id: int, payload: LinePatch):
    line = get_scoped(request, BudgetLine, Capability.MANAGE_FINANCE, pk=line_id)
    changes = _line_fields(request, payload.dict(exclude_unset=True))
    return actions.update_budget_line(line, acting_user=request.user, **changes)


@recharge_router.get("/actuals", response=list[LineOut], summary="List actual lines")
@paginate(BoundedPagination)
def list_actuals(
    request: HttpRequest,
    service: str | None = None,
    year: Year | None = None,
    owner: str | None = None,
    shared: bool | None = None,
):
    return _lines(request, ActualLine, service, year, owner, shared)


@recharge_router.get("/actuals/{line_id}", response={200: LineOut, **ERRORS}, summary="One actual line")
def get_actual(request: HttpRequest, line_id: int):
    return get_scoped(request, ActualLine, pk=line_id)


@recharge_router.post("/actuals", response={201: LineOut, **ERRORS}, summary="Add an actual line")
def create_actual(request: HttpRequest, payload: LineIn):
    require(request, Capability.MANAGE_FINANCE)
    fields = _line_fields(request, payload.dict())
    return Status(201, actions.create_actual_line(acting_user=request.user, **fields))


@recharge_router.patch(
    "/actuals/{line_id}", response={200: LineOut, **ERRORS}, summary="Change an actual line"
)
def update_actual(request: HttpRequest, line_id: int, payload: LinePatch):
    line = get_scoped(request, ActualLine, Capability.MANAGE_FINANCE, pk=line_id)
    changes = _line_fields(request, payload.dict(exclude_unset=True))
    return actions.update_actual_line(line, acting_user=request.user, **changes)


# Driver figures


class CountOut(Schema):
    id: int
    kind: str
    service: str = Field(..., alias="service.code")
    partner: str = Field(..., alias="partner.code")
    year: int
    month: int | None
    measure: str
    quantity: Decimal


class CountIn(Schema):
    kind: str = "caseload"
    service: str
    partner: str
    year: Year
    month: int | None = None
    measure: OptionalText = ""
    quantity: Decimal


@recharge_router.get("/counts", response=list[CountOut], summary="Caseload and transaction counts")
@paginate(BoundedPagination)
def list_counts(
    request: HttpRequest, service: str | None = None, year: Year | None = None, kind: str | None = None
):
    queryset = scoped(request, DriverQuantity).select_related("service", "partner")
    if service:
        queryset = queryset.filter(service__code=service)
    if year:
        queryset = queryset.filter(year=year)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-year", "service__name", "partner__code", "month")


@recharge_router.post("/counts", response={201: CountOut, **ERRORS}, summary="Add a count")
def create_count(request: HttpRequest, payload: CountIn):
    data = payload.dict()
    data["service"] = _service(request, data["service"])
    data["partner"] = _partner(request, data["partner"], "partner")
    require(request, Capability.MANAGE_FINANCE, data["partner"].pk)
    return Status(201, actions.create_driver_quantity(acting_user=request.user, **data))


class TimeEntryIn(Schema):
    person: str
    partner: str
    service: str
    date: Day
    hours: Decimal


class TimeEntryOut(Schema):
    id: int
    person: str
    partner: str = Field(..., alias="partner.code")
    service: str = Field(..., alias="service.code")
    date: dt.date
    hours: Decimal


@recharge_router.get("/time-entries", response=list[TimeEntryOut], summary="Time recorded")
@paginate(BoundedPagination)
def list_time_entries(
    request: HttpRequest,
    service: str | None = None,
    partner: str | None = None,
    date_from: Day | None = None,
    date_to: Day | None = None,
):
    queryset = scoped(request, TimeEntry).select_related("service", "partner")
    if service:
        queryset = queryset.filter(service__code=service)
    if partner:
        queryset = queryset.filter(partner__code=partner.upper())
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    return queryset.order_by("-date", "pk")


@recharge_router.post("/time-entries", response={201: TimeEntryOut, **ERRORS}, summary="Record time")
def create_time_entry(request: HttpRequest, payload: TimeEntryIn):
    data = payload.dict()
    data["service"] = _service(request, data["service"])
    data["partner"] = _partner(request, data["partner"], "partner")
    require(request, Capability.MANAGE_FINANCE, data["partner"].pk)
    return Status(201, actions.create_time_entry(acting_user=request.user, **data))


class UsageIn(Schema):
    year: Year
    support_service: str
    user_service: str
    quantity: Decimal
    unit: OptionalText = ""


class UsageOut(Schema):
    id: int
    year: int
    support_service: str = Field(..., alias="support_service.code")
    user_service: str = Field(..., alias="user_service.code")
    quantity: Decimal
    unit: str


@recharge_router.get("/support-usage", response=list[UsageOut], summary="Support usage table")
@paginate(BoundedPagination)
def list_support_usage(request: HttpRequest, year: Year | None = None):
    queryset = scoped(request, SupportUsage).select_related("support_service", "user_service")
    return (queryset.filter(year=year) if year else queryset).order_by("-year", "support_service__name")


@recharge_router.post(
    "/support-usage", response={201: UsageOut, **ERRORS}, summary="Set a support usage figure"
)
def set_support_usage(request: HttpRequest, payload: UsageIn):
    require(request, Capability.MANAGE_FINANCE)
    data = payload.dict()
    data["support_service"] = _service(request, data["support_service"], "support_service")
    data["user_service"] = _service(request, data["user_service"], "user_service")
    return Status(201, actions.set_support_usage(acting_user=request.user, **data))


# Recharge runs and statements


class SignOffOut(Schema):
    partner: str
    decision: str
    decided_by: str | None
    decided_at: dt.datetime | None
    comment: str


class SignOffIn(Schema):
    comment: str = ""


class RejectIn(Schema):
    reason: str


class RunOut(Schema):
    id: int
    year: int
    up_to_month: int | None
    is_estimate: bool
    version: int
    status: str
    method_used: str
    check: dict[str, str] | None = Field(None, description="Partnership totals: shared-service roles only.")
    previous: int | None = Field(None, alias="previous_id")
    estimate: int | None = Field(None, alias="estimate_id")
    changes: list[dict[str, str]]
    note: str
    created_at: dt.datetime
    approved_at: dt.datetime | None
    approved_by: str | None = Field(None, alias="approved_by.username")
    your_share: str | None = Field(None, description="What the partners you may see are charged, in all.")
    sign_offs: list[SignOffOut]

    # A partner user gets its own share; the partnership's totals only go to shared-service roles.
    @staticmethod
    def resolve_check(obj: RechargeRun, context: Any) -> dict[str, str] | None:
        if not sees_partnership_totals(context["request"].user):
            return None
        return {"went_in": f"{obj.check_in:.2f}", "charged": f"{obj.check_out:.2f}"}

    @staticmethod
    def resolve_your_share(obj: RechargeRun, context: Any) -> str | None:
        user = context["request"].user
        return None if sees_partnership_totals(user) else f"{own_share(obj, user):.2f}"

    @staticmethod
    def resolve_changes(obj: RechargeRun, context: Any) -> list[dict[str, str]]:
        user = context["request"].user
        if sees_partnership_totals(user):
            return obj.changes
        codes = set(Partner.objects.restrict(user).values_list("code", flat=True))
        return [c for c in obj.changes if c.get("partner") in codes]

    @staticmethod
    def resolve_sign_offs(obj: RechargeRun, context: Any) -> list[dict[str, Any]]:
        return [
            {
                "partner": row["partner_code"],
                "decision": row["decision_code"],
                "decided_by": row["decided_by"] or None,
                "decided_at": row["decided_at"],
                "comment": row["comment"],
            }
            for row in sign_off_rows(obj, context["request"].user)
        ]


class RunIn(Schema):
    year: Year
    up_to_month: int | None = None
    estimate: bool = False
    support_method: OptionalText = ""
    note: OptionalText = ""


class JobStarted(Schema):
    id: uuid.UUID
    kind: str
    status: str
    url: str


class StatementLineOut(Schema):
    service: str
    service_name: str
    basis: str
    basis_detail: str
    share_percent: Decimal
    service_budget: Decimal
    service_actual: Decimal
    budget_share: Decimal
    shared_variance_share: Decimal
    non_shared_budget: Decimal
    non_shared_variance: Decimal
    total: Decimal
    sources: dict[str, str]


class StatementOut(Schema):
    run: int
    partner: str
    status: str
    total: Decimal
    lines: list[StatementLineOut]


@recharge_router.get("/runs", response=list[RunOut], summary="List recharge runs")
@paginate(BoundedPagination)
def list_runs(request: HttpRequest, year: Year | None = None, status: str | None = None):
    queryset = scoped(request, RechargeRun).select_related("approved_by")
    if year:
        queryset = queryset.filter(year=year)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-year", "-version")


@recharge_router.get("/runs/{run_id}", response={200: RunOut, **ERRORS}, summary="One recharge run")
def get_run(request: HttpRequest, run_id: int):
    return get_scoped(request, RechargeRun, pk=run_id)


@recharge_router.post("/runs", response={202: JobStarted, **ERRORS}, summary="Start a recharge run (a job)")
def start_run(request: HttpRequest, payload: RunIn):
    """Starts the `costing.recharge_run` job; follow its progress at `/api/jobs/{id}`."""
    if not actions.can_build_runs(request.user):
        raise PermissionDenied("Only shared-service finance builds partnership-wide runs.")
    if not 2000 <= payload.year <= 2100:
        raise ValidationError({"year": "Enter the year the financial year starts in, like 2017."})
    job = start_job("costing.recharge_run", payload.dict(), acting_user=request.user)
    return Status(202, {"id": job.pk, "kind": job.kind, "status": job.status, "url": f"/api/jobs/{job.pk}"})


@recharge_router.post(
    "/runs/{run_id}/approve",
    response={200: RunOut, **ERRORS},
    summary="Approve a draft run whose every member has signed off",
)
def approve_run(request: HttpRequest, run_id: int):
    """The last member's sign-off approves a run itself; this is 422 while any sign-off is missing."""
    run = get_scoped(request, RechargeRun, pk=run_id)
    require(request, Capability.MANAGE_FINANCE)
    return actions.approve_run(run, acting_user=request.user)


def _sign_off_target(request: HttpRequest, run_id: int, code: str) -> tuple[RechargeRun, Partner]:
    run = get_scoped(request, RechargeRun, pk=run_id)
    partner = get_scoped(request, Partner, code=code.upper())
    require(request, Capability.APPROVE_FINANCE, partner.pk)
    return run, partner


@recharge_router.post(
    "/runs/{run_id}/sign-offs/{code}",
    response={200: RunOut, **ERRORS},
    summary="Sign off your council's statement in a run",
)
def sign_off(request: HttpRequest, run_id: int, code: str, payload: SignOffIn):
    """By the council's own finance officer, not the run's builder; the last sign-off approves the run."""
    run, partner = _sign_off_target(request, run_id, code)
    actions.sign_off_statement(run, partner, comment=payload.comment, acting_user=request.user)
    return RechargeRun.objects.get(pk=run.pk)


@recharge_router.post(
    "/runs/{run_id}/sign-offs/{code}/reject",
    response={200: RunOut, **ERRORS},
    summary="Reject your council's statement in a run, with a reason",
)
def reject(request: HttpRequest, run_id: int, code: str, payload: RejectIn):
    """A rejected run cannot be approved: shared-service finance builds a new version."""
    run, partner = _sign_off_target(request, run_id, code)
    actions.reject_statement(run, partner, reason=payload.reason, acting_user=request.user)
    return RechargeRun.objects.get(pk=run.pk)


@recharge_router.delete(
    "/runs/{run_id}", response={204: None, **ERRORS}, summary="Delete a draft run (approved runs cannot be)"
)
def delete_run(request: HttpRequest, run_id: int):
    """Only a draft can be deleted: an approved or superseded run, or a referred-to draft, is 422."""
    run = get_scoped(request, RechargeRun, pk=run_id)
    require(request, Capability.MANAGE_FINANCE)
    actions.delete_draft_run(run, acting_user=request.user)
    return Status(204, None)


@recharge_router.get(
    "/runs/{run_id}/statements/{code}",
    response={200: StatementOut, **ERRORS},
    summary="A partner's statement",
)
def get_statement(request: HttpRequest, run_id: int, code: str):
    run = get_scoped(request, RechargeRun, pk=run_id)
    partner = get_scoped(request, Partner, code=code.upper())
    statement = build_statement(run, partner)
    if not statement.rows:
        from django.http import Http404

        raise Http404("No statement for this partner in this run.")
    base = request.build_absolute_uri("/").rstrip("/")
    return {
        "run": run.pk,
        "partner": partner.code,
        "status": run.status,
        "total": statement.totals["total"],
        "lines": [
            {
                "service": row.service.code,
                "service_name": row.service.name,
                "basis": row.charge.basis,
                "basis_detail": row.basis_detail,
                "share_percent": row.share_percent,
                "service_budget": row.cost.budget_total if row.cost else Decimal(0),
                "service_actual": row.cost.actual_total if row.cost else Decimal(0),
                "budget_share": row.charge.budget_share,
                "shared_variance_share": row.charge.variance_share,
                "non_shared_budget": row.charge.nonshared_budget,
                "non_shared_variance": row.charge.nonshared_variance,
                "total": row.charge.total,
                "sources": {name: base + url for name, url in row.links.items()},
            }
            for row in statement.rows
        ],
    }
