"""API for the performance framework: KPIs, results (one at a time or imported), scorecards, achievements."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

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
from onesource.core.models import Partner, Service
from onesource.core.roles import Capability
from onesource.performance import actions
from onesource.performance.models import Achievement, Kpi, KpiResult
from onesource.performance.scorecard import scorecard

router = Router(tags=["performance"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class KpiOut(Schema):
    id: int
    code: str
    name: str
    description: str
    unit: str
    direction: str
    frequency: str
    target: Decimal
    amber_tolerance: Decimal
    owner: str
    service: str | None = Field(None, alias="service.code")
    source: str = Field("", description="The named figure computing the results; blank: entered by hand")
    is_active: bool


class KpiIn(Schema):
    code: str
    name: str
    description: OptionalText = ""
    unit: str
    direction: str = "higher"
    frequency: str = "monthly"
    target: Decimal
    amber_tolerance: Decimal = Decimal("0")
    owner: OptionalText = ""
    service: str | None = Field(None, description="Service code")
    source: str = Field(
        "", description="A named figure's key (docs/figures.md), like days_lost_per_fte, to compute results"
    )
    is_active: bool = True


class KpiPatch(Schema):
    name: str = kept_if_absent()
    description: OptionalText = None
    unit: str = kept_if_absent()
    direction: str = kept_if_absent()
    frequency: str = kept_if_absent()
    target: Decimal | None = None
    amber_tolerance: Decimal | None = None
    owner: OptionalText = None
    service: str | None = None
    source: str | None = None
    is_active: bool | None = None


class ResultOut(Schema):
    id: int
    kpi: str = Field(..., alias="kpi.code")
    partner: str | None = Field(None, alias="partner.code")
    period_start: dt.date
    period: str = Field(..., alias="period_label")
    value: Decimal
    rag: str
    note: str


class ResultIn(Schema):
    kpi: str = Field(..., min_length=1, description="KPI code")
    partner: str | None = Field(None, description="Partner code; blank for the whole service")
    period: Day = Field(..., description="Any day in the period measured")
    value: Decimal
    note: OptionalText = ""


class ImportIn(Schema):
    csv: str = Field(..., description="CSV text with columns kpi, partner, period, value, note")
    dry_run: bool = False


class ImportOut(Schema):
    rows: int
    created: int
    updated: int
    dry_run: bool
    message: str


class ScorecardRowOut(Schema):
    kpi: str
    name: str
    unit: str
    target: Decimal
    period: str | None
    value: Decimal | None
    rag: str | None
    whole_service: bool
    travel: str


class AchievementOut(Schema):
    id: int
    kind: str
    title: str
    organisation: str
    achieved_on: dt.date
    outcome: str
    value: Decimal | None
    service: str | None = Field(None, alias="service.code")
    partner: str | None = Field(None, alias="partner.code")
    description: str


class AchievementIn(Schema):
    kind: str
    title: str
    organisation: OptionalText = ""
    achieved_on: Day
    outcome: OptionalText = ""
    value: Decimal | None = None
    service: str | None = None
    partner: str | None = None
    description: OptionalText = ""


class AchievementPatch(Schema):
    kind: str = kept_if_absent()
    title: str = kept_if_absent()
    organisation: OptionalText = None
    achieved_on: Day | None = None
    outcome: OptionalText = None
    value: Decimal | None = None
    service: str | None = None
    partner: str | None = None
    description: OptionalText = None


class AchievementFilter(FilterSchema):
    kind: str | None = None
    outcome: str | None = None
    achieved_from: Annotated[dt.date | None, FilterLookup("achieved_on__gte")] = None
    achieved_to: Annotated[dt.date | None, FilterLookup("achieved_on__lte")] = None


def _lookup(request: HttpRequest, model: Any, code: str | None, field: str) -> Any:
    """A related object by code, or a 422 naming the field (another partner's is 'unknown', like a 404)."""
    from django.core.exceptions import ValidationError

    if not code:
        return None
    found = model.objects.restrict(request.user).filter(code=code if model is not Partner else code.upper())
    obj = found.first()
    if obj is None:
        raise ValidationError({field: f"Unknown {field} {code!r}."})
    return obj


def _related(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "service" in data:
        data["service"] = _lookup(request, Service, data["service"], "service")
    if "partner" in data:
        data["partner"] = _lookup(request, Partner, data["partner"], "partner")
    return data


# KPIs


@router.get("/kpis", response=list[KpiOut], summary="List KPIs")
@paginate(BoundedPagination)
def list_kpis(request: HttpRequest):
    return scoped(request, Kpi).select_related("service")


@router.get("/kpis/{kpi_id}", response={200: KpiOut, **ERRORS}, summary="One KPI")
def get_kpi(request: HttpRequest, kpi_id: int):
    return get_scoped(request, Kpi, pk=kpi_id)


@router.post("/kpis", response={201: KpiOut, **ERRORS}, summary="Add a KPI")
def create_kpi(request: HttpRequest, payload: KpiIn):
    require(request, Capability.MANAGE_PERFORMANCE)
    return Status(201, actions.create_kpi(acting_user=request.user, **_related(request, payload.dict())))


@router.patch("/kpis/{kpi_id}", response={200: KpiOut, **ERRORS}, summary="Change a KPI")
def update_kpi(request: HttpRequest, kpi_id: int, payload: KpiPatch):
    require(request, Capability.MANAGE_PERFORMANCE)
    kpi = get_scoped(request, Kpi, Capability.MANAGE_PERFORMANCE, pk=kpi_id)
    changes = _related(request, payload.dict(exclude_unset=True))
    return actions.update_kpi(kpi, acting_user=request.user, **changes)


@router.get("/kpis/{kpi_id}/results", response={200: list[ResultOut], **ERRORS}, summary="A KPI's results")
@paginate(BoundedPagination)
def list_results(request: HttpRequest, kpi_id: int, partner: str | None = None):
    kpi = get_scoped(request, Kpi, pk=kpi_id)
    results = scoped(request, KpiResult).filter(kpi=kpi).select_related("kpi", "partner")
    if partner:
        results = results.filter(partner__code=partner.upper())
    return results


@router.post("/results", response={201: ResultOut, **ERRORS}, summary="Record a result")
def record_result(request: HttpRequest, payload: ResultIn):
    require(request, Capability.MANAGE_PERFORMANCE)
    kpi = _lookup(request, Kpi, payload.kpi, "kpi")
    partner = _lookup(request, Partner, payload.partner, "partner")
    return Status(
        201,
        actions.record_result(
            kpi,
            period=payload.period,
            value=payload.value,
            partner=partner,
            note=payload.note or "",
            acting_user=request.user,
        ),
    )


@router.post("/results/import", response={200: ImportOut, **ERRORS}, summary="Import results from CSV")
def import_results(request: HttpRequest, payload: ImportIn):
    """All or nothing; with dry_run the rows are checked and counted but nothing is written.

    Errors come back as 422 with `errors.file`: one message per problem, each naming its row.
    For large files start the `performance.import_kpis` job (POST /api/jobs) to watch progress.
    """
    require(request, Capability.MANAGE_PERFORMANCE)
    summary = actions.import_kpi_results(payload.csv, dry_run=payload.dry_run, acting_user=request.user)
    return {
        "rows": len(summary.rows),
        "created": summary.created,
        "updated": summary.updated,
        "dry_run": summary.dry_run,
        "message": summary.message,
    }


@router.get(
    "/scorecards/{code}", response={200: list[ScorecardRowOut], **ERRORS}, summary="A partner's scorecard"
)
def get_scorecard(request: HttpRequest, code: str, start: Day, end: Day):
    """Each KPI's latest result between start and end: the partner's own, else the whole service's."""
    partner = get_scoped(request, Partner, code=code.upper())
    return [
        {
            "kpi": row.kpi.code,
            "name": row.kpi.name,
            "unit": row.kpi.unit,
            "target": row.kpi.target,
            "period": row.result.period_label if row.result else None,
            "value": row.result.value if row.result else None,
            "rag": row.rag.value if row.rag else None,
            "whole_service": row.whole_service,
            "travel": row.travel,
        }
        for row in scorecard(partner, start, end, request.user)
    ]


# Achievements


@router.get("/achievements", response=list[AchievementOut], summary="List achievements")
@paginate(BoundedPagination)
def list_achievements(request: HttpRequest, filters: Query[AchievementFilter]):
    return filters.filter(scoped(request, Achievement).select_related("service", "partner"))


@router.get("/achievements/{achievement_id}", response={200: AchievementOut, **ERRORS}, summary="One")
def get_achievement(request: HttpRequest, achievement_id: int):
    return get_scoped(request, Achievement, pk=achievement_id)


@router.post("/achievements", response={201: AchievementOut, **ERRORS}, summary="Add an achievement")
def create_achievement(request: HttpRequest, payload: AchievementIn):
    require(request, Capability.MANAGE_PERFORMANCE)
    data = _related(request, payload.dict())
    return Status(201, actions.create_achievement(acting_user=request.user, **data))


@router.patch(
    "/achievements/{achievement_id}", response={200: AchievementOut, **ERRORS}, summary="Change one"
)
def update_achievement(request: HttpRequest, achievement_id: int, payload: AchievementPatch):
    require(request, Capability.MANAGE_PERFORMANCE)
    achievement = get_scoped(request, Achievement, Capability.MANAGE_PERFORMANCE, pk=achievement_id)
    changes = _related(request, payload.dict(exclude_unset=True))
    return actions.update_achievement(achievement, acting_user=request.user, **changes)
