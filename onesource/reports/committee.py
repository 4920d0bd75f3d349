"""The committee report for one partner and a period: every registered section, in order, page and PDF.

Each section is built by its app (core.reporting) and rendered from its own template, the same template
on the page and in the PDF; charts are drawn from one Chart definition to SVG in both. A section that
returns None (no data) is left out, and the remaining sections are numbered in order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from onesource.core.charts import Chart, Series
from onesource.core.models import Partner
from onesource.core.reporting import report_sections
from onesource.reports import background  # noqa: F401  (registers the "background" section)
from onesource.reports.models import CommitteeReportVersion


@dataclass
class RenderedSection:
    key: str
    title: str
    number: int
    html: SafeString
    charts: list[Chart] = field(default_factory=list)
    commentary: str = ""


@dataclass
class CommitteeReport:
    partner: Partner
    start: dt.date
    end: dt.date
    sections: list[RenderedSection]
    generated_at: dt.datetime
    timings: dict[str, float] = field(default_factory=dict)
    version: CommitteeReportVersion | None = None

    @property
    def period_label(self) -> str:
        return f"{self.start:%B %Y} to {self.end:%B %Y}"

    @property
    def file_name(self) -> str:
        return self.file_stem + ".pdf"

    @property
    def file_stem(self) -> str:
        stem = f"committee-report-{self.partner.code.lower()}-{self.start:%Y-%m-%d}-to-{self.end:%Y-%m-%d}"
        if self.version is not None:
            stem += f"-v{self.version.number}-{self.version.status}"
        return stem


def build_committee_report(
    partner: Partner,
    start: dt.date,
    end: dt.date,
    user: Any,
    *,
    for_print: bool = False,
    commentary: dict[str, str] | None = None,
) -> CommitteeReport:
    """Gather every registered section's content and render each from its template, with the
    officers' commentary (section key: text) beside each section."""
    commentary = commentary or {}
    sections: list[RenderedSection] = []
    timings: dict[str, float] = {}
    for section in report_sections():
        began = time.perf_counter()
        content = section.build(partner, start, end, user)
        if content is not None:
            context = {
                **content.context,
                "partner": partner,
                "start": start,
                "end": end,
                "section_key": section.key,
                "for_print": for_print,
            }
            context.setdefault("charts", content.charts)
            html = render_to_string(content.template, context)
            sections.append(
                RenderedSection(
                    section.key,
                    section.title,
                    len(sections) + 1,
                    mark_safe(html),  # noqa: S308  (rendered from our own templates, autoescaped)
                    charts=list(content.charts),
                    commentary=commentary.get(section.key, ""),
                )
            )
        timings[section.key] = time.perf_counter() - began
    return CommitteeReport(
        partner=partner, start=start, end=end, sections=sections, generated_at=timezone.now(), timings=timings
    )


def report_for_version(
    version: CommitteeReportVersion, user: Any, *, for_print: bool = False
) -> CommitteeReport:
    """A saved version as a report: a final one as it was frozen, a draft from today's data."""
    if not version.is_final:
        report = build_committee_report(
            version.partner,
            version.start,
            version.end,
            user,
            for_print=for_print,
            commentary=version.commentary,
        )
        report.version = version
        return report
    sections = [
        RenderedSection(
            key=row["key"],
            title=row["title"],
            number=row["number"],
            html=mark_safe(row["html"]),  # noqa: S308  (our own rendering, stored when finalised)
            charts=[chart_from_dict(chart) for chart in row["charts"]],
            commentary=version.commentary_for(row["key"]),
        )
        for row in version.frozen()
    ]
    return CommitteeReport(
        partner=version.partner,
        start=version.start,
        end=version.end,
        sections=sections,
        generated_at=version.finalised_at or version.created_at,
        version=version,
    )


def frozen_sections(report: CommitteeReport) -> list[dict[str, Any]]:
    """The report's sections as stored on a final version (charts as their fields, to redraw them)."""
    return [
        {
            "key": s.key,
            "title": s.title,
            "number": s.number,
            "html": str(s.html),
            "charts": [dataclasses.asdict(chart) for chart in s.charts],
        }
        for s in report.sections
    ]


def chart_from_dict(fields: dict[str, Any]) -> Chart:
    series = [Series(name=row["name"], values=_numbers(row["values"])) for row in fields["series"]]
    return Chart(**{**fields, "series": series})


def _numbers(values: list[Any]) -> list[float | Decimal | int | None]:
    # Decimals come back from JSON as strings.
    return [None if v is None else Decimal(v) if isinstance(v, str) else v for v in values]


def render_print_html(report: CommitteeReport) -> str:
    return render_to_string("reports/committee_print.html", {"report": report})


PDF_CACHE_SECONDS = 7 * 24 * 3600


def pdf_cache_key(html: str) -> str:
    return "committee-pdf:" + hashlib.sha256(html.encode()).hexdigest()


def render_pdf(report: CommitteeReport) -> bytes:
    """The report as a PDF. Laying out and drawing it (WeasyPrint) takes seconds, and the same page gives
    the same PDF, so PDFs are cached under a hash of the printable page: asked again with unchanged
    figures and commentary (the page shows the day, not the time, it was made), it is not drawn again."""
    html = render_print_html(report)
    key = pdf_cache_key(html)
    pdf = cache.get(key)
    if pdf is None:
        from weasyprint import HTML

        # WeasyPrint logs every CSS property it does not support (GOV.UK classes carry many): keep errors.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        pdf = HTML(string=html, base_url=None).write_pdf()
        cache.set(key, pdf, timeout=PDF_CACHE_SECONDS)
    return pdf  # type: ignore[no-any-return]


def committee_pdf(
    partner: Partner, start: dt.date, end: dt.date, user: Any, *, commentary: dict[str, str] | None = None
) -> tuple[bytes, CommitteeReport]:
    report = build_committee_report(partner, start, end, user, for_print=True, commentary=commentary)
    return render_pdf(report), report
