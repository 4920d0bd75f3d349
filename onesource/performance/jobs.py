"""The performance app's job: importing KPI results from CSV, with progress."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from onesource.core.jobs import JobContext, JobFailed, job_kind
from onesource.performance import actions


@job_kind(
    "performance.import_kpis",
    label="Import KPI results (CSV)",
    capability="manage_performance",
    parameters={"csv_text": None, "dry_run": "Check only", "file_name": "File"},
)
def import_kpis(ctx: JobContext, csv_text: str, dry_run: bool = False, file_name: str = "") -> dict[str, Any]:
    try:
        summary = actions.import_kpi_results(
            csv_text, dry_run=dry_run, progress=ctx.progress, acting_user=ctx.acting_user
        )
    except ValidationError as exc:
        errors = exc.message_dict.get("file", exc.messages) if hasattr(exc, "error_dict") else exc.messages
        raise JobFailed(
            f"{len(errors)} problems in {file_name or 'the file'}: nothing was imported.", errors
        ) from exc
    return {
        "message": summary.message,
        "rows": len(summary.rows),
        "created": summary.created,
        "updated": summary.updated,
        "dry_run": dry_run,
    }
