"""Chart definitions for the workforce dashboard and the committee report section."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from onesource.core.charts import Chart, Series
from onesource.workforce.figures import SeriesPoint, Snapshot
from onesource.workforce.models import ContractType

CONTRACT_LABELS = {**dict(ContractType.choices), "unknown": "Not recorded"}


def _label(point: SeriesPoint) -> str:
    return point.day.strftime("%b %Y")


def headcount_trend(points: list[SeriesPoint], title: str = "Headcount and FTE") -> Chart:
    return Chart(
        title=title,
        labels=[_label(p) for p in points],
        series=[Series("Headcount", [p.headcount for p in points]), Series("FTE", [p.fte for p in points])],
        y_label="People",
    )


def temporary_trend(points: list[SeriesPoint]) -> Chart:
    return Chart(
        title="Agency and interim staff",
        labels=[_label(p) for p in points],
        series=[Series("Agency", [p.agency for p in points]), Series("Interim", [p.interim for p in points])],
        y_label="People",
    )


def by_partner(snapshot: Snapshot, names: dict[str, str]) -> Chart:
    codes = sorted(set(snapshot.by_employer) | set(snapshot.by_partner_served))
    return Chart(
        title=f"FTE by partner on {snapshot.day:%-d %B %Y}",
        labels=[names.get(code, code) for code in codes],
        series=[
            Series("Employed by", [snapshot.by_employer.get(c, {}).get("fte", Decimal(0)) for c in codes]),
            Series(
                "Working for (time split)",
                [snapshot.by_partner_served.get(c, {}).get("fte", Decimal(0)) for c in codes],
            ),
        ],
        kind="bar",
        y_label="FTE",
    )


def by_contract_type(snapshot: Snapshot) -> Chart:
    keys = list(snapshot.by_contract_type)
    return Chart(
        title=f"Headcount by contract type on {snapshot.day:%-d %B %Y}",
        labels=[CONTRACT_LABELS.get(k, k) for k in keys],
        series=[Series("Headcount", [snapshot.by_contract_type[k]["headcount"] for k in keys])],
        kind="horizontal_bar",
    )


def by_area(snapshot: Snapshot) -> Chart:
    keys = list(snapshot.by_area)
    return Chart(
        title=f"FTE by service area on {snapshot.day:%-d %B %Y}",
        labels=keys,
        series=[Series("FTE", [snapshot.by_area[k]["fte"] for k in keys])],
        kind="horizontal_bar",
        value_format="{:,.1f}",
    )


def sickness_per_fte(rows: list[dict[str, Any]]) -> Chart:
    return Chart(
        title="Working days lost to sickness per FTE, by financial year",
        labels=[row["year"] for row in rows],
        series=[Series("Days per FTE", [row["days_per_fte"] for row in rows])],
        kind="bar",
        value_format="{:,.1f}",
        y_label="Days per FTE",
    )
