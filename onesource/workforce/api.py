"""API for the workforce: posts, employees and their history, figures. Mounted at /api/workforce/."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from onesource.core.api_base import (
    BoundedPagination,
    Day,
    ErrorOut,
    OptionalText,
    ValidationErrorOut,
    get_scoped,
    kept_if_absent,
    require,
    scoped,
)
from onesource.core.models import Partner, Service, ServiceArea
from onesource.core.roles import Capability
from onesource.workforce import actions, api_import, api_transparency
from onesource.workforce.figures import WorkforceFigures
from onesource.workforce.health import may_view_health, read_health_records
from onesource.workforce.models import Employee, Post

router = Router(tags=["workforce"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


# Schemas


class PostOut(Schema):
    id: int
    reference: str
    title: str
    service: str = Field(..., alias="service.code")
    grade: str
    fte: Decimal
    budgeted_annual_cost: Decimal
    responsibilities: str
    is_senior_management: bool
    funded_by: str | None = Field(None, alias="funded_by.code")
    reports_to: str | None = Field(None, alias="reports_to.reference")
    starts_on: dt.date
    ends_on: dt.date | None


class PostIn(Schema):
    reference: str
    title: str
    service: str = Field(..., description="Service code")
    grade: str
    fte: Decimal
    budgeted_annual_cost: Decimal
    responsibilities: OptionalText = ""
    is_senior_management: bool = False
    funded_by: str | None = Field(None, description="Partner code; blank for a shared post")
    reports_to: str | None = Field(None, description="Reference of the post it reports to")
    starts_on: Day
    ends_on: Day | None = None


class PostPatch(Schema):
    title: str = kept_if_absent()
    grade: str = kept_if_absent()
    fte: Decimal | None = None
    budgeted_annual_cost: Decimal | None = None
    responsibilities: OptionalText = None
    is_senior_management: bool | None = None
    funded_by: str | None = None
    reports_to: str | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None


class PostFilter(FilterSchema):
    q: str | None = Field(None, description="Title or reference")
    service: Annotated[str | None, FilterLookup("service__code")] = None
    area: Annotated[str | None, FilterLookup("service__area__code")] = None
    grade: str | None = None
    is_senior_management: bool | None = None
    active_on: Day | None = None

    def filter_q(self, value: str | None) -> Q:
        return Q(title__icontains=value) | Q(reference__iexact=value) if value else Q()

    def filter_active_on(self, value: Day | None) -> Q:
        return Post.active_q(value) if value else Q()


class PeriodOut(Schema):
    id: int
    starts_on: dt.date
    ends_on: dt.date | None


class AssignmentOut(PeriodOut):
    post: str = Field(..., alias="post.reference")
    post_title: str = Field(..., alias="post.title")
    service: str = Field(..., alias="post.service.code")
    fte: Decimal
    salary: Decimal | None


class ContractOut(PeriodOut):
    contract_type: str
    cost: Decimal | None
    supplier: str


class ShareOut(Schema):
    partner: str = Field(..., alias="partner.code")
    percent: Decimal


class TimeSplitOut(PeriodOut):
    shares: list[ShareOut]

    @staticmethod
    def resolve_shares(obj: Any) -> list[Any]:
        return list(obj.shares.all())


class SecondmentOut(PeriodOut):
    from_partner: str = Field(..., alias="from_partner.code")
    to_partner: str = Field(..., alias="to_partner.code")
    note: str


class FurloughOut(PeriodOut):
    note: str


class EmployeeOut(Schema):
    staff_number: str
    first_name: str
    last_name: str
    employing_partner: str = Field(..., alias="employing_partner.code")
    started_on: dt.date
    left_on: dt.date | None
    leaving_reason: str


class EmployeeDetailOut(EmployeeOut):
    assignments: list[AssignmentOut]
    contract_periods: list[ContractOut]
    time_splits: list[TimeSplitOut]
    secondments: list[SecondmentOut]
    furlough_periods: list[FurloughOut]

    @staticmethod
    def resolve_assignments(obj: Employee) -> list[Any]:
        return list(obj.assignments.select_related("post__service"))

    @staticmethod
    def resolve_contract_periods(obj: Employee) -> list[Any]:
        return list(obj.contract_periods.all())

    @staticmethod
    def resolve_time_splits(obj: Employee) -> list[Any]:
        return list(obj.time_splits.prefetch_related("shares__partner"))

    @staticmethod
    def resolve_secondments(obj: Employee) -> list[Any]:
        return list(obj.secondments.select_related("from_partner", "to_partner"))

    @staticmethod
    def resolve_furlough_periods(obj: Employee) -> list[Any]:
        return list(obj.furlough_periods.all())


class EmployeeIn(Schema):
    staff_number: str
    first_name: str = Field(..., min_length=1)
    last_name: str = Field(..., min_length=1)
    employing_partner: str = Field(..., description="Partner code")
    started_on: Day


class EmployeePatch(Schema):
    first_name: str = kept_if_absent()
    last_name: str = kept_if_absent()
    employing_partner: str = kept_if_absent()
    started_on: Day | None = None


class EmployeeFilter(FilterSchema):
    q: str | None = Field(None, description="Name or staff number")
    partner: Annotated[str | None, FilterLookup("employing_partner__code")] = None
    employed_on: Day | None = None

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        q = Q(staff_number__iexact=value) | Q(last_name__istartswith=value) | Q(first_name__istartswith=value)
        first, _, last = value.partition(" ")
        if last:
            q |= Q(first_name__istartswith=first, last_name__istartswith=last)
        return q

    def filter_employed_on(self, value: Day | None) -> Q:
        return Employee.employed_q(value) if value else Q()


class AssignmentIn(Schema):
    post: str = Field(..., description="Post reference")
    fte: Decimal
    salary: Decimal | None = None
    starts_on: Day
    ends_on: Day | None = None


class ContractIn(Schema):
    contract_type: str
    starts_on: Day
    ends_on: Day | None = None
    cost: Decimal | None = None
    supplier: OptionalText = ""


class TimeSplitIn(Schema):
    starts_on: Day
    ends_on: Day | None = None
    shares: dict[str, Decimal] = Field(
        ..., description='Percent by partner code, e.g. {"HAV": 60, "NEW": 40}'
    )


class SecondmentIn(Schema):
    to_partner: str = Field(..., description="Partner code")
    starts_on: Day
    ends_on: Day | None = None
    note: OptionalText = ""


class FurloughIn(Schema):
    starts_on: Day
    ends_on: Day | None = None
    note: OptionalText = ""


class LeaverIn(Schema):
    left_on: Day
    leaving_reason: str


class SicknessOut(PeriodOut):
    working_days_lost: Decimal
    reason: str


class RiskAssessmentOut(Schema):
    id: int
    kind: str
    assessed_on: dt.date
    review_on: dt.date | None
    outcome: str


class RiskAssessmentIn(Schema):
    kind: str
    assessed_on: Day
    review_on: Day | None = None
    outcome: str


class HealthOut(Schema):
    staff_number: str
    sickness_absences: list[SicknessOut]
    risk_assessments: list[RiskAssessmentOut]


class FigureFilter(Schema):
    partner: str | None = Field(None, description="Partner code: people employed by or working for it")
    area: str | None = Field(None, description="Service area code")
    service: str | None = Field(None, description="Service code")
    contract_type: str | None = None


# Lookups that respect scope: an unseen or unknown code is the same 422 message.


def _partner(request: HttpRequest, code: str | None, field: str) -> Partner | None:
    if not code:
        return None
    partner = scoped(request, Partner).filter(code=code.upper()).first()
    if partner is None:
        raise ValidationError({field: f"No partner with code {code!r}."})
    return partner


def _service(request: HttpRequest, code: str) -> Service:
    service = scoped(request, Service).filter(code=code).first()
    if service is None:
        raise ValidationError({"service": f"No service with code {code!r}."})
    return service


def _post(request: HttpRequest, reference: str | None, field: str) -> Post | None:
    if not reference:
        return None
    post = scoped(request, Post).filter(reference=reference.upper()).first()
    if post is None:
        raise ValidationError({field: f"No post with reference {reference!r}."})
    return post


def _require_manage(
    request: HttpRequest, employee: Employee | None = None, partner: Partner | None = None
) -> None:
    partner_id = partner.pk if partner else employee.employing_partner_id if employee else None
    require(request, Capability.MANAGE_WORKFORCE, partner_id)


def _employee_to_manage(request: HttpRequest, staff_number: str) -> Employee:
    """A person the user may see (else 404) and whose records they may change (else 403)."""
    employee = get_scoped(request, Employee, staff_number=staff_number.upper())
    _require_manage(request, employee)
    return employee


def _any_partner(code: str, field: str) -> Partner:
    """A partner a person's time or secondment may go to: any partner, not only those the user sees."""
    partner = Partner.objects.filter(code=code.upper()).first()
    if partner is None:
        raise ValidationError({field: f"No partner with code {code!r}."})
    return partner


