"""API for the partnership: partners, memberships, services, service coverage, jobs."""

import datetime as dt
import uuid
from typing import Annotated, Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from onesource.core import actions
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
from onesource.core.jobs import JOB_KINDS, job_progress, start_job
from onesource.core.models import Job, Partner, Service, ServiceArea, ServiceCoverage
from onesource.core.roles import Capability

router = Router(tags=["partnership"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


# Schemas


class MembershipOut(Schema):
    id: int
    joined_on: dt.date
    left_on: dt.date | None
    note: str


class PartnerOut(Schema):
    code: str
    name: str
    gss_code: str
    kind: str
    is_founder: bool
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_memberships(obj: Partner) -> list[Any]:
        return list(obj.memberships.all())


class PartnerIn(Schema):
    code: str = Field(..., min_length=2, max_length=6)
    name: str = Field(..., min_length=1, max_length=200)
    gss_code: str = Field(..., max_length=9)
    kind: str = "member"
    is_founder: bool = False


class PartnerPatch(Schema):
    name: str = kept_if_absent()
    gss_code: str = kept_if_absent()
    kind: str = kept_if_absent()
    is_founder: bool | None = None


class MembershipIn(Schema):
    joined_on: Day
    left_on: Day | None = None
    note: OptionalText = ""


class PartnerFilter(FilterSchema):
    q: str | None = Field(None, description="Name, code or GSS code")
    kind: str | None = None

    def filter_q(self, value: str | None) -> Q:
        return Q(name__icontains=value) | Q(code__iexact=value) | Q(gss_code__iexact=value) if value else Q()


class ServiceOut(Schema):
    code: str
    name: str
    area: str = Field(..., alias="area.code")
    area_name: str = Field(..., alias="area.name")
    sharing: str
    owner_partner: str | None = Field(None, alias="owner_partner.code")
    lead_partner: str | None = Field(None, alias="lead_partner.code")
    head_of_service: str
    description: str


class ServiceIn(Schema):
    area: str = Field(..., description="Service area code")
    code: str
    name: str
    sharing: str = "shared"
    owner_partner: str | None = Field(None, description="Partner code, for a partner-specific service")
    lead_partner: str | None = None
    head_of_service: OptionalText = ""
    description: OptionalText = ""


class ServicePatch(Schema):
    area: str = kept_if_absent()
    name: str = kept_if_absent()
    sharing: str = kept_if_absent()
    owner_partner: str | None = None
    lead_partner: str | None = None
    head_of_service: OptionalText = None
    description: OptionalText = None


class ServiceFilter(FilterSchema):
    q: str | None = None
    area: Annotated[str | None, FilterLookup("area__code")] = None
    sharing: str | None = None

    def filter_q(self, value: str | None) -> Q:
        return Q(name__icontains=value) | Q(head_of_service__icontains=value) if value else Q()


class CoverageOut(Schema):
    id: int
    service: str = Field(..., alias="service.code")
    partner: str = Field(..., alias="partner.code")
    starts_on: dt.date
    ends_on: dt.date | None
    end_reason: str
    note: str


class CoverageIn(Schema):
    service: str
    partner: str
    starts_on: Day
    ends_on: Day | None = None
    end_reason: OptionalText = ""
    note: OptionalText = ""


class CoveragePatch(Schema):
    starts_on: Day | None = None
    ends_on: Day | None = None
    end_reason: OptionalText = None
    note: OptionalText = None


class CoverageFilter(FilterSchema):
    partner: Annotated[str | None, FilterLookup("partner__code")] = None
    service: Annotated[str | None, FilterLookup("service__code")] = None
    area: Annotated[str | None, FilterLookup("service__area__code")] = None
    active_on: Day | None = None

    def filter_active_on(self, value: Day | None) -> Q:
        return ServiceCoverage.active_q(value) if value else Q()


class JobIn(Schema):
    kind: str
    params: dict[str, Any] = {}
    partner: str | None = None


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    status: str
    partner: str | None = Field(None, alias="partner.code")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    progress: dict[str, Any]
    message: str
    result: dict[str, Any]
    errors: list[Any]
    output_url: str | None

    @staticmethod
    def resolve_progress(obj: Job) -> dict[str, Any]:
        return job_progress(obj)

    @staticmethod
    def resolve_output_url(obj: Job) -> str | None:
        return f"/jobs/{obj.pk}/output/" if obj.output else None


# Lookups by code that respect scope: an unseen or unknown code is the same 422 message.


def _partner_by_code(request: HttpRequest, code: str | None, field: str) -> Partner | None:
    if not code:
        return None
    partner = scoped(request, Partner).filter(code=code.upper()).first()
    if partner is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({field: f"No partner with code {code!r}."})
    return partner


def _service_by_code(request: HttpRequest, code: str, field: str = "service") -> Service:
    service = scoped(request, Service).filter(code=code).first()
    if service is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({field: f"No service with code {code!r}."})
    return service


def _area_by_code(code: str) -> ServiceArea:
    area = ServiceArea.objects.filter(code=code).first()
    if area is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({"area": f"No service area with code {code!r}."})
    return area


# Partners


@router.get("/partners", response=list[PartnerOut], summary="List partners")
@paginate(BoundedPagination)
def list_partners(request: HttpRequest, filters: Query[PartnerFilter]):
    return filters.filter(scoped(request, Partner).prefetch_related("memberships")).order_by("name")


@router.get("/partners/{code}", response={200: PartnerOut, **ERRORS}, summary="One partner")
def get_partner(request: HttpRequest, code: str):
    return get_scoped(request, Partner, code=code.upper())


@router.post("/partners", response={201: PartnerOut, **ERRORS}, summary="Add a partner")
def create_partner(request: HttpRequest, payload: PartnerIn):
    require(request, Capability.MANAGE_PARTNERSHIP)
    return Status(201, actions.create_partner(acting_user=request.user, **payload.dict()))


@router.patch("/partners/{code}", response={200: PartnerOut, **ERRORS}, summary="Change a partner")
def update_partner(request: HttpRequest, code: str, payload: PartnerPatch):
    partner = get_scoped(request, Partner, code=code.upper())
    require(request, Capability.MANAGE_PARTNERSHIP)
    return actions.update_partner(partner, acting_user=request.user, **payload.dict(exclude_unset=True))


@router.post(
    "/partners/{code}/memberships", response={201: MembershipOut, **ERRORS}, summary="Add a membership"
)
def add_membership(request: HttpRequest, code: str, payload: MembershipIn):
    partner = get_scoped(request, Partner, code=code.upper())
    require(request, Capability.MANAGE_PARTNERSHIP)
    return Status(201, actions.add_membership(partner, acting_user=request.user, **payload.dict()))


class LeaveIn(Schema):
    left_on: Day
    end_coverage: bool = True


@router.post("/partners/{code}/leave", response={200: PartnerOut, **ERRORS}, summary="A partner leaves")
def partner_leaves(request: HttpRequest, code: str, payload: LeaveIn):
    """Ends the partner's open membership on `left_on`, and (unless told not to) the services it receives."""
    partner = get_scoped(request, Partner, code=code.upper())
    require(request, Capability.MANAGE_PARTNERSHIP)
    actions.end_membership(partner, acting_user=request.user, **payload.dict())
    return Partner.objects.get(pk=partner.pk)


# Services


def _service_fields(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "area" in data:
        data["area"] = _area_by_code(data["area"])
    for field in ("owner_partner", "lead_partner"):
        if field in data:
            data[field] = _partner_by_code(request, data[field], field)
    return data


@router.get("/services", response=list[ServiceOut], summary="List services")
@paginate(BoundedPagination)
def list_services(request: HttpRequest, filters: Query[ServiceFilter]):
    queryset = scoped(request, Service).select_related("area", "owner_partner", "lead_partner")
    return filters.filter(queryset).order_by("area__name", "name")


@router.get("/services/{code}", response={200: ServiceOut, **ERRORS}, summary="One service")
def get_service(request: HttpRequest, code: str):
    return get_scoped(request, Service, code=code)


@router.post("/services", response={201: ServiceOut, **ERRORS}, summary="Add a service")
def create_service(request: HttpRequest, payload: ServiceIn):
    require(request, Capability.MANAGE_PARTNERSHIP)
    return Status(
        201, actions.create_service(acting_user=request.user, **_service_fields(request, payload.dict()))
    )


@router.patch("/services/{code}", response={200: ServiceOut, **ERRORS}, summary="Change a service")
def update_service(request: HttpRequest, code: str, payload: ServicePatch):
    service = get_scoped(request, Service, code=code)
    require(request, Capability.MANAGE_PARTNERSHIP)
    changes = _service_fields(request, payload.dict(exclude_unset=True))
    return actions.update_service(service, acting_user=request.user, **changes)


# Coverage


@router.get("/coverage", response=list[CoverageOut], summary="List service coverage")
@paginate(BoundedPagination)
def list_coverage(request: HttpRequest, filters: Query[CoverageFilter]):
    queryset = scoped(request, ServiceCoverage).select_related("service", "partner")
    return filters.filter(queryset).order_by("service__name", "partner__code", "starts_on")


@router.get("/coverage/{coverage_id}", response={200: CoverageOut, **ERRORS}, summary="One coverage period")
def get_coverage(request: HttpRequest, coverage_id: int):
    return get_scoped(request, ServiceCoverage, pk=coverage_id)


@router.post("/coverage", response={201: CoverageOut, **ERRORS}, summary="Add service coverage")
def create_coverage(request: HttpRequest, payload: CoverageIn):
    require(request, Capability.MANAGE_PARTNERSHIP)
    data = payload.dict()
    data["service"] = _service_by_code(request, data["service"])
    data["partner"] = _partner_by_code(request, data["partner"], "partner")
    return Status(201, actions.create_coverage(acting_user=request.user, **data))


@router.patch(
    "/coverage/{coverage_id}", response={200: CoverageOut, **ERRORS}, summary="Change service coverage"
)
def update_coverage(request: HttpRequest, coverage_id: int, payload: CoveragePatch):
    coverage = get_scoped(request, ServiceCoverage, pk=coverage_id)
    require(request, Capability.MANAGE_PARTNERSHIP)
    return actions.update_coverage(coverage, acting_user=request.user, **payload.dict(exclude_unset=True))


# Jobs


@router.get("/jobs/kinds", response=dict[str, str], tags=["jobs"], summary="Kinds of job")
def job_kinds(request: HttpRequest):
    return {name: kind.label for name, kind in sorted(JOB_KINDS.items())}


@router.post("/jobs", response={202: JobOut, **ERRORS}, tags=["jobs"], summary="Start a job")
def create_job(request: HttpRequest, payload: JobIn):
    partner = _partner_by_code(request, payload.partner, "partner")
    return Status(202, start_job(payload.kind, payload.params, partner=partner, acting_user=request.user))


@router.get("/jobs", response=list[JobOut], tags=["jobs"], summary="List jobs")
@paginate(BoundedPagination)
def list_jobs(request: HttpRequest):
    return scoped(request, Job, Capability.RUN_JOBS).select_related("partner")


@router.get(
    "/jobs/{job_id}", response={200: JobOut, **ERRORS}, tags=["jobs"], summary="A job and its progress"
)
def get_job(request: HttpRequest, job_id: uuid.UUID):
    return get_scoped(request, Job, Capability.RUN_JOBS, pk=job_id)


# Working-day calendars


class WorkingDayOut(Schema):
    date: dt.date


class WorkingDayCountOut(Schema):
    working_days: int


class ClosureDayOut(Schema):
    partner: str = Field(alias="partner.code")
    date: dt.date
    reason: str


class ClosureDayIn(Schema):
    partner: Annotated[str, Field(min_length=1, max_length=6)]
    date: Day
    reason: Annotated[str, Field(min_length=1, max_length=200)]


def _calendar(partner_code: str | None):
    from onesource.core.workingdays import calendar_for_code

    try:
        return calendar_for_code(partner_code)
    except LookupError as exc:
        from django.core.exceptions import ValidationError

        raise ValidationError({"partner": str(exc)}) from exc


@router.get(
    "/calendar/add-working-days",
    response={200: WorkingDayOut, **ERRORS},
    tags=["calendar"],
    summary="The last day of N working days beginning with a date",
)
def add_working_days(
    request: HttpRequest, start: Day, days: Annotated[int, Field(ge=0, le=3650)], partner: str | None = None
):
    return {"date": _calendar(partner).add_working_days(start, days)}


@router.get(
    "/calendar/working-days",
    response={200: WorkingDayCountOut, **ERRORS},
    tags=["calendar"],
    summary="Working days between two dates, both counted",
)
def count_working_days(request: HttpRequest, first: Day, last: Day, partner: str | None = None):
    if last < first:
        from django.core.exceptions import ValidationError

        raise ValidationError({"last": "The last day is before the first."})
    return {"working_days": _calendar(partner).working_days(first, last)}


@router.get("/calendar/closures", response=list[ClosureDayOut], tags=["calendar"], summary="Closure days")
@paginate(BoundedPagination)
def list_closure_days(request: HttpRequest, partner: str | None = None):
    from onesource.core.models import ClosureDay

    closures = scoped(request, ClosureDay).select_related("partner")
    if partner:
        closures = closures.filter(partner__code=partner.upper())
    return closures.order_by("date", "partner__code")


@router.post(
    "/calendar/closures",
    response={201: ClosureDayOut, **ERRORS},
    tags=["calendar"],
    summary="Add a closure day",
)
def create_closure_day(request: HttpRequest, payload: ClosureDayIn):
    partner = _partner_by_code(request, payload.partner.strip() or "?", "partner")
    assert partner is not None  # a code was given, so an unknown one was a 422 above
    require(request, Capability.MANAGE_PARTNERSHIP, partner.pk)
    closure = actions.add_closure_day(
        partner, date=payload.date, reason=payload.reason, acting_user=request.user
    )
    return Status(201, closure)
