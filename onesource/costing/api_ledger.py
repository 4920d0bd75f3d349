"""`POST /api/costing/ledger-imports`: check (dry run) or apply a file of budget and actual lines or of
driver counts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from onesource.core.api_base import ErrorOut, ValidationErrorOut, require
from onesource.core.roles import Capability
from onesource.costing.ledger_import import LedgerFileError, import_ledger

ledger_router = Router(tags=["costing"])


class LedgerSummaryOut(Schema):
    kind: str
    year: str
    sharing: str
    lines: int
    total: str


class LedgerImportOut(Schema):
    applied: bool
    lines: int
    summary: list[LedgerSummaryOut]
    preview: list[dict[str, Any]]


class LedgerRowErrorOut(Schema):
    row: int
    problems: list[str]


class LedgerErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]]
    rows: list[LedgerRowErrorOut]


@ledger_router.post(
    "/ledger-imports",
    response={
        200: LedgerImportOut,
        201: LedgerImportOut,
        401: ErrorOut,
        403: ErrorOut,
        422: LedgerErrorsOut | ValidationErrorOut,
    },
    summary="Import budget and actual lines, or driver counts, from a CSV or Excel file (all or nothing)",
)
def import_ledger_endpoint(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    kind: Form[str] = "",
):
    """Multipart upload: `file` (CSV or .xlsx), `dry_run` (check only), `kind` (budget, actual, caseload or
    transactions, for rows without a kind). A file with a `quantity` column holds driver counts. 201 when
    written, 200 for a dry run; 422 lists every row's problems and writes nothing."""
    require(request, Capability.MANAGE_FINANCE)
    try:
        outcome = import_ledger(
            file.read(), file.name or "", acting_user=request.user, dry_run=dry_run, default_kind=kind
        )
    except LedgerFileError as exc:
        return Status(422, {"detail": str(exc), "errors": {"file": [str(exc)]}, "rows": []})
    except ValidationError as exc:
        return Status(
            422, {"detail": " ".join(exc.messages), "errors": {"__all__": exc.messages}, "rows": []}
        )
    if outcome.errors:
        return Status(
            422,
            {
                "detail": f"{len(outcome.errors)} row(s) have problems, so nothing was imported.",
                "errors": {"file": [str(e) for e in outcome.errors]},
                "rows": [e.as_dict() for e in outcome.errors],
            },
        )
    body = outcome.as_dict()
    return Status(201 if outcome.applied else 200, body)
