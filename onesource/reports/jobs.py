"""The committee report's PDF as a background job, for callers who would rather not wait on a request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from onesource.core.jobs import JobContext, JobFailed, job_kind
from onesource.core.models import Partner
from onesource.reports.committee import build_committee_report, render_pdf


@job_kind(
    "reports.committee_pdf",
    label="Committee report (PDF)",
    capability="view_reports",
    parameters={"start": "From", "end": "To", "partner": "Partner"},
)
def committee_pdf_job(ctx: JobContext, start: str, end: str, partner: str = "") -> dict[str, Any]:
    code = partner or (ctx.job.partner.code if ctx.job.partner else "")
    found = Partner.objects.restrict(ctx.acting_user, "view_reports").filter(code=code.upper()).first()
    if found is None:
        raise JobFailed(f"No partner {code!r} whose reports you may see.")
    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError as exc:
        raise JobFailed("Give start and end as YYYY-MM-DD.") from exc
    if first > last:
        raise JobFailed("The end date must be the same as or after the start date.")
    ctx.progress(0, 2, "Gathering the sections")
    report = build_committee_report(found, first, last, ctx.acting_user, for_print=True)
    ctx.progress(1, 2, "Drawing the PDF")
    pdf = render_pdf(report)
    ctx.attach_output(report.file_name, pdf)
    ctx.progress(2, 2, "Done")
    return {
        "message": f"{len(report.sections)} sections, {len(pdf):,} bytes.",
        "sections": len(report.sections),
    }
