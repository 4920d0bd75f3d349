"""Every change to the performance framework and the achievements log. Pages, API, CLI and jobs call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from onesource.core.audit import action, apply_changes, record_event
from onesource.core.csvio import CsvFileError, read_csv
from onesource.core.models import Partner
from onesource.core.roles import Capability
from onesource.core.scoping import scope_for
from onesource.performance.models import (
    Achievement,
    AchievementKind,
    AwardOutcome,
    Kpi,
    KpiResult,
    period_start_for,
)

KPI_FIELDS = {
    "code",
    "name",
    "description",
    "unit",
    "direction",
    "frequency",
    "target",
    "amber_tolerance",
    "owner",
    "service",
    "source",
    "is_active",
}
ACHIEVEMENT_FIELDS = {
    "kind",
    "title",
    "organisation",
    "achieved_on",
    "outcome",
    "value",
    "service",
    "partner",
    "description",
}
IMPORT_COLUMNS = ("kpi", "partner", "period", "value", "note")
REQUIRED_COLUMNS = ("kpi", "period", "value")


def _save(instance: models.Model, *, refresh: bool = False) -> None:
    instance.full_clean()
    instance.save()
    if refresh:  # decimals come back in their stored form (2500 -> 2500.00) for the caller
        instance.refresh_from_db()


def _check_may_record(acting_user: Any, partner: Partner | None, field_name: str = "partner") -> None:
    scope = scope_for(acting_user)
    allowed = scope.partners_with(Capability.MANAGE_PERFORMANCE)
    if allowed is None:
        return
    if partner is None or partner.pk not in allowed:
        raise ValidationError({field_name: "You may not record performance for that partner."})


# KPI definitions


@action
def create_kpi(*, acting_user: Any, **fields: Any) -> Kpi:
    kpi = Kpi()
    apply_changes(kpi, fields, KPI_FIELDS)
    _save(kpi, refresh=True)
    return kpi


@action
def update_kpi(kpi: Kpi, *, acting_user: Any, **changes: Any) -> Kpi:
    kpi = Kpi.objects.select_for_update().get(pk=kpi.pk)
    apply_changes(kpi, changes, KPI_FIELDS)
    _save(kpi, refresh=True)
    return kpi


# Results


@action
def record_result(
    kpi: Kpi,
    *,
    period: dt.date,
    value: Decimal,
    partner: Partner | None = None,
    note: str = "",
    acting_user: Any,
) -> KpiResult:
    """Set the KPI's value for the period holding `period` (replacing any value already there)."""
    _refuse_if_computed(kpi)
    _check_may_record(acting_user, partner)
    start = period_start_for(period, kpi.frequency)
    result = KpiResult.objects.filter(kpi=kpi, partner=partner, period_start=start).first()
    if result is None:
        result = KpiResult(kpi=kpi, partner=partner, period_start=start)
    try:
        result.value = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValidationError({"value": "Enter a number."}) from exc
    result.note = note
    _save(result)
    return result


def _refuse_if_computed(kpi: Kpi, field_name: str = "value") -> None:
    figure = kpi.source_figure
    if figure is not None:
        raise ValidationError(
            {
                field_name: f"This KPI's results are computed from “{figure.label}”: "
                "they cannot be entered by hand."
            }
        )


@action
def compute_kpi_results(
    kpi: Kpi,
    *,
    periods: list[dt.date],
    partners: list[Partner | None],
    acting_user: Any,
) -> list[KpiResult]:
    """Set a computed KPI's result for each period and partner (None: the whole service) from its
    named figure, over the window `Kpi.measured_window` gives; a period with no data gets no result."""
    figure = kpi.source_figure
    if figure is None:
        raise ValidationError({"source": "This KPI has no figure to compute its results from."})
    for partner in partners:
        _check_may_record(acting_user, partner)
    saved: list[KpiResult] = []
    for period in sorted({period_start_for(day, kpi.frequency) for day in periods}):
        start, end = kpi.measured_window(period)
        for partner in partners:
            # The system's figures: a KPI is the partnership's measure, not one reader's view.
            value = figure.value(partner, start, end, None)
            if value is None:
                continue
            result, _created = KpiResult.objects.update_or_create(
                kpi=kpi,
                partner=partner,
                period_start=period,
                defaults={
                    "value": Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                    "note": f"Computed from {figure.label.lower()}, "
                    f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}",
                },
            )
            saved.append(result)
    record_event(
        "performance.kpi_results_computed",
        kpi,
        acting_user=acting_user,
        data={"figure": figure.label, "results": len(saved)},
    )
    return saved


@dataclass
class ParsedRow:
    row_number: int
    kpi: Kpi
    partner: Partner | None
    period_start: dt.date
    value: Decimal
    note: str


@dataclass
class ImportSummary:
    rows: list[ParsedRow] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    dry_run: bool = False

    @property
    def message(self) -> str:
        verb = "Would create" if self.dry_run else "Created"
        text = f"{len(self.rows)} rows checked. {verb} {self.created} results and "
        text += f"{'would update' if self.dry_run else 'updated'} {self.updated}."
        return text + (" Nothing was written (dry run)." if self.dry_run else "")


