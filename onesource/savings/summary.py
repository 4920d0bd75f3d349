"""The figures behind the savings dashboard, the API summary and the committee report section."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from onesource.core.charts import Chart, Series
from onesource.core.models import Partner
from onesource.core.periods import financial_year_label
from onesource.savings.attribution import ShareFinder, attributed_amounts
from onesource.savings.models import BusinessCase, Lever, SavingsLine, SavingStatus

ZERO = Decimal("0")


year_label = financial_year_label


@dataclass
class Totals:
    planned: Decimal = ZERO
    delivered: Decimal = ZERO

    def add(self, planned: Decimal, delivered: Decimal) -> None:
        self.planned += planned
        self.delivered += delivered

    @property
    def undelivered(self) -> Decimal:
        return max(self.planned - self.delivered, ZERO)


@dataclass
class CaseSummary:
    case: BusinessCase
    years: list[int]
    target_by_year: dict[int, Decimal]
    by_year: dict[int, Totals]
    by_lever: list[tuple[str, Totals]]
    by_service: list[tuple[str, Totals]]
    by_partner: list[tuple[Partner | None, Totals, dict[int, Totals]]]
    by_status: list[tuple[str, Totals]]
    total: Totals
    remaining_identified: Decimal  # planned but not yet delivered, on lines not dropped
    line_count: int
    partner_view: bool = False  # amounts are one partner's attributed share, not the whole line
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def target(self) -> Decimal:
        return self.case.target

    @property
    def cumulative(self) -> list[tuple[int, Decimal, Decimal, Decimal]]:
        """(year, delivered that year, delivered to date, target to date)."""
        rows, delivered_to_date, target_to_date = [], ZERO, ZERO
        for year in self.years:
            delivered_to_date += self.by_year[year].delivered
            target_to_date += self.target_by_year.get(year, ZERO)
            rows.append((year, self.by_year[year].delivered, delivered_to_date, target_to_date))
        return rows

    @property
    def year_rows(self) -> list[dict[str, Any]]:
        """One row per year for tables: label, target, planned, delivered and both to date."""
        return [
            {
                "year": year,
                "label": year_label(year),
                "target": self.target_by_year.get(year),
                "planned": self.by_year[year].planned,
                "delivered": delivered,
                "delivered_to_date": delivered_to_date,
                "target_to_date": target_to_date,
            }
            for year, delivered, delivered_to_date, target_to_date in self.cumulative
        ]

    @property
    def first_year_label(self) -> str:
        return year_label(self.case.first_year)

    @property
    def delivered_share_of_target(self) -> Decimal | None:
        return (100 * self.total.delivered / self.target).quantize(Decimal("0.1")) if self.target else None

    def cumulative_chart(self, title: str = "Savings delivered to date against the target") -> Chart:
        rows = self.cumulative
        return Chart(
            title=title,
            labels=[year_label(y) for y, *_ in rows],
            series=[
                Series("Delivered to date (£m)", [d / 1_000_000 for _, _, d, _ in rows]),
                Series("Target to date (£m)", [t / 1_000_000 for _, _, _, t in rows]),
            ],
            kind="line",
            y_label="£ million",
            value_format="{:,.2f}",
        )

    def lever_chart(self, title: str = "Savings by lever") -> Chart:
        return Chart(
            title=title,
            labels=[label for label, _ in self.by_lever],
            series=[
                Series("Planned (£m)", [t.planned / 1_000_000 for _, t in self.by_lever]),
                Series("Delivered (£m)", [t.delivered / 1_000_000 for _, t in self.by_lever]),
            ],
            kind="horizontal_bar",
            value_format="{:,.2f}",
            height_inches=max(2.4, 0.45 * len(self.by_lever) + 1),
        )


def lines_for(case: BusinessCase, lines_queryset: Any) -> list[SavingsLine]:
    return list(
        lines_queryset.filter(business_case=case)
        .select_related("service")
        .prefetch_related("amounts", Prefetch("shares"))
    )


def summarise(
    case: BusinessCase,
    lines: list[SavingsLine],
    *,
    visible_partners: frozenset[int] | None = None,
    only_partner: Partner | None = None,
    only_partner_ids: frozenset[int] | None = None,
    first_year: int | None = None,
    last_year: int | None = None,
    finder: ShareFinder | None = None,
) -> CaseSummary:
    """Sum the lines: by year, lever, service, status and partner.

    `visible_partners` limits the by-partner table to partners the reader may see (None: all).
    With `only_partner` (or several, `only_partner_ids`), every figure is those partners' attributed
    share rather than the whole line.
    `first_year`/`last_year` keep only those financial years. Pass one `finder` to several summaries
    of the same lines so each service's shares are worked out once.
    """
    finder = finder or ShareFinder()
    targets = {t.year: t.target for t in case.year_targets.all()}
    years_seen: set[int] = set(case.year_range) | set(targets)
    by_year: dict[int, Totals] = defaultdict(Totals)
    by_lever: dict[str, Totals] = defaultdict(Totals)
    by_service: dict[str, Totals] = defaultdict(Totals)
    by_status: dict[str, Totals] = defaultdict(Totals)
    by_partner: dict[int | None, Totals] = defaultdict(Totals)
    by_partner_year: dict[int | None, dict[int, Totals]] = defaultdict(lambda: defaultdict(Totals))
    total = Totals()
    remaining_by_line: dict[int, Totals] = defaultdict(Totals)

    def in_range(year: int) -> bool:
        return (first_year is None or year >= first_year) and (last_year is None or year <= last_year)

    keep = frozenset({only_partner.pk}) if only_partner is not None else only_partner_ids
    for line, year, partner_id, planned, delivered in attributed_amounts(lines, finder):
        if not in_range(year):
            continue
        if visible_partners is None or partner_id in visible_partners:
            by_partner[partner_id].add(planned, delivered)
            by_partner_year[partner_id][year].add(planned, delivered)
        if keep is not None and partner_id not in keep:
            continue
        years_seen.add(year)
        by_year[year].add(planned, delivered)
        by_lever[line.get_lever_display()].add(planned, delivered)
        by_service[line.service.name].add(planned, delivered)
        by_status[line.get_status_display()].add(planned, delivered)
        total.add(planned, delivered)
        if line.status != SavingStatus.DROPPED:
            remaining_by_line[line.pk].add(planned, delivered)

    years = sorted(y for y in years_seen if in_range(y))
    for year in years:
        by_year.setdefault(year, Totals())
    lever_order = {label: i for i, label in enumerate(Lever.labels)}
    partners = Partner.objects.in_bulk([p for p in by_partner if p is not None])
    return CaseSummary(
        case=case,
        years=years,
        target_by_year={y: t for y, t in targets.items() if in_range(y)},
        by_year=dict(by_year),
        by_lever=sorted(by_lever.items(), key=lambda item: lever_order.get(item[0], 99)),
        by_service=sorted(by_service.items(), key=lambda item: -item[1].delivered),
        by_partner=[
            (partners.get(p) if p is not None else None, by_partner[p], dict(by_partner_year[p]))
            for p in sorted(by_partner, key=lambda p: (p is None, partners[p].name if p in partners else ""))
        ],
        by_status=sorted(by_status.items(), key=lambda item: list(SavingStatus.labels).index(item[0])),
        total=total,
        remaining_identified=sum((t.undelivered for t in remaining_by_line.values()), ZERO),
        line_count=len(lines),
        partner_view=keep is not None,
    )
