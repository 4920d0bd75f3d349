"""API for procurement: suppliers and their suggested matches, the contract register and its dashboard."""

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, FilterLookup, FilterSchema, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
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
from onesource.core.jobs import start_job
from onesource.core.models import Partner
from onesource.core.roles import Capability
from onesource.core.scoping import scope_for
from onesource.procurement import actions
from onesource.procurement.jobs import SPEND_IMPORT, store_upload
from onesource.procurement.models import Contract, SpendImport, Supplier
from onesource.procurement.register import deadlines, partner_values, summarise
from onesource.procurement.spend import (
    MAX_SPEND_BYTES,
    SpendFileError,
    auto_map,
    mapping_error,
    read_spend_file,
)
from onesource.procurement.suppliers import match_suggestions

router = Router(tags=["procurement"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
MANAGE = Capability.MANAGE_PROCUREMENT
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


class SupplierOut(Schema):
    id: int
    name: str
    companies_house_number: str
    charity_number: str
    vat_number: str
    is_sme: bool
    is_vcse: bool
    aliases: list[str]

    @staticmethod
    def resolve_aliases(obj: Supplier) -> list[str]:
        return [a.name for a in obj.aliases.all()]


class SupplierIn(Schema):
    name: str = Field(..., min_length=1, max_length=300)
    companies_house_number: OptionalText = ""
    charity_number: OptionalText = ""
    vat_number: OptionalText = ""
    is_sme: bool = False
    is_vcse: bool = False


class SupplierPatch(Schema):
    name: str = kept_if_absent(min_length=1, max_length=300)
    companies_house_number: OptionalText = None
    charity_number: OptionalText = None
    vat_number: OptionalText = None
    is_sme: bool = kept_if_absent()
    is_vcse: bool = kept_if_absent()


class MatchOut(Schema):
    first: int
    first_name: str
    second: int
    second_name: str
    score: float
    reason: str


class MergeIn(Schema):
    other: int = Field(..., description="The supplier to merge into this one (it becomes another name)")


class ShareOut(Schema):
    partner: str = Field(..., alias="partner.code")
    percent: Decimal


class DeadlineOut(Schema):
    what: str
    due_on: dt.date
    done_on: dt.date | None
    overdue: bool


class ContractOut(Schema):
    reference: str
    title: str
    description: str
    lead_partner: str = Field(..., alias="lead_partner.code")
    supplier: int | None = Field(None, alias="supplier_id")
    supplier_name: str | None
    department: str
    category: str
    cpv_codes: list[str] = Field(..., alias="cpv_list")
    owner: str
    value: Decimal
    vat: Decimal
    procedure: str
    status: str
    signed_on: dt.date | None
    starts_on: dt.date
    ends_on: dt.date
    review_on: dt.date | None
    extension_ends_on: dt.date | None
    notice_months: int
    tender_closes_on: dt.date | None
    kpi_count: int
    details_notice_on: dt.date | None
    termination_notice_on: dt.date | None
    ocid: str
    shares: list[ShareOut]
    partner_values: dict[str, Decimal]
    deadlines: list[DeadlineOut]

    @staticmethod
    def resolve_supplier_name(obj: Contract) -> str | None:
        return obj.supplier.name if obj.supplier else None

    @staticmethod
    def resolve_shares(obj: Contract) -> list[Any]:
        return list(obj.shares.all())

    @staticmethod
    def resolve_partner_values(obj: Contract) -> dict[str, Decimal]:
        codes = {s.partner_id: s.partner.code for s in obj.shares.all()}
        return {codes.get(pid, str(pid)): value for pid, value in partner_values(obj).items()}

    @staticmethod
    def resolve_deadlines(obj: Contract) -> list[dict[str, Any]]:
        today = timezone.localdate()
        return [
            {"what": d.what, "due_on": d.due_on, "done_on": d.done_on, "overdue": d.is_overdue(today)}
            for d in deadlines(obj, today)
        ]


class ContractIn(Schema):
    reference: str = Field(..., min_length=1, max_length=60)
    title: str = Field(..., min_length=1, max_length=300)
    description: OptionalText = ""
    lead_partner: str = Field(..., description="Partner code of the council that holds the contract")
    supplier: int | None = Field(None, description="Supplier id; leave out until awarded")
    department: OptionalText = ""
    category: OptionalText = ""
    cpv_codes: OptionalText = Field("", description="Comma-separated, like 72000000-5")
    owner: OptionalText = ""
    value: Money
    vat: Money = Decimal("0")
    procedure: str
    status: str = "active"
    signed_on: Day | None = None
    starts_on: Day
    ends_on: Day
    review_on: Day | None = None
    extension_ends_on: Day | None = None
    notice_months: int = Field(6, ge=0, le=60)
    tender_closes_on: Day | None = None
    kpi_count: int = Field(0, ge=0, le=100)
    details_notice_on: Day | None = None
    termination_notice_on: Day | None = None
    shares: dict[str, Annotated[Decimal, Field(ge=0, le=100, max_digits=6, decimal_places=3)]] | None = Field(
        None, description="Partner code to percentage of the value, adding up to 100; default: all the lead's"
    )


class ContractPatch(Schema):
    title: str = kept_if_absent(min_length=1, max_length=300)
    description: OptionalText = None
    supplier: int | None = None
    department: OptionalText = None
    category: OptionalText = None
    cpv_codes: OptionalText = None
    owner: OptionalText = None
    value: Money = kept_if_absent()
    vat: Money = kept_if_absent()
    procedure: str = kept_if_absent()
    status: str = kept_if_absent()
    signed_on: Day | None = None
    starts_on: Day = kept_if_absent()
    ends_on: Day = kept_if_absent()
    review_on: Day | None = None
    extension_ends_on: Day | None = None
    notice_months: int = kept_if_absent(ge=0, le=60)
    tender_closes_on: Day | None = None
    kpi_count: int = kept_if_absent(ge=0, le=100)
    details_notice_on: Day | None = None
    termination_notice_on: Day | None = None


class SharesIn(Schema):
    percentages: dict[str, Annotated[Decimal, Field(ge=0, le=100, max_digits=6, decimal_places=3)]]


class ChangeIn(Schema):
    effective_on: Day
    description: str = Field(..., min_length=1, max_length=500)
    value_change: Annotated[Decimal, Field(max_digits=14, decimal_places=2)] = Decimal("0")
    notice_published_on: Day | None = None


class ChangeOut(Schema):
    id: int
    effective_on: dt.date
    description: str
    value_change: Decimal
    notice_published_on: dt.date | None


class BucketOut(Schema):
    label: str
    count: int
    value: Decimal


class ExpiringOut(BucketOut):
    months: int


class AlertOut(Schema):
    contract: str
    what: str
    on: dt.date


class OverdueOut(Schema):
    contract: str
    what: str
    due_on: dt.date


class DashboardOut(Schema):
    today: dt.date
    count: int
    value: Decimal
    expiring: list[ExpiringOut]
    by_category: list[BucketOut]
    by_partner: list[BucketOut]
    by_supplier: list[BucketOut]
    alerts: list[AlertOut]
    overdue: list[OverdueOut]


class ContractFilter(FilterSchema):
    q: str | None = None
    partner: str | None = Field(None, description="Partner code: contracts it leads or uses")
    status: str | None = None
    procedure: str | None = None
    supplier: Annotated[int | None, FilterLookup("supplier_id")] = None
    ends_before: Annotated[Day | None, FilterLookup("ends_on__lte")] = None

    def filter_q(self, value: str | None) -> Q:
        return Q(reference__icontains=value) | Q(title__icontains=value) if value else Q()

    def filter_partner(self, value: str | None) -> Q:
        if not value:
            return Q()
        return Q(lead_partner__code=value.upper()) | Q(shares__partner__code=value.upper())


def _contracts(request: HttpRequest, capability: Capability = Capability.VIEW):
    return (
        Contract.objects.restrict(request.user, capability)
        .select_related("supplier", "lead_partner")
        .prefetch_related("shares__partner", "changes")
    )


def _managed(request: HttpRequest, reference: str) -> Contract:
    """A contract the caller may change (led by a council they manage), else 404 or 403."""
    contract = get_scoped(request, Contract, reference=reference)
    if not Contract.managed_by(request.user).filter(pk=contract.pk).exists():
        raise PermissionDenied("Only the lead council's procurement officers may change this contract.")
    return contract


def _managed_partner(request: HttpRequest, code: str, field: str = "lead_partner") -> Partner:
    partner = scoped(request, Partner, MANAGE).filter(code=code.upper()).first()
    if partner is None:
        raise ValidationError({field: f"No partner with code {code!r} whose contracts you manage."})
    return partner


def _supplier(request: HttpRequest, supplier_id: int | None) -> Supplier | None:
    if supplier_id is None:
        return None
    supplier = scoped(request, Supplier).filter(pk=supplier_id).first()
    if supplier is None:
        raise ValidationError({"supplier": f"No supplier with id {supplier_id}."})
    return supplier


def _shares(request: HttpRequest, given: dict[str, Decimal]) -> dict[Partner, Decimal]:
    # The lead council names the councils that use its contract, whichever they are: partner codes are
    # public, and sharing the contract is what makes it visible to them.
    codes = [c.upper() for c in given]
    partners = {p.code: p for p in Partner.objects.dangerously_unscoped().filter(code__in=codes)}
    unknown = sorted(code for code in given if code.upper() not in partners)
    if unknown:
        raise ValidationError({"shares": f"No partner with code {', '.join(unknown)}."})
    return {partners[code.upper()]: percent for code, percent in given.items()}


# Suppliers


@router.get("/suppliers", response=list[SupplierOut], summary="List suppliers")
@paginate(BoundedPagination)
def list_suppliers(request: HttpRequest, q: str = ""):
    suppliers = scoped(request, Supplier).prefetch_related("aliases").order_by("name", "pk")
    if q:
        suppliers = suppliers.filter(Q(name__icontains=q) | Q(aliases__name__icontains=q)).distinct()
    return suppliers


@router.get("/suppliers/matches", response=list[MatchOut], summary="Suppliers that may be the same")
def supplier_matches(request: HttpRequest):
    """The normaliser's suggestions; a person merges a pair or marks it distinct."""
    require(request, Capability.VIEW)
    return [
        {
            "first": s["first"].pk,
            "first_name": s["first"].name,
            "second": s["second"].pk,
            "second_name": s["second"].name,
            "score": s["score"],
            "reason": s["reason"],
        }
        for s in match_suggestions()
    ]


@router.get("/suppliers/{supplier_id}", response={200: SupplierOut, **ERRORS}, summary="One supplier")
def get_supplier(request: HttpRequest, supplier_id: int):
    return get_scoped(request, Supplier, pk=supplier_id)


@router.post("/suppliers", response={201: SupplierOut, **ERRORS}, summary="Add a supplier")
def create_supplier(request: HttpRequest, payload: SupplierIn):
    require(request, MANAGE)
    return Status(201, actions.create_supplier(acting_user=request.user, **payload.dict()))


@router.patch("/suppliers/{supplier_id}", response={200: SupplierOut, **ERRORS}, summary="Change a supplier")
def update_supplier(request: HttpRequest, supplier_id: int, payload: SupplierPatch):
    supplier = get_scoped(request, Supplier, pk=supplier_id)
    require(request, MANAGE)
    return actions.update_supplier(supplier, acting_user=request.user, **payload.dict(exclude_unset=True))


@router.post(
    "/suppliers/{supplier_id}/merge",
    response={200: SupplierOut, **ERRORS},
    summary="Merge a supplier into this one",
)
def merge_supplier(request: HttpRequest, supplier_id: int, payload: MergeIn):
    keep = get_scoped(request, Supplier, pk=supplier_id)
    require(request, MANAGE)
    other = scoped(request, Supplier).filter(pk=payload.other).first()
    if other is None:
        raise ValidationError({"other": f"No supplier with id {payload.other}."})
    return actions.merge_suppliers(keep, other, acting_user=request.user)


# Spend


class SpendImportStartedOut(Schema):
    id: uuid.UUID
    status: str
    dry_run: bool
    job_url: str
    page_url: str
    mapping: dict[str, str]


class SpendImportOut(Schema):
    id: int
    partner: str = Field(..., alias="partner.code")
    filename: str
    imported_at: dt.datetime
    payments: int
    total: Decimal
    footer_total: Decimal | None
    first_paid_on: dt.date | None
    last_paid_on: dt.date | None
    problems: list[dict[str, Any]]


@router.post(
    "/spend-imports",
    response={201: SpendImportStartedOut, **ERRORS},
    summary="Import a council's spend file (CSV or XLSX), or check it with dry_run",
)
def start_spend_import(
    request: HttpRequest,
    file: File[UploadedFile],
    partner: Form[str],
    dry_run: Form[bool] = True,
    mapping: Form[str] = "",
) -> Any:
    """Runs as a job: follow `job_url` for progress and, when it is done, its `result`: `payments`,
    `total` (to the penny) and `problems` (each `row` and `message`; rows whose date or amount cannot
    be read are kept aside, not guessed). `mapping` is optional JSON, `{"paid_on": "Date", ...}`;
    headings are matched automatically otherwise."""
    require(request, Capability.IMPORT_SPEND)
    chosen = scoped(request, Partner, Capability.IMPORT_SPEND).filter(code=partner.upper()).first()
    if chosen is None:
        raise ValidationError({"partner": f"No partner with code {partner!r} whose spend you import."})
    if (file.size or 0) > MAX_SPEND_BYTES:
        raise ValidationError({"file": f"The file is larger than {MAX_SPEND_BYTES // (1024 * 1024)} MB."})
    given = None
    if mapping:
        try:
            given = json.loads(mapping)
        except json.JSONDecodeError as exc:
            raise ValidationError({"mapping": "Give the mapping as JSON."}) from exc
        if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
            raise ValidationError({"mapping": 'Give {"our field": "your heading"}.'})
    content = file.read()
    name = file.name or "spend.csv"
    try:
        spend_file = read_spend_file(content, name)
    except SpendFileError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    resolved = {k: v for k, v in (given or auto_map(spend_file.headings)).items() if v}
    if error := mapping_error(spend_file.headings, resolved):
        raise ValidationError({"mapping": error})
    job = start_job(
        SPEND_IMPORT,
        {"file": store_upload(content, name), "filename": name, "mapping": resolved, "dry_run": dry_run},
        partner=chosen,
        acting_user=request.user,
    )
    return Status(
        201,
        {
            "id": job.pk,
            "status": job.status,
            "dry_run": dry_run,
            "job_url": f"/api/jobs/{job.pk}",
            "page_url": job.get_absolute_url(),
            "mapping": resolved,
        },
    )


@router.get("/spend-imports", response=list[SpendImportOut], summary="Spend files imported")
@paginate(BoundedPagination)
def list_spend_imports(request: HttpRequest, partner: str = ""):
    imports = scoped(request, SpendImport).select_related("partner").order_by("-imported_at", "pk")
    return imports.filter(partner__code=partner.upper()) if partner else imports


# Transparency Code


class DatasetOut(Schema):
    partner: str
    quarter: str
    dataset: str
    header: list[str]
    rows: list[list[str]]


@router.get(
    "/transparency/{dataset}",
    response={200: DatasetOut, **ERRORS},
    summary="A partner's Transparency Code file for a quarter",
)
def transparency_dataset(request: HttpRequest, dataset: str, partner: str, quarter: str):
    """`dataset` is spend, card, contracts or tenders; `quarter` like 2025-Q1 (April to June 2025).
    Only partners the caller may see; personal data redacted."""
    from onesource.procurement import transparency

    if dataset not in transparency.DATASETS:
        raise ValidationError({"dataset": f"Choose one of {', '.join(transparency.DATASETS)}."})
    try:
        period = transparency.Quarter.parse(quarter)
    except ValueError as exc:
        raise ValidationError({"quarter": str(exc)}) from exc
    chosen = get_scoped(request, Partner, code=partner.upper())
    header, rows = transparency.build_dataset(dataset, request.user, chosen, period)
    return {
        "partner": chosen.code,
        "quarter": period.code,
        "dataset": dataset,
        "header": header,
        "rows": [[str(cell) for cell in row] for row in rows],
    }


# OCDS


@router.get(
    "/ocds",
    response={200: dict[str, Any], **ERRORS},
    summary="A partner's contracting processes as an OCDS 1.1 release package",
)
def ocds_package(request: HttpRequest, partner: str):
    """Valid against the OCDS 1.1.5 release package schema: the lead council as buyer, tender, award,
    contract and the partner's payments to the supplier as implementation transactions."""
    from onesource.procurement.ocds import release_package

    return release_package(request.user, get_scoped(request, Partner, code=partner.upper()))


# Contracts


@router.get("/contracts", response=list[ContractOut], summary="List the contracts you may see")
@paginate(BoundedPagination)
def list_contracts(request: HttpRequest, filters: Query[ContractFilter]):
    return filters.filter(_contracts(request)).distinct().order_by("ends_on", "reference")


@router.get("/contracts/{reference}", response={200: ContractOut, **ERRORS}, summary="One contract")
def get_contract(request: HttpRequest, reference: str):
    return get_scoped(request, Contract, reference=reference)


@router.post("/contracts", response={201: ContractOut, **ERRORS}, summary="Add a contract to the register")
def create_contract(request: HttpRequest, payload: ContractIn):
    require(request, MANAGE)
    data = payload.dict()
    data["lead_partner"] = _managed_partner(request, data["lead_partner"])
    data["supplier"] = _supplier(request, data["supplier"])
    shares = _shares(request, data.pop("shares")) if payload.shares else None
    contract = actions.create_contract(shares=shares, acting_user=request.user, **data)
    return Status(201, _contracts(request).get(pk=contract.pk))


@router.patch("/contracts/{reference}", response={200: ContractOut, **ERRORS}, summary="Change a contract")
def update_contract(request: HttpRequest, reference: str, payload: ContractPatch):
    contract = _managed(request, reference)
    changes = payload.dict(exclude_unset=True)
    if "supplier" in changes:
        changes["supplier"] = _supplier(request, changes["supplier"])
    actions.update_contract(contract, acting_user=request.user, **changes)
    return _contracts(request).get(pk=contract.pk)


@router.put(
    "/contracts/{reference}/shares",
    response={200: list[ShareOut], **ERRORS},
    summary="Set the partners' shares",
)
def set_shares(request: HttpRequest, reference: str, payload: SharesIn):
    contract = _managed(request, reference)
    return actions.set_contract_shares(
        contract, percentages=_shares(request, payload.percentages), acting_user=request.user
    )


@router.post(
    "/contracts/{reference}/changes",
    response={201: ChangeOut, **ERRORS},
    summary="Record a change to a contract",
)
def add_change(request: HttpRequest, reference: str, payload: ChangeIn):
    contract = _managed(request, reference)
    return Status(201, actions.record_contract_change(contract, acting_user=request.user, **payload.dict()))


@router.get("/dashboard", response=DashboardOut, summary="The contract register's dashboard figures")
def dashboard(request: HttpRequest):
    """Expiring within 3, 6, 12 and 18 months; by category, partner (each one's share) and supplier;
    decisions and reviews in the next 90 days; overdue Procurement Act notices."""
    require(request, Capability.VIEW)
    summary = summarise(
        _contracts(request),
        timezone.localdate(),
        visible_partners=scope_for(request.user).partners_with(Capability.VIEW),
        partner_names=dict(Partner.objects.values_list("pk", "code")),
    )

    def bucket(b):
        return {"label": b.label, "count": b.count, "value": b.value}

    return {
        "today": summary.today,
        "count": summary.count,
        "value": summary.value,
        "expiring": [{"months": m, **bucket(b)} for m, b in summary.expiring],
        "by_category": [bucket(b) for b in summary.by_category],
        "by_partner": [bucket(b) for _, b in summary.by_partner],
        "by_supplier": [bucket(b) for b in summary.by_supplier],
        "alerts": [{"contract": a.contract.reference, "what": a.what, "on": a.on} for a in summary.alerts],
        "overdue": [
            {"contract": d.contract.reference, "what": d.what, "due_on": d.due_on} for d in summary.overdue
        ],
    }