def _parse_period(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%Y-%m"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_kpi_results(text: str, acting_user: Any) -> tuple[list[ParsedRow], list[str]]:
    """Read a results CSV. Row numbers count the header as row 1, as a spreadsheet shows them."""
    try:
        table = read_csv(text, delimiters=",")
    except CsvFileError as exc:
        return [], [str(exc)]
    headers = [h.lower() for h in table.header]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        return [], [
            f"The file needs a header row with the columns {', '.join(IMPORT_COLUMNS)} "
            f"(partner and note may be blank); missing: {', '.join(missing)}."
        ]
    kpis = {k.code: k for k in Kpi.objects.all()}
    partners = {p.code: p for p in Partner.objects.all()}
    scope = scope_for(acting_user)
    allowed = scope.partners_with(Capability.MANAGE_PERFORMANCE)
    rows: list[ParsedRow] = []
    errors: list[str] = []
    seen: dict[tuple[int, int | None, dt.date], int] = {}
    for row, raw in table.records():
        number = row.number
        if row.problem:
            errors.append(f"Row {number}: {row.problem}.")
            continue
        record = {k.lower(): v.strip() for k, v in raw.items()}
        problems = []
        kpi = kpis.get(record.get("kpi", ""))
        if kpi is None:
            problems.append(f"unknown KPI code {record.get('kpi', '')!r}")
        elif kpi.source_figure is not None:
            problems.append(f"{kpi.code} is computed from {kpi.source_figure.label.lower()}, not imported")
        partner = None
        code = record.get("partner", "").upper()
        if code:
            partner = partners.get(code)
            if partner is None:
                problems.append(f"unknown partner {code!r}")
            elif allowed is not None and partner.pk not in allowed:
                problems.append(f"you may not record results for {code}")
        elif allowed is not None:
            problems.append("only a shared-service manager may record whole-service results (give a partner)")
        period = None
        try:
            period = _parse_period(record.get("period", ""))
        except ValueError:
            problems.append(f"period {record.get('period', '')!r} is not a date: use YYYY-MM or YYYY-MM-DD")
        value = None
        try:
            value = Decimal(record.get("value", "").replace(",", ""))
            if not value.is_finite() or abs(value) >= Decimal("1e12"):
                raise InvalidOperation
        except InvalidOperation:
            problems.append(f"value {record.get('value', '')!r} is not a number")
        note = record.get("note", "")
        if len(note) > 300:
            problems.append("the note is longer than 300 characters")
        if not problems and kpi and period and value is not None:
            start = period_start_for(period, kpi.frequency)
            key = (kpi.pk, partner.pk if partner else None, start)
            if key in seen:
                problems.append(f"repeats row {seen[key]} (same KPI, partner and period)")
            else:
                seen[key] = number
                rows.append(ParsedRow(number, kpi, partner, start, value.quantize(Decimal("0.01")), note))
        for problem in problems:
            errors.append(f"Row {number}: {problem}.")
    if not rows and not errors:
        errors.append("The file has no rows under its header.")
    return rows, errors


@action
def import_kpi_results(
    text: str,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    acting_user: Any,
) -> ImportSummary:
    """All or nothing: any bad row and nothing is written; the errors name each row and its problem."""
    rows, errors = parse_kpi_results(text, acting_user)
    if errors:
        raise ValidationError({"file": errors})
    summary = ImportSummary(rows=rows, dry_run=dry_run)
    existing = {
        (r.kpi_id, r.partner_id, r.period_start): r
        for r in KpiResult.objects.filter(kpi__in={row.kpi.pk for row in rows})
    }
    for index, row in enumerate(rows, start=1):
        found = existing.get((row.kpi.pk, row.partner.pk if row.partner else None, row.period_start))
        if found is None:
            summary.created += 1
            if not dry_run:
                _save(
                    KpiResult(
                        kpi=row.kpi,
                        partner=row.partner,
                        period_start=row.period_start,
                        value=row.value,
                        note=row.note,
                    )
                )
        else:
            summary.updated += 1
            if not dry_run and (found.value != row.value or found.note != row.note):
                found.value, found.note = row.value, row.note
                _save(found)
        if progress and (index % 50 == 0 or index == len(rows)):
            progress(index, len(rows), f"Row {row.row_number}")
    if not dry_run:
        record_event(
            "kpi_results.imported",
            None,
            acting_user=acting_user,
            data={"rows": len(rows), "created": summary.created, "updated": summary.updated},
        )
    return summary


# Achievements


def _check_achievement(achievement: Achievement) -> None:
    if achievement.kind == AchievementKind.AWARD and not achievement.outcome:
        raise ValidationError({"outcome": "Say whether the award was won or the entry shortlisted."})
    if achievement.kind != AchievementKind.AWARD and achievement.outcome:
        raise ValidationError({"outcome": "Only an award has an outcome: leave this blank."})
    if achievement.value is not None and achievement.value < 0:
        raise ValidationError({"value": "Enter a value of zero or more."})
    if achievement.outcome not in AwardOutcome.values:
        raise ValidationError({"outcome": "Choose shortlisted or won."})


@action
def create_achievement(*, acting_user: Any, **fields: Any) -> Achievement:
    achievement = Achievement()
    apply_changes(achievement, fields, ACHIEVEMENT_FIELDS)
    achievement.outcome = achievement.outcome or ""
    _check_achievement(achievement)
    _save(achievement, refresh=True)
    return achievement


@action
def update_achievement(achievement: Achievement, *, acting_user: Any, **changes: Any) -> Achievement:
    achievement = Achievement.objects.select_for_update().get(pk=achievement.pk)
    apply_changes(achievement, changes, ACHIEVEMENT_FIELDS)
    achievement.outcome = achievement.outcome or ""
    _check_achievement(achievement)
    _save(achievement, refresh=True)
    return achievement
