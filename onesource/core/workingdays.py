"""Working days: Monday to Friday, less England and Wales bank holidays, less a partner's closure days.

Bank holidays come from the `govuk-bank-holidays` package, which ships GOV.UK's published data
(years outside it count weekends only). Every deadline counted in working days (casework, service
levels, sickness pro rata) goes through a `WorkingCalendar` from `calendar_for`.

Counting follows the statutory wording "the period of N working days beginning with day D": the
start day is the first of the N when it is a working day, so 5 working days beginning with Monday
22 December 2025 end on Tuesday 30 December (Christmas and Boxing Day are bank holidays).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from govuk_bank_holidays.bank_holidays import BankHolidays

ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=1)
def bank_holidays() -> dict[dt.date, str]:
    """England and Wales bank holidays from the package's bundled copy (never downloaded)."""
    calendar = BankHolidays(use_cached_holidays=True)
    return {h["date"]: h["title"] for h in calendar.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)}


@lru_cache(maxsize=1)
def bank_holiday_years() -> tuple[int, int]:
    years = [day.year for day in bank_holidays()]
    return min(years), max(years)


@dataclass(frozen=True)
class WorkingCalendar:
    """Weekdays less the bank holidays and the given closure days."""

    closures: frozenset[dt.date] = frozenset()

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in bank_holidays() and day not in self.closures

    def why_closed(self, day: dt.date) -> str:
        """Why the day is not a working day ("" when it is one)."""
        if day.weekday() >= 5:
            return "Weekend"
        if day in bank_holidays():
            return bank_holidays()[day]
        if day in self.closures:
            return "Closure day"
        return ""

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day after `day`."""
        day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The last day of the `days` working days beginning with `start` (start itself when days is 0)."""
        if days < 0:
            raise ValueError("Give a number of working days of 0 or more.")
        if days == 0:
            return start
        day = start if self.is_working_day(start) else self.next_working_day(start)
        for _ in range(days - 1):
            day = self.next_working_day(day)
        return day

    def working_days(self, first: dt.date, last: dt.date) -> int:
        """Working days from `first` to `last`, both included (0 when last is before first)."""
        if last < first:
            return 0
        weeks, extra = divmod((last - first).days + 1, 7)
        weekdays = weeks * 5 + sum(1 for i in range(extra) if (first.weekday() + i) % 7 < 5)
        closed = {d for d in bank_holidays() if first <= d <= last}
        closed.update(d for d in self.closures if first <= d <= last and d.weekday() < 5)
        return weekdays - sum(1 for d in closed if d.weekday() < 5)


ENGLAND_AND_WALES = WorkingCalendar()


def calendar_for(partner_id: int | None = None) -> WorkingCalendar:
    """The working calendar of a partner (its closure days added), or England and Wales alone."""
    if partner_id is None:
        return ENGLAND_AND_WALES
    return calendars_for([partner_id])[partner_id]


def calendar_for_code(code: str | None) -> WorkingCalendar:
    """The calendar of the partner with this code (England and Wales alone without one). Closure days
    are not confidential: anyone may count a partner's working days. Raises `LookupError`."""
    if not code:
        return ENGLAND_AND_WALES
    from onesource.core.models import Partner

    found = Partner.objects.dangerously_unscoped().filter(code=code.upper()).values_list("pk", flat=True)
    partner_id = found.first()
    if partner_id is None:
        raise LookupError(f"No partner with code {code!r}.")
    return calendar_for(partner_id)


def calendars_for(partner_ids: Iterable[int]) -> dict[int, WorkingCalendar]:
    """Calendars of several partners in one query."""
    from onesource.core.models import ClosureDay

    ids = set(partner_ids)
    closures: dict[int, set[dt.date]] = {pk: set() for pk in ids}
    for partner_id, day in (
        ClosureDay.objects.dangerously_unscoped().filter(partner_id__in=ids).values_list("partner_id", "date")
    ):
        closures[partner_id].add(day)
    return {pk: WorkingCalendar(closures=frozenset(days)) for pk, days in closures.items()}
