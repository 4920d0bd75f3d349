"""Costing's background job: computing a recharge run with progress."""

from __future__ import annotations

from typing import Any

from onesource.core.jobs import JobContext, job_kind
from onesource.costing import actions
from onesource.costing.models import SupportMethod
from onesource.costing.models.common import month_label, year_label


@job_kind(
    "costing.recharge_run",
    label="Recharge run",
    capability="manage_finance",
    parameters={
        "year": ("Financial year", lambda year: year_label(int(year))),
        "up_to_month": ("Up to the end of", lambda month: month_label(int(month))),
        "estimate": "Estimate",
        "support_method": (
            "Support services",
            lambda method: str(dict(SupportMethod.choices).get(method, method)),
        ),
        "note": "Note",
    },
)
def recharge_run(
    ctx: JobContext,
    year: int,
    up_to_month: int | None = None,
    estimate: bool = False,
    support_method: str = "",
    note: str = "",
) -> dict[str, Any]:
    run = actions.create_recharge_run(
        year=int(year),
        up_to_month=int(up_to_month) if up_to_month else None,
        is_estimate=bool(estimate),
        support_method=support_method or "",
        note=note or "",
        acting_user=ctx.acting_user,
        progress=ctx.progress,
    )
    return {
        "message": f"{run} computed: £{run.check_out:,.2f} charged to partners, reconciled to the penny.",
        "run_id": run.pk,
        # The job page links here (core shows `url` as a button).
        "url": run.get_absolute_url(),
        "url_label": f"Open {run}",
    }
