"""API for the workforce import: POST an extract (multipart) to check it (dry run) or import it, as a job."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from onesource.core.api_base import ErrorOut, ValidationErrorOut, require, scoped
from onesource.core.jobs import start_job
from onesource.core.models import Partner
from onesource.core.roles import Capability
from onesource.workforce.imports import (
    JOB_KIND,
    KINDS,
    MAX_UPLOAD_BYTES,
    ExtractError,
    mapping_problems,
    read_extract,
    resolve_mappings,
    store_upload,
)

router = Router(tags=["workforce import"])


class ImportStartedOut(Schema):
    id: uuid.UUID
    status: str
    dry_run: bool
    job_url: str
    page_url: str
    tables: dict[str, int]
    mapping: dict[str, dict[str, str]]


@router.post(
    "/imports",
    response={201: ImportStartedOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="Import an HR/payroll extract (CSV or XLSX), or check it with dry_run",
)
def start_import(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = True,
    kind: Form[str] = "",
    partner: Form[str] = "",
    mapping: Form[str] = "",
) -> Any:
    """Runs as a job: follow `job_url` for progress, the counts and preview, or the row errors.

    `kind` (posts, people or assignments) is needed for a CSV file. `mapping` is optional JSON,
    `{"people": {"staff_number": "Emp No", ...}}`; headings are matched automatically otherwise.
    The import is all or nothing: any row's problem fails it and changes nothing.
    """
    require(request, Capability.MANAGE_WORKFORCE)
    if kind and kind not in KINDS:
        raise ValidationError({"kind": f"Use one of {', '.join(KINDS)}."})
    if (file.size or 0) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."})
    chosen = None
    if partner:
        chosen = scoped(request, Partner, Capability.MANAGE_WORKFORCE).filter(code=partner.upper()).first()
        if chosen is None:
            raise ValidationError(
                {"partner": f"No partner with code {partner!r} whose workforce you manage."}
            )
    given = None
    if mapping:
        try:
            given = json.loads(mapping)
        except json.JSONDecodeError as exc:
            raise ValidationError({"mapping": "Give the mapping as JSON."}) from exc
        if not isinstance(given, dict) or not all(isinstance(v, dict) for v in given.values()):
            raise ValidationError({"mapping": 'Give {"kind": {"our field": "your heading"}}.'})
    content = file.read()
    name = file.name or "extract"
    try:
        tables = read_extract(content, name, kind or None)
    except ExtractError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    resolved = resolve_mappings(tables, given)
    problems = mapping_problems(tables, resolved)
    if problems:
        raise ValidationError({"mapping": problems})
    job = start_job(
        JOB_KIND,
        {
            "file": store_upload(content, name),
            "filename": name,
            "kind": kind or None,
            "mapping": resolved,
            "dry_run": dry_run,
        },
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
            "tables": {t.kind: len(t.rows) for t in tables},
            "mapping": resolved,
        },
    )
