"""The spend import as a job: a person watches its progress on the page, the CLI runs it in-process."""

from __future__ import annotations

from typing import Any

from onesource.core.jobs import JobContext, JobFailed, job_kind
from onesource.core.models import Partner
from onesource.procurement.spend import SpendFileError, import_spend

SPEND_IMPORT = "procurement.spend_import"
UPLOAD_DIR = "imports"


def store_upload(data: bytes, filename: str) -> str:
    """Keep the uploaded file for the mapping, preview and apply steps; returns its storage name."""
    import uuid
    from pathlib import Path

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    suffix = Path(filename).suffix.lower()[:6]
    return default_storage.save(f"{UPLOAD_DIR}/spend-{uuid.uuid4().hex}{suffix}", ContentFile(data))


def load_upload(name: str) -> bytes:
    from django.core.files.storage import default_storage

    if not name.startswith(f"{UPLOAD_DIR}/spend-") or ".." in name:
        raise SpendFileError("That uploaded file is not one of ours.")
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError) as exc:
        raise SpendFileError("The uploaded file has gone: upload it again.") from exc


@job_kind(
    SPEND_IMPORT,
    label="Spend import (payments over £500)",
    capability="import_spend",
    is_import=True,
    parameters={"file": None, "filename": "File", "mapping": None, "dry_run": "Check only"},
)
def spend_import_job(
    ctx: JobContext, file: str, filename: str, mapping: dict[str, str] | None = None, dry_run: bool = True
) -> dict[str, Any]:
    if ctx.job.partner_id is None:
        raise JobFailed("Say which partner's spend the file holds.")
    partner = Partner.objects.get(pk=ctx.job.partner_id)
    try:
        outcome = import_spend(
            load_upload(file),
            filename,
            partner=partner,
            acting_user=ctx.acting_user,
            mapping=mapping,
            dry_run=dry_run,
            progress=ctx.progress,
        )
    except SpendFileError as exc:
        raise JobFailed(f"The file cannot be imported: nothing was changed. {exc}") from exc
    result = outcome.as_dict()
    if outcome.spend_import_id:
        from django.urls import reverse

        result["url"] = reverse("procurement:spend-import-detail", args=[outcome.spend_import_id])
        result["url_label"] = "See the imported spend"
    return result
