"""Sections of the committee report that other apps contribute (workforce, finance, …).

The report (reports app) lists registered sections in `order` and asks each for its content for
one partner and period; a section with nothing to say returns None and is left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from onesource.core.charts import Chart
from onesource.core.models import Partner


@dataclass
class SectionContent:
    """What a section shows: a template (rendered both on the page and in the PDF), its context, charts."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)


SectionBuilder = Callable[[Partner, dt.date, dt.date, Any], SectionContent | None]


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    order: int
    build: SectionBuilder


REPORT_SECTIONS: dict[str, ReportSection] = {}


def register_report_section(
    key: str, *, title: str, order: int
) -> Callable[[SectionBuilder], SectionBuilder]:
    def register(build: SectionBuilder) -> SectionBuilder:
        REPORT_SECTIONS[key] = ReportSection(key=key, title=title, order=order, build=build)
        return build

    return register


def report_sections() -> list[ReportSection]:
    return sorted(REPORT_SECTIONS.values(), key=lambda s: s.order)
