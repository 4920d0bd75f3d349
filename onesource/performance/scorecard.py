"""Reading the framework: a partner's scorecard for a period and a KPI's trend, for pages, API and report."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from onesource.core.charts import Chart, Series
from onesource.core.models import Partner, ServiceCoverage
from onesource.core.periods import overlapping_q
from onesource.performance.models import Direction, Kpi, KpiResult, Rag, period_label

# GOV.UK green, orange (amber) and red: the colours of the RAG tags on the pages.
RAG_COLOURS = {Rag.GREEN: "#00703c", Rag.AMBER: "#f47738", Rag.RED: "#d4351c"}


@dataclass
class ScorecardRow:
    kpi: Kpi
    result: KpiResult | None
    previous: KpiResult | None  # the same period a year earlier, for the direction of travel
    whole_service: bool  # the value is the whole service's: the partner has none of its own

    @property
    def rag(self) -> Rag | None:
        return self.result.rag if self.result else None

    @property
    def travel(self) -> str:
        """Improved, worse or same against a year earlier (in the KPI's better direction)."""
        if not self.result or not self.previous:
            return ""
        change = self.result.value - self.previous.value
        if change == 0:
            return "Same"
        better = change > 0 if self.kpi.direction == Direction.HIGHER else change < 0
        return "Better" if better else "Worse"


def scorecard(partner: Partner, start: dt.date, end: dt.date, user: Any) -> list[ScorecardRow]:
    """Each KPI in use: its latest result between start and end for the partner, else the whole service's.

    A KPI of a service the partner did not receive in the period, with no result of its own, is left out.
    """
    kpis = list(Kpi.objects.restrict(user).filter(is_active=True).select_related("service"))
    results = KpiResult.objects.restrict(user).filter(
        kpi__in=kpis, period_start__gte=_year_before(start), period_start__lte=end
    ).filter(partner__isnull=True) | KpiResult.objects.restrict(user).filter(
        kpi__in=kpis, period_start__gte=_year_before(start), period_start__lte=end, partner=partner
    )
    by_key: dict[tuple[int, int | None, dt.date], KpiResult] = {}
    latest: dict[tuple[int, int | None], KpiResult] = {}
    for result in results.select_related("kpi"):
        by_key[(result.kpi_id, result.partner_id, result.period_start)] = result
        if result.period_start >= start:
            key = (result.kpi_id, result.partner_id)
            if key not in latest or latest[key].period_start < result.period_start:
                latest[key] = result
    # The whole service's result stands in only for a KPI of a service the partner received in the period.
    received = received_services(partner, start, end, user)
    rows = []
    for kpi in kpis:
        own = latest.get((kpi.pk, partner.pk))
        if own is None and kpi.service_id is not None and kpi.service_id not in received:
            continue
        result = own or latest.get((kpi.pk, None))
        previous = None
        if result is not None:
            year_earlier = _year_before(result.period_start)
            previous = by_key.get((kpi.pk, result.partner_id, year_earlier))
        rows.append(ScorecardRow(kpi=kpi, result=result, previous=previous, whole_service=own is None))
    return rows


def received_services(partner: Partner, start: dt.date, end: dt.date, user: Any) -> set[int]:
    return set(
        ServiceCoverage.objects.restrict(user)
        .filter(partner=partner)
        .filter(overlapping_q(start, end, start_field="starts_on", end_field="ends_on"))
        .values_list("service_id", flat=True)
    )


def rag_counts(rows: list[ScorecardRow]) -> dict[str, int]:
    counts = Counter(row.rag for row in rows if row.rag)
    return {rag.value: counts.get(rag, 0) for rag in Rag}


def _year_before(day: dt.date) -> dt.date:
    return day.replace(year=day.year - 1)


def trend_chart(
    kpi: Kpi,
    partners: list[Partner],
    start: dt.date,
    end: dt.date,
    user: Any,
    *,
    include_service: bool = True,
) -> Chart:
    """A line per partner (and the whole service) over the periods between start and end, with the target."""
    results = list(
        KpiResult.objects.restrict(user).filter(kpi=kpi, period_start__gte=start, period_start__lte=end)
    )
    periods = sorted({r.period_start for r in results})
    series = []
    lines: list[tuple[str, int | None]] = [(p.name, p.pk) for p in partners]
    if include_service:
        lines.append(("Whole service", None))
    for name, partner_id in lines:
        values = {r.period_start: r.value for r in results if r.partner_id == partner_id}
        if values:
            series.append(Series(name, [values.get(p) for p in periods]))
    return Chart(
        title=f"{kpi.name} ({kpi.unit})",
        labels=[period_label(p, kpi.frequency) for p in periods],
        series=series,
        kind="line",
        y_label=kpi.unit,
        value_format="{:,.2f}",
        reference_line=float(kpi.target),
        reference_label=f"Target {kpi.target:,} {kpi.unit}",
        height_inches=2.8,
    )


def rag_by_quarter_chart(partner: Partner, start: dt.date, end: dt.date, user: Any) -> Chart:
    """How many KPI results were green, amber and red in each quarter of the period (partner or service)."""
    results = (
        KpiResult.objects.restrict(user)
        .filter(period_start__gte=start, period_start__lte=end, kpi__is_active=True)
        .filter(partner=partner)
        .select_related("kpi")
    )
    own_kpis = {r.kpi_id for r in results}
    service_results = (
        KpiResult.objects.restrict(user)
        .filter(period_start__gte=start, period_start__lte=end, kpi__is_active=True, partner__isnull=True)
        .filter(
            Q(kpi__service__isnull=True) | Q(kpi__service_id__in=received_services(partner, start, end, user))
        )
        .exclude(kpi_id__in=own_kpis)
        .select_related("kpi")
    )
    counts: dict[str, Counter] = {}
    for result in [*results, *service_results]:
        quarter = period_label(
            result.period_start.replace(month=(result.period_start.month - 1) // 3 * 3 + 1), "quarterly"
        )
        counts.setdefault(quarter, Counter())[result.rag] += 1
    order = sorted(counts, key=lambda q: (q.split()[1], q.split()[0]))
    return Chart(
        title=f"KPI results by RAG rating, per quarter ({partner.name})",
        labels=order,
        series=[Series(rag.label, [counts[q].get(rag, 0) for q in order]) for rag in Rag],
        kind="stacked_bar",
        y_label="Results",
        height_inches=2.4,
        colors=[RAG_COLOURS[rag] for rag in Rag],
    )


def decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)
