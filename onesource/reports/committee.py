"""The committee report for one partner and a period: every registered section, in order, page and PDF.

Each section is built by its app (core.reporting) and rendered from its own template, the same template
on the page and in the PDF; charts are drawn from one Chart definition to SVG in both. A section that
returns None (no data) is left out, and the remaining sections are numbered in order.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from onesource.core.models import Partner
from onesource.core.reporting import report_sections
from onesource.reports import background  # noqa: F401  (registers the "background" section)


@dataclass
class RenderedSection:
    key: str
    title: str
    number: int
    html: SafeString


@dataclass
class CommitteeReport:
    partner: Partner
    start: dt.date
    end: dt.date
    sections: list[RenderedSection]
    generated_at: dt.datetime
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def period_label(self) -> str:
        return f"{self.start:%B %Y} to {self.end:%B %Y}"

    @property
    def file_name(self) -> str:
        return (
            f"committee-report-{self.partner.code.lower()}-{self.start:%Y-%m-%d}-to-{self.end:%Y-%m-%d}.pdf"
        )


def build_committee_report(
    partner: Partner, start: dt.date, end: dt.date, user: Any, *, for_print: bool = False
) -> CommitteeReport:
    """Gather every registered section's content and render each from its template."""
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
            sections.append(RenderedSection(section.key, section.title, len(sections) + 1, mark_safe(html)))  # noqa: S308
        timings[section.key] = time.perf_counter() - began
    return CommitteeReport(
        partner=partner, start=start, end=end, sections=sections, generated_at=timezone.now(), timings=timings
    )


def render_print_html(report: CommitteeReport) -> str:
    return render_to_string("reports/committee_print.html", {"report": report})


def render_pdf(report: CommitteeReport) -> bytes:
    from weasyprint import HTML

    # WeasyPrint logs every CSS property it does not support (GOV.UK classes carry many): keep errors only.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    html = render_print_html(report)
    return HTML(string=html, base_url=None).write_pdf()


def committee_pdf(partner: Partner, start: dt.date, end: dt.date, user: Any) -> tuple[bytes, CommitteeReport]:
    report = build_committee_report(partner, start, end, user, for_print=True)
    return render_pdf(report), report
