"""The partnership's own job: the coverage report (days each partner received each service, per year)."""

from __future__ import annotations

import io
from typing import Any

from onesource.core.csvio import csv_writer
from onesource.core.jobs import JobContext, JobFailed, job_kind
from onesource.core.models import FinancialYear, ServiceCoverage
from onesource.core.periods import financial_year_label


@job_kind(
    "core.coverage_report",
    label="Service coverage report (CSV)",
    parameters={
        "first_year": ("First financial year", lambda year: financial_year_label(int(year))),
        "last_year": ("Last financial year", lambda year: financial_year_label(int(year))),
    },
)
def coverage_report(ctx: JobContext, first_year: int, last_year: int) -> dict[str, Any]:
    if first_year > last_year:
        raise JobFailed("The first year must not be after the last year.")
    if last_year - first_year > 30:
        raise JobFailed("Ask for at most 30 years at once.")
    coverage = ServiceCoverage.objects.restrict(ctx.acting_user).select_related("service__area", "partner")
    if ctx.job.partner_id:
        coverage = coverage.filter(partner_id=ctx.job.partner_id)
    rows = list(coverage)
    years = [FinancialYear(start_year=y) for y in range(first_year, last_year + 1)]
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["financial_year", "partner_code", "partner", "service_area", "service", "days_covered"])
    written = 0
    for index, year in enumerate(years, start=1):
        for row in rows:
            days = row.period.days_within(year.starts_on, year.ends_on)
            if days:
                writer.writerow(
                    [
                        year.label,
                        row.partner.code,
                        row.partner.name,
                        row.service.area.name,
                        row.service.name,
                        days,
                    ]
                )
                written += 1
        ctx.progress(index, len(years), f"Worked out {year.label}")
    ctx.attach_output(f"coverage-{first_year}-{last_year}.csv", out.getvalue().encode())
    return {"message": f"{written} rows for {len(years)} financial years.", "rows": written}
