"""API for savings: business cases and their summaries, savings lines, amounts and partner percentages."""

from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from onesource.core.api_base import (
    BoundedPagination,
    ErrorOut,
    OptionalText,
    ValidationErrorOut,
    Year,
    get_scoped,
    kept_if_absent,
    require,
    scoped,
)
from onesource.core.models import Partner, Service
from onesource.core.roles import Capability
from onesource.core.scoping import scope_for
from onesource.savings import actions
from onesource.savings.attribution import ShareFinder, line_attribution
from onesource.savings.models import BusinessCase, SavingsLine
from onesource.savings.summary import lines_for, summarise
from onesource.savings.visibility import amounts_seen_by, own_share, share_partner_ids

router = Router(tags=["savings"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
MANAGE = Capability.MANAGE_PERFORMANCE


class YearTargetOut(Schema):
    year: int
    target: Decimal


class BusinessCaseOut(Schema):
    code: str
    name: str
    first_year: int
    years: int
    target: Decimal
    description: str
    year_targets: list[YearTargetOut]

    @staticmethod
    def resolve_year_targets(obj: BusinessCase) -> list[Any]:
        return list(obj.year_targets.all())


class BusinessCaseIn(Schema):
    code: str
    name: str
    first_year: Year
    years: int = 5
    target: Decimal
    description: OptionalText = ""


class YearTargetIn(Schema):
    year: Year
    target: Decimal


class TotalsOut(Schema):
    planned: Decimal
    delivered: Decimal
    undelivered: Decimal


class NamedTotalsOut(TotalsOut):
    name: str


class YearRowOut(Schema):
    year: int
    label: str
    target: Decimal | None
    planned: Decimal
    delivered: Decimal
    delivered_to_date: Decimal
    target_to_date: Decimal


class SummaryOut(Schema):
    business_case: str
    attributed_to: list[str] | None = Field(
        None, description="Partner readers: the partners whose attributed share the figures are; null: whole"
    )
    target: Decimal
    total: TotalsOut
    remaining_identified: Decimal
    years: list[YearRowOut]
    by_lever: list[NamedTotalsOut]
    by_service: list[NamedTotalsOut]
    by_status: list[NamedTotalsOut]
    by_partner: list[NamedTotalsOut]


class AmountOut(Schema):
    year: int
    planned: Decimal
    delivered: Decimal


class ShareOut(Schema):
    partner: str = Field(..., alias="partner.code")
    percent: Decimal


class SavingsLineOut(Schema):
    id: int
    business_case: str = Field(..., alias="business_case.code")
    reference: str
    title: str
    service: str = Field(..., alias="service.code")
    owner: str
    lever: str
    status: str
    description: str
    amounts: list[AmountOut]

    @staticmethod
    def resolve_amounts(obj: SavingsLine, context: Any) -> list[Any]:
        """Whole amounts for shared-service readers; a partner reader's attributed share otherwise."""
        return amounts_seen_by(obj, context["request"].user)


class SavingsLineIn(Schema):
    business_case: str = Field(..., description="Business case code")
    reference: str
    title: str
    service: str = Field(..., description="Service code")
    owner: OptionalText = ""
    lever: str
    status: str = "identified"
    description: OptionalText = ""


class SavingsLinePatch(Schema):
    title: str = kept_if_absent()
    service: str = kept_if_absent()
    owner: OptionalText = None
    lever: str = kept_if_absent()
    status: str = kept_if_absent()
    description: OptionalText = None


class AmountIn(Schema):
    year: Year
    planned: Decimal
    delivered: Decimal = Decimal("0")


class SharesIn(Schema):
    percentages: dict[str, Decimal] = Field(
        ..., description="Partner code to percentage; they must add up to 100"
    )


class PartnerAmountOut(Schema):
    partner: str | None
    planned: Decimal
    delivered: Decimal


class AttributionYearOut(Schema):
    year: int
    how: str
    planned: Decimal
    delivered: Decimal
    partners: list[PartnerAmountOut]


class LineFilter(FilterSchema):
    q: str | None = None
    business_case: Annotated[str | None, FilterLookup("business_case__code")] = None
    service: Annotated[str | None, FilterLookup("service__code")] = None
    lever: str | None = None
    status: str | None = None

    def filter_q(self, value: str | None) -> Q:
        return Q(reference__icontains=value) | Q(title__icontains=value) if value else Q()


def _case_by_code(request: HttpRequest, code: str) -> BusinessCase:
    case = scoped(request, BusinessCase).filter(code=code).first()
    if case is None:
        raise ValidationError({"business_case": f"No business case with code {code!r}."})
    return case


def _service_by_code(request: HttpRequest, code: str) -> Service:
    service = scoped(request, Service, MANAGE).filter(code=code).first()
    if service is None:
        raise ValidationError({"service": f"No service with code {code!r}."})
    return service


# Business cases


@router.get("/business-cases", response=list[BusinessCaseOut], summary="List business cases")
def list_cases(request: HttpRequest):
    return scoped(request, BusinessCase).prefetch_related("year_targets")


@router.get("/business-cases/{code}", response={200: BusinessCaseOut, **ERRORS}, summary="One business case")
def get_case(request: HttpRequest, code: str):
    return get_scoped(request, BusinessCase, code=code)


@router.post("/business-cases", response={201: BusinessCaseOut, **ERRORS}, summary="Add a business case")
def create_case(request: HttpRequest, payload: BusinessCaseIn):
    require(request, MANAGE)
    return Status(201, actions.create_business_case(acting_user=request.user, **payload.dict()))


@router.put(
    "/business-cases/{code}/targets", response={200: YearTargetOut, **ERRORS}, summary="Set a year's target"
)
def set_target(request: HttpRequest, code: str, payload: YearTargetIn):
    case = get_scoped(request, BusinessCase, code=code)
    require(request, MANAGE)
    return actions.set_year_target(case, acting_user=request.user, **payload.dict())


@router.get(
    "/business-cases/{code}/summary",
    response={200: SummaryOut, **ERRORS},
    summary="Delivered against target, by year, lever, service, status and partner",
)
def case_summary(request: HttpRequest, code: str):
    """Partner figures cover only the partners the caller may see."""
    case = get_scoped(request, BusinessCase, code=code)
    lines = lines_for(case, scoped(request, SavingsLine))
    own = share_partner_ids(request.user)  # partner readers: their attributed share only
    summary = summarise(
        case,
        lines,
        visible_partners=scope_for(request.user).partners_with(Capability.VIEW),
        only_partner_ids=own,
    )

    def named(rows):
        return [{"name": name, **_totals(t)} for name, t in rows]

    return {
        "business_case": case.code,
        "attributed_to": None if own is None else sorted(p.code for p, _t, _y in summary.by_partner if p),
        "target": case.target,
        "total": _totals(summary.total),
        "remaining_identified": summary.remaining_identified,
        "years": summary.year_rows,
        "by_lever": named(summary.by_lever),
        "by_service": named(summary.by_service),
        "by_status": named(summary.by_status),
        "by_partner": [
            {"name": p.code if p else "unattributed", **_totals(t)} for p, t, _ in summary.by_partner
        ],
    }


def _totals(totals) -> dict[str, Decimal]:
    return {"planned": totals.planned, "delivered": totals.delivered, "undelivered": totals.undelivered}


# Savings lines


@router.get("/lines", response=list[SavingsLineOut], summary="List savings lines")
@paginate(BoundedPagination)
def list_lines(request: HttpRequest, filters: Query[LineFilter]):
    queryset = (
        scoped(request, SavingsLine).select_related("business_case", "service").prefetch_related("amounts")
    )
    return filters.filter(queryset).order_by("reference")


@router.get("/lines/{line_id}", response={200: SavingsLineOut, **ERRORS}, summary="One savings line")
def get_line(request: HttpRequest, line_id: int):
    return get_scoped(request, SavingsLine, pk=line_id)


@router.post("/lines", response={201: SavingsLineOut, **ERRORS}, summary="Add a savings line")
def create_line(request: HttpRequest, payload: SavingsLineIn):
    require(request, MANAGE)
    data = payload.dict()
    data["business_case"] = _case_by_code(request, data["business_case"])
    data["service"] = _service_by_code(request, data["service"])
    return Status(201, actions.create_savings_line(acting_user=request.user, **data))


@router.patch("/lines/{line_id}", response={200: SavingsLineOut, **ERRORS}, summary="Change a savings line")
def update_line(request: HttpRequest, line_id: int, payload: SavingsLinePatch):
    line = get_scoped(request, SavingsLine, pk=line_id)
    require(request, MANAGE)
    changes = payload.dict(exclude_unset=True)
    if "service" in changes:
        changes["service"] = _service_by_code(request, changes["service"])
    return actions.update_savings_line(line, acting_user=request.user, **changes)


@router.put(
    "/lines/{line_id}/amounts",
    response={200: AmountOut, **ERRORS},
    summary="Set a year's planned and delivered",
)
def set_amount(request: HttpRequest, line_id: int, payload: AmountIn):
    line = get_scoped(request, SavingsLine, pk=line_id)
    require(request, MANAGE)
    return actions.set_savings_amount(line, acting_user=request.user, **payload.dict())


@router.put(
    "/lines/{line_id}/shares",
    response={200: list[ShareOut], **ERRORS},
    summary="Set explicit partner percentages",
)
def set_shares(request: HttpRequest, line_id: int, payload: SharesIn):
    line = get_scoped(request, SavingsLine, pk=line_id)
    require(request, MANAGE)
    partners = {
        p.code: p for p in scoped(request, Partner, MANAGE).filter(code__in=list(payload.percentages))
    }
    unknown = sorted(set(payload.percentages) - set(partners))
    if unknown:
        raise ValidationError({"percentages": f"No partner with code {', '.join(unknown)}."})
    percentages = {partners[code]: percent for code, percent in payload.percentages.items()}
    return actions.set_line_shares(line, percentages=percentages, acting_user=request.user)


@router.get(
    "/lines/{line_id}/attribution",
    response={200: list[AttributionYearOut], **ERRORS},
    summary="Each year's amounts split between partners, to the penny",
)
def line_attribution_api(request: HttpRequest, line_id: int):
    """Only the partners the caller may see are listed."""
    line = get_scoped(request, SavingsLine, pk=line_id)
    visible = scope_for(request.user).partners_with(Capability.VIEW)
    codes = dict(Partner.objects.values_list("pk", "code"))
    out = []
    for row in line_attribution(line, ShareFinder()):
        partners = [
            {"partner": codes.get(p) if p else None, "planned": planned, "delivered": delivered}
            for p, (planned, delivered) in row.partners.items()
            if visible is None or p in visible
        ]
        planned, delivered = (row.planned, row.delivered) if visible is None else own_share(row, visible)
        out.append(
            {
                "year": row.year,
                "how": row.how,
                "planned": planned,
                "delivered": delivered,
                "partners": partners,
            }
        )
    return out
