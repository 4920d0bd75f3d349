"""Date periods: validation shared by every model that holds history (from/to dates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models


@dataclass(frozen=True)
class Period:
    """A closed date range; `end` None means open-ended (still current)."""

    start: dt.date
    end: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, other: Period) -> bool:
        self_end = self.end or dt.date.max
        other_end = other.end or dt.date.max
        return self.start <= other_end and other.start <= self_end

    def days_within(self, start: dt.date, end: dt.date) -> int:
        """Days of this period inside [start, end], inclusive."""
        first = max(self.start, start)
        last = min(self.end or dt.date.max, end)
        return max((last - first).days + 1, 0)


def validate_period(start: dt.date | None, end: dt.date | None, *, start_field: str, end_field: str) -> None:
    if start is None:
        raise ValidationError({start_field: "Enter a start date."})
    if end is not None and end < start:
        raise ValidationError({end_field: "The end date must be the same as or after the start date."})


def validate_no_overlap(
    others: models.QuerySet, start: dt.date, end: dt.date | None, *, what: str, start_attr: str, end_attr: str
) -> None:
    """Reject a period that overlaps any of `others` (already narrowed to the same subject)."""
    new = Period(start, end)
    for other in others:
        existing = Period(getattr(other, start_attr), getattr(other, end_attr))
        if new.overlaps(existing):
            until = existing.end.isoformat() if existing.end else "now"
            raise ValidationError(
                f"This overlaps an existing {what} from {existing.start.isoformat()} to {until}. "
                "Change the dates or end the existing one first."
            )


def active_on_q(day: dt.date, *, start_field: str, end_field: str) -> models.Q:
    return models.Q(**{f"{start_field}__lte": day}) & (
        models.Q(**{f"{end_field}__isnull": True}) | models.Q(**{f"{end_field}__gte": day})
    )


def overlapping_q(start: dt.date, end: dt.date, *, start_field: str, end_field: str) -> models.Q:
    return models.Q(**{f"{start_field}__lte": end}) & (
        models.Q(**{f"{end_field}__isnull": True}) | models.Q(**{f"{end_field}__gte": start})
    )


def financial_year_of(day: dt.date) -> int:
    """The calendar year in which the day's April-to-March financial year starts."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    """2017 -> "2017/18"."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"
