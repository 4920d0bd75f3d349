"""The performance app's jobs: importing KPI results from CSV, and computing the results of KPIs
defined by a named figure, with progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from onesource.core.jobs import JobContext, JobFailed, job_kind
from onesource.core.models import Membership
from onesource.core.models.partnership import PartnerKind
from onesource.core.periods import overlapping_q
from onesource.performance import actions
from onesource.performance.models import Kpi


@job_kind(
    "performance.import_kpis",
    label="Import KPI results (CSV)",
    is_import=True,
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


def _month(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{text}-01" if len(text) == 7 else text).replace(day=1)
    except ValueError as exc:
        raise JobFailed(f"{text!r} is not a month: use YYYY-MM.") from exc


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


@job_kind(
    "performance.compute_kpis",
    label="Compute KPI results from the figures they are defined by",
    capability="manage_performance",
)
def compute_kpis(ctx: JobContext, from_month: str, to_month: str) -> dict[str, Any]:
    """For every KPI in use that is computed from a named figure: each period from `from_month` to
    `to_month`, for each member council of the partnership in the period and the whole service."""
    first, last = _month(from_month), _month(to_month)
    if first > last:
        raise JobFailed("The last month must be the same as or after the first.")
    months = months_between(first, last)
    members = sorted(
        {
            m.partner
            for m in Membership.objects.dangerously_unscoped()
            .filter(overlapping_q(first, last, start_field="joined_on", end_field="left_on"))
            .filter(partner__kind=PartnerKind.MEMBER)
            .select_related("partner")
        },
        key=lambda p: p.code,
    )
    kpis = list(Kpi.objects.filter(is_active=True).exclude(source="").order_by("code"))
    saved = 0
    for index, kpi in enumerate(kpis):
        ctx.progress(index, len(kpis), kpi.name)
        try:
            saved += len(
                actions.compute_kpi_results(
                    kpi, periods=months, partners=[*members, None], acting_user=ctx.acting_user
                )
            )
        except ValidationError as exc:
            raise JobFailed(" ".join(exc.messages)) from exc
    ctx.progress(len(kpis), len(kpis), "Done")
    return {"message": f"{saved} results computed for {len(kpis)} KPIs.", "results": saved, "kpis": len(kpis)}