def _figures(request: HttpRequest, filters: FigureFilter) -> WorkforceFigures:
    area = None
    if filters.area:
        area = ServiceArea.objects.filter(code=filters.area).first()
        if area is None:
            raise ValidationError({"area": f"No service area with code {filters.area!r}."})
    return WorkforceFigures(
        request.user,
        partner=_partner(request, filters.partner, "partner"),
        area=area,
        service=_service(request, filters.service) if filters.service else None,
        contract_type=filters.contract_type or "",
    )


# Posts


@router.get("/posts", response=list[PostOut], summary="List posts")
@paginate(BoundedPagination)
def list_posts(request: HttpRequest, filters: Query[PostFilter]):
    queryset = scoped(request, Post).select_related("service", "funded_by", "reports_to")
    return filters.filter(queryset).order_by("service__name", "title", "reference")


@router.get("/posts/{post_id}", response={200: PostOut, **ERRORS}, summary="One post")
def get_post(request: HttpRequest, post_id: int):
    return get_scoped(request, Post, pk=post_id)


def _post_fields(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "service" in data:
        data["service"] = _service(request, data["service"])
    if "funded_by" in data:
        data["funded_by"] = _partner(request, data["funded_by"], "funded_by")
    if "reports_to" in data:
        data["reports_to"] = _post(request, data["reports_to"], "reports_to")
    return data


@router.post("/posts", response={201: PostOut, **ERRORS}, summary="Add a post")
def create_post(request: HttpRequest, payload: PostIn):
    data = _post_fields(request, payload.dict())
    _require_manage(request, partner=data.get("funded_by"))
    return Status(201, actions.create_post(acting_user=request.user, **data))


@router.patch("/posts/{post_id}", response={200: PostOut, **ERRORS}, summary="Change a post")
def update_post(request: HttpRequest, post_id: int, payload: PostPatch):
    post = get_scoped(request, Post, pk=post_id)
    _require_manage(request, partner=post.funded_by)
    return actions.update_post(
        post, acting_user=request.user, **_post_fields(request, payload.dict(exclude_unset=True))
    )


# Employees


@router.get("/employees", response=list[EmployeeOut], summary="List employees")
@paginate(BoundedPagination)
def list_employees(request: HttpRequest, filters: Query[EmployeeFilter]):
    queryset = scoped(request, Employee).select_related("employing_partner")
    return filters.filter(queryset).order_by("last_name", "first_name", "staff_number")


@router.get(
    "/employees/{staff_number}",
    response={200: EmployeeDetailOut, **ERRORS},
    summary="One person and their history",
)
def get_employee(request: HttpRequest, staff_number: str):
    return get_scoped(request, Employee, staff_number=staff_number.upper())


@router.post("/employees", response={201: EmployeeDetailOut, **ERRORS}, summary="Add a person")
def create_employee(request: HttpRequest, payload: EmployeeIn):
    data = payload.dict()
    data["staff_number"] = data["staff_number"].upper()
    data["employing_partner"] = _partner(request, data["employing_partner"], "employing_partner")
    _require_manage(request, partner=data["employing_partner"])
    return Status(201, actions.create_employee(acting_user=request.user, **data))


@router.patch(
    "/employees/{staff_number}", response={200: EmployeeDetailOut, **ERRORS}, summary="Change a person"
)
def update_employee(request: HttpRequest, staff_number: str, payload: EmployeePatch):
    employee = _employee_to_manage(request, staff_number)
    data = payload.dict(exclude_unset=True)
    if "employing_partner" in data:
        data["employing_partner"] = _partner(request, data["employing_partner"], "employing_partner")
        _require_manage(request, partner=data["employing_partner"])
    return actions.update_employee(employee, acting_user=request.user, **data)


@router.post(
    "/employees/{staff_number}/assignments",
    response={201: AssignmentOut, **ERRORS},
    summary="Assign to a post",
)
def add_assignment(request: HttpRequest, staff_number: str, payload: AssignmentIn):
    employee = _employee_to_manage(request, staff_number)
    data = payload.dict()
    data["post"] = _post(request, data["post"], "post")
    return Status(201, actions.add_assignment(employee, acting_user=request.user, **data))


@router.post(
    "/employees/{staff_number}/contracts",
    response={201: ContractOut, **ERRORS},
    summary="Add a contract period",
)
def add_contract(request: HttpRequest, staff_number: str, payload: ContractIn):
    employee = _employee_to_manage(request, staff_number)
    return Status(201, actions.add_contract_period(employee, acting_user=request.user, **payload.dict()))


@router.post(
    "/employees/{staff_number}/time-splits",
    response={201: TimeSplitOut, **ERRORS},
    summary="Set a time split",
)
def add_time_split(request: HttpRequest, staff_number: str, payload: TimeSplitIn):
    employee = _employee_to_manage(request, staff_number)
    shares = {_any_partner(code, "shares"): percent for code, percent in payload.shares.items()}
    split = actions.set_time_split(
        employee,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        shares=shares,
        acting_user=request.user,
    )
    return Status(201, split)


@router.post(
    "/employees/{staff_number}/secondments",
    response={201: SecondmentOut, **ERRORS},
    summary="Add a secondment",
)
def add_secondment(request: HttpRequest, staff_number: str, payload: SecondmentIn):
    employee = _employee_to_manage(request, staff_number)
    data = payload.dict()
    data["to_partner"] = _any_partner(data["to_partner"], "to_partner")
    return Status(201, actions.add_secondment(employee, acting_user=request.user, **data))


@router.post(
    "/employees/{staff_number}/furlough",
    response={201: FurloughOut, **ERRORS},
    summary="Add a furlough period",
)
def add_furlough(request: HttpRequest, staff_number: str, payload: FurloughIn):
    employee = _employee_to_manage(request, staff_number)
    return Status(201, actions.add_furlough(employee, acting_user=request.user, **payload.dict()))


@router.post(
    "/employees/{staff_number}/leave", response={200: EmployeeDetailOut, **ERRORS}, summary="Record a leaver"
)
def record_leaver(request: HttpRequest, staff_number: str, payload: LeaverIn):
    employee = _employee_to_manage(request, staff_number)
    return actions.record_leaver(employee, acting_user=request.user, **payload.dict())


@router.get(
    "/employees/{staff_number}/health",
    response={200: HealthOut, **ERRORS},
    summary="Sickness absences and risk assessments (special category data; every read is logged)",
)
def get_health(request: HttpRequest, staff_number: str):
    employee = get_scoped(request, Employee, staff_number=staff_number.upper())
    records = read_health_records(request.user, employee, purpose="api")
    if records is None:
        raise PermissionDenied("Only HR officers of the employing partner may see health data.")
    return {
        "staff_number": employee.staff_number,
        "sickness_absences": records.sickness_absences,
        "risk_assessments": records.risk_assessments,
    }


@router.post(
    "/employees/{staff_number}/risk-assessments",
    response={201: RiskAssessmentOut, **ERRORS},
    summary="Add a risk assessment (special category data: HR of the employing partner only)",
)
def add_risk_assessment(request: HttpRequest, staff_number: str, payload: RiskAssessmentIn):
    employee = get_scoped(request, Employee, staff_number=staff_number.upper())
    if not may_view_health(request.user, employee):
        raise PermissionDenied("Only HR officers of the employing partner may record health data.")
    return Status(201, actions.add_risk_assessment(employee, acting_user=request.user, **payload.dict()))


# Figures


@router.get(
    "/figures/headcount", response={200: dict[str, Any], **ERRORS}, summary="Headcount and FTE on a date"
)
def headcount(request: HttpRequest, date: Day, filters: Query[FigureFilter]):
    return _figures(request, filters).snapshot(date).as_dict()


@router.get("/figures/period", response={200: dict[str, Any], **ERRORS}, summary="Figures for a period")
def period_figures(
    request: HttpRequest,
    filters: Query[FigureFilter],
    start: Day = Query(..., alias="from"),  # noqa: B008
    end: Day = Query(..., alias="to"),  # noqa: B008
):
    if end < start:
        raise ValidationError({"to": "The end of the period must not be before its start."})
    return _figures(request, filters).period(start, end).as_dict()


# Each point is a column of one query; SQLite allows 2,000, and nobody reads more than 20 years monthly.
MAX_SERIES_POINTS = 240


@router.get("/figures/series", response={200: list[dict[str, Any]], **ERRORS}, summary="Headcount by month")
def series(
    request: HttpRequest,
    filters: Query[FigureFilter],
    start: Day = Query(..., alias="from"),  # noqa: B008
    end: Day = Query(..., alias="to"),  # noqa: B008
    step: int = Query(1, ge=1, le=12, description="Months between points"),
):
    if end < start:
        raise ValidationError({"to": "The end of the series must not be before its start."})
    months = (end.year - start.year) * 12 + end.month - start.month
    if months // step + 1 > MAX_SERIES_POINTS:
        raise ValidationError(
            {"to": f"A series has at most {MAX_SERIES_POINTS} points: shorten the range or widen the step."}
        )
    points = _figures(request, filters).monthly_series(start, end, step)
    return [
        {
            "date": p.day.isoformat(),
            "headcount": p.headcount,
            "fte": str(p.fte),
            "agency": p.agency,
            "interim": p.interim,
        }
        for p in points
    ]


# The import and the Transparency Code datasets have their own modules.
router.add_router("", api_import.router)
router.add_router("", api_transparency.router)
