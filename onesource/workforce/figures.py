"""Workforce figures for any date or period, computed with aggregate SQL.

Definitions (the same on pages, the API, the CLI and in reports):
- headcount on a day: people employed on that day (start date <= day <= leaving date); with a
  service or area filter, people with an assignment in it on that day.
- FTE on a day: the sum of the FTE of assignments active on that day.
- by employer: the partner holding the contract of employment. By partner served: each person
  counts by their time split on that day (60/40 counts 0.6 and 0.4; FTE likewise); a person with
  no time split on that day works wholly for their employer.
- vacancies: posts that exist on the day with no assignment active on it.
- agency and interim: people whose contract period on the day is agency or interim; their cost
  over a period is each costed contract period's cost pro rata by the days inside the period.
- turnover: leavers in the period ÷ average headcount ((headcount at start + at end) / 2).
- working days lost per FTE: working days lost inside the period ÷ average FTE, where
  average FTE = (FTE at start + FTE at end) / 2 (LG Inform metric 3524). An absence records only its
  total days lost, so one that crosses the period's start or end counts pro rata by working days
  (weekdays less bank holidays and the employer's closure days) inside the period: days lost *
  working days inside ÷ working days of the whole absence (see `sickness_days_in_period`).

A partner filter keeps people employed by OR working for (by time split) that partner, and posts
that partner funds or shared posts of services it receives. Figures read through the user's
scope; `user=None` means the system (every partner). Health data appears only as totals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from onesource.core.models import Partner, Service, ServiceArea
from onesource.core.periods import financial_year_label
from onesource.core.roles import Capability
from onesource.core.workingdays import ENGLAND_AND_WALES, WorkingCalendar, calendars_for
from onesource.workforce.models import (
    COSTED_CONTRACT_TYPES,
    Assignment,
    ContractPeriod,
    ContractType,
    Employee,
    FurloughPeriod,
    Post,
    SicknessAbsence,
    TimeSplit,
    TimeSplitShare,
)

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")
UNKNOWN = "unknown"


def money(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def absence_last_day(
    starts_on: dt.date,
    ends_on: dt.date | None,
    days_lost: Decimal,
    calendar: WorkingCalendar = ENGLAND_AND_WALES,
) -> dt.date:
    """The absence's last day; a continuing one (no last day yet) is taken to run for as many
    working days as it has lost so far, beginning with its first day."""
    if ends_on is not None:
        return ends_on
    return calendar.add_working_days(
        starts_on, max(int(days_lost.to_integral_value(rounding=ROUND_CEILING)), 1)
    )


def sickness_days_in_period(absences: QuerySet[Any], start: dt.date, end: dt.date) -> Decimal:
    """Working days lost inside [start, end].

    Records store only the total days lost, so an absence crossing the period's start or end counts
    pro rata by working days (weekdays less bank holidays and the employing council's closure days):
    days lost * working days inside the period ÷ working days of the whole absence (an absence with no
    working day in it, such as a weekend, falls back to calendar days). Absences wholly inside are
    summed in SQL; only the few that cross a boundary (or are continuing) are read row by row.
    """
    inside = absences.filter(starts_on__gte=start, ends_on__isnull=False, ends_on__lte=end)
    total = _dec(inside.aggregate(total=Sum("working_days_lost"))["total"])
    crossing = list(
        absences.filter(starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(starts_on__lt=start, ends_on__gte=start) | Q(ends_on__gt=end))
        .values_list("starts_on", "ends_on", "working_days_lost", "employee__employing_partner_id")
    )
    calendars = calendars_for({row[3] for row in crossing})
    for first, ends_on, days_lost, partner_id in crossing:
        calendar = calendars[partner_id]
        last = absence_last_day(first, ends_on, days_lost, calendar)
        overlap_first, overlap_last = max(first, start), min(last, end)
        if overlap_last < overlap_first:
            continue
        whole = calendar.working_days(first, last)
        part = calendar.working_days(overlap_first, overlap_last)
        if whole == 0:  # no working day in the whole absence: share by calendar days instead
            whole, part = (last - first).days + 1, (overlap_last - overlap_first).days + 1
        total += days_lost * part / whole
    return total


@dataclass(frozen=True)
class TimeSplits:
    """The time splits active on one day: who has one, and its shares keyed by partner (id or code)."""

    split: frozenset[int]
    shares: dict[int, list[tuple[Any, Decimal]]]

    def percentages(self, employee_id: int, employer: Any) -> list[tuple[Any, Decimal]]:
        """The percentage of the person each partner is served by: their split, or 100 for their employer."""
        if employee_id in self.split:
            return self.shares.get(employee_id, [])
        return [(employer, HUNDRED)]


def time_splits_on(day: dt.date, employed: QuerySet[Any], partner_key: str = "partner_id") -> TimeSplits:
    """The time splits of the employed people on the day, shares keyed by `partner_key`, in two reads.
    Every figure weighted by time split (FTE served, the headcount driver) counts people through it."""
    shares: dict[int, list[tuple[Any, Decimal]]] = {}
    for employee_id, partner, percent in (
        TimeSplitShare.objects.filter(_active(day, "split__"), split__employee__in=employed)
        .values_list("split__employee_id", partner_key, "percent")
        .order_by()
    ):
        shares.setdefault(employee_id, []).append((partner, percent))
    split = frozenset(
        TimeSplit.objects.filter(_active(day), employee__in=employed)
        .values_list("employee_id", flat=True)
        .order_by()
    )
    return TimeSplits(split=split, shares=shares)


def ratio(numerator: Decimal, denominator: Decimal, places: str = "0.01") -> Decimal | None:
    if not denominator:
        return None
    return (numerator / denominator).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _dec(value: Any) -> Decimal:
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _fte(value: Any) -> Decimal:
    """FTE to two places (SQLite sums decimals as floats)."""
    return _dec(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _active(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


def _overlapping(start: dt.date, end: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_on__lte": end}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": start})
    )


def _last_day_of_month(year: int, month: int) -> dt.date:
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dt.date(next_year, next_month, 1) - dt.timedelta(days=1)


def month_ends(start: dt.date, end: dt.date, step_months: int = 1) -> list[dt.date]:
    """The last day of every `step_months`-th month from start's month; the last point is `end`."""
    days: list[dt.date] = []
    year, month = start.year, start.month
    while True:
        last = _last_day_of_month(year, month)
        if last >= end:
            days.append(end)
            return days
        days.append(last)
        month += step_months
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1


@dataclass
class Snapshot:
    day: dt.date
    headcount: int
    fte: Decimal
    by_employer: dict[str, dict[str, Any]]
    by_partner_served: dict[str, dict[str, Decimal]]
    by_contract_type: dict[str, dict[str, Any]]
    by_area: dict[str, dict[str, Any]]
    by_service: dict[str, dict[str, Any]]
    vacancies: int
    vacant_fte: Decimal
    posts: int
    senior_management_posts: int
    agency: int
    interim: int
    furloughed: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "headcount": self.headcount,
            "fte": str(self.fte),
            "by_partner": {code: row["headcount"] for code, row in self.by_employer.items()},
            "fte_by_partner": {code: str(row["fte"]) for code, row in self.by_employer.items()},
            "by_partner_served": {
                code: {"headcount": str(row["headcount"]), "fte": str(row["fte"])}
                for code, row in self.by_partner_served.items()
            },
            "by_contract_type": {key: row["headcount"] for key, row in self.by_contract_type.items()},
            "fte_by_contract_type": {key: str(row["fte"]) for key, row in self.by_contract_type.items()},
            "by_area": {
                k: {"headcount": v["headcount"], "fte": str(v["fte"])} for k, v in self.by_area.items()
            },
            "by_service": {
                k: {"headcount": v["headcount"], "fte": str(v["fte"])} for k, v in self.by_service.items()
            },
            "posts": self.posts,
            "vacancies": self.vacancies,
            "vacant_fte": str(self.vacant_fte),
            "senior_management_posts": self.senior_management_posts,
            "agency": self.agency,
            "interim": self.interim,
            "furloughed": self.furloughed,
        }


@dataclass
class PeriodFigures:
    start: dt.date
    end: dt.date
    at_start: Snapshot
    at_end: Snapshot
    starters: int
    leavers: int
    leavers_by_reason: dict[str, int]
    working_days_lost: Decimal
    agency_cost: Decimal
    interim_cost: Decimal
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def average_headcount(self) -> Decimal:
        return (Decimal(self.at_start.headcount) + Decimal(self.at_end.headcount)) / 2

    @property
    def average_fte(self) -> Decimal:
        return (self.at_start.fte + self.at_end.fte) / 2

    @property
    def turnover_percent(self) -> Decimal | None:
        value = ratio(Decimal(self.leavers) * 100, self.average_headcount, "0.1")
        return value

    @property
    def days_lost_per_fte(self) -> Decimal | None:
        return ratio(self.working_days_lost, self.average_fte)

    def as_dict(self) -> dict[str, Any]:
        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "headcount_at_start": self.at_start.headcount,
            "headcount_at_end": self.at_end.headcount,
            "fte_at_start": str(self.at_start.fte),
            "fte_at_end": str(self.at_end.fte),
            "average_headcount": str(self.average_headcount),
            "average_fte": str(self.average_fte),
            "starters": self.starters,
            "leavers": self.leavers,
            "leavers_by_reason": self.leavers_by_reason,
            "turnover_percent": text(self.turnover_percent),
            "working_days_lost": str(self.working_days_lost),
            "working_days_lost_per_fte": text(self.days_lost_per_fte),
            "agency_at_end": self.at_end.agency,
            "interim_at_end": self.at_end.interim,
            "agency_cost": str(self.agency_cost),
            "interim_cost": str(self.interim_cost),
            "vacancies_at_end": self.at_end.vacancies,
            "senior_management_posts_at_start": self.at_start.senior_management_posts,
            "senior_management_posts_at_end": self.at_end.senior_management_posts,
            "start": self.at_start.as_dict(),
            "end": self.at_end.as_dict(),
        }


@dataclass
class SeriesPoint:
    day: dt.date
    headcount: int
    fte: Decimal
    agency: int
    interim: int


class WorkforceFigures:
    """Figures seen by `user` (None: the system), narrowed by partner, area, service, contract type."""

    def __init__(
        self,
        user: Any = None,
        *,
        partner: Partner | None = None,
        area: ServiceArea | None = None,
        service: Service | None = None,
        contract_type: str = "",
    ) -> None:
        self.user = user
        self.partner = partner
        self.area = area
        self.service = service
        self.contract_type = contract_type

    # The people, assignments and posts in view

    def employees(self) -> QuerySet[Employee]:
        queryset = Employee.objects.all()
        if self.user is not None:
            queryset = queryset.restrict(self.user, Capability.VIEW)
        return queryset

    def _partner_q(self, when: Q) -> Q:
        """Employed by the partner, or working for it under a time split matching `when`."""
        assert self.partner is not None
        served = TimeSplitShare.objects.filter(when, split__employee=OuterRef("pk"), partner=self.partner)
        return Q(employing_partner=self.partner) | Q(Exists(served))

    def _people(self, start: dt.date, end: dt.date) -> QuerySet[Employee]:
        """People in view, with the partner filter applied over [start, end]."""
        queryset = self.employees()
        if self.partner is not None:
            queryset = queryset.filter(self._partner_q(_overlapping(start, end, "split__")))
        return queryset

    def _service_q(self, prefix: str = "") -> Q:
        q = Q()
        if self.service is not None:
            q &= Q(**{f"{prefix}post__service": self.service})
        if self.area is not None:
            q &= Q(**{f"{prefix}post__service__area": self.area})
        return q

    @property
    def _narrowed_by_post(self) -> bool:
        return self.service is not None or self.area is not None

    def employed_on(self, day: dt.date) -> QuerySet[Employee]:
        queryset = self._people(day, day).filter(Employee.employed_q(day))
        if self._narrowed_by_post:
            in_post = Assignment.objects.filter(_active(day), self._service_q(), employee=OuterRef("pk"))
            queryset = queryset.filter(Exists(in_post))
        if self.contract_type:
            on_contract = ContractPeriod.objects.filter(
                _active(day), employee=OuterRef("pk"), contract_type=self.contract_type
            )
            queryset = queryset.filter(Exists(on_contract))
        return queryset

    def assignments_on(self, day: dt.date) -> QuerySet[Assignment]:
        return Assignment.objects.filter(_active(day), self._service_q(), employee__in=self.employed_on(day))

    def posts(self) -> QuerySet[Post]:
        queryset = Post.objects.all()
        if self.user is not None:
            queryset = queryset.restrict(self.user, Capability.VIEW)
        if self.partner is not None:
            queryset = queryset.filter(Post.scope_q([self.partner.pk]))
        if self.service is not None:
            queryset = queryset.filter(service=self.service)
        if self.area is not None:
            queryset = queryset.filter(service__area=self.area)
        return queryset

    # A day

    def snapshot(self, day: dt.date) -> Snapshot:
        # The day's people, assignments, contracts and time splits are each read once (a few simple
        # scans) and every breakdown is summed in Python from those rows, rather than one grouped query
        # per breakdown re-joining the same tables. Sums are of Decimals, so exact on every database.
        employed, employer_of, assignments = self._day_rows(day)
        contract_types: dict[int, list[str]] = {}
        for employee_id, contract_type in (
            ContractPeriod.objects.filter(_active(day), employee__in=employed)
            .values_list("employee_id", "contract_type")
            .order_by()
        ):
            contract_types.setdefault(employee_id, []).append(contract_type)

        headcount = len(employer_of)
        fte = _fte(sum((row[3] for row in assignments), ZERO))
        by_employer: dict[str, dict[str, Any]] = {}
        for code in employer_of.values():
            by_employer.setdefault(code, {"headcount": 0, "fte": ZERO})["headcount"] += 1
        by_contract: dict[str, dict[str, Any]] = {}
        for types in contract_types.values():
            for contract_type in set(types):
                by_contract.setdefault(contract_type, {"headcount": 0, "fte": ZERO})["headcount"] += 1
        by_area: dict[str, dict[str, Any]] = {}
        by_service: dict[str, dict[str, Any]] = {}
        area_people: dict[str, set[int]] = {}
        service_people: dict[str, set[int]] = {}
        for employee_id, area, service, post_fte in assignments:
            by_employer.setdefault(employer_of[employee_id], {"headcount": 0, "fte": ZERO})["fte"] += post_fte
            # An assignment counts once for each contract period active on the day (as a join would).
            for contract_type in contract_types.get(employee_id, ()):
                by_contract.setdefault(contract_type, {"headcount": 0, "fte": ZERO})["fte"] += post_fte
            by_area.setdefault(area, {"headcount": 0, "fte": ZERO})["fte"] += post_fte
            area_people.setdefault(area, set()).add(employee_id)
            by_service.setdefault(service, {"headcount": 0, "fte": ZERO})["fte"] += post_fte
            service_people.setdefault(service, set()).add(employee_id)
        for groups, people in (
            (by_employer, None),
            (by_contract, None),
            (by_area, area_people),
            (by_service, service_people),
        ):
            for key, entry in groups.items():
                entry["fte"] = _fte(entry["fte"])
                if people is not None:
                    entry["headcount"] = len(people[key])
        known = sum(row["headcount"] for row in by_contract.values())
        if headcount > known:
            by_contract[UNKNOWN] = {"headcount": headcount - known, "fte": ZERO}

        posts = self.posts().filter(_active(day))
        filled = Assignment.objects.filter(_active(day), post=OuterRef("pk"))
        vacant = ~Q(Exists(filled))
        post_totals = posts.aggregate(
            n=Count("pk"),
            senior=Count("pk", filter=Q(is_senior_management=True)),
            vacant=Count("pk", filter=vacant),
            vacant_fte=Sum("fte", filter=vacant),
        )
        furloughed = (
            FurloughPeriod.objects.filter(_active(day), employee__in=employed).values("employee").distinct()
        )

        return Snapshot(
            day=day,
            headcount=headcount,
            fte=fte,
            by_employer=dict(sorted(by_employer.items())),
            by_partner_served=self._by_partner_served(day, employed, employer_of, assignments),
            by_contract_type=dict(sorted(by_contract.items())),
            by_area=dict(sorted(by_area.items())),
            by_service=dict(sorted(by_service.items())),
            vacancies=post_totals["vacant"] or 0,
            vacant_fte=_fte(post_totals["vacant_fte"]),
            posts=post_totals["n"] or 0,
            senior_management_posts=post_totals["senior"] or 0,
            agency=by_contract.get(ContractType.AGENCY, {}).get("headcount", 0),
            interim=by_contract.get(ContractType.INTERIM, {}).get("headcount", 0),
            furloughed=furloughed.count(),
        )

    def partner_served(self, day: dt.date) -> dict[str, dict[str, Decimal]]:
        """Only the snapshot's `by_partner_served`: what cost drivers need, without the other queries."""
        employed, employer_of, assignments = self._day_rows(day)
        return self._by_partner_served(day, employed, employer_of, assignments)

    def _day_rows(
        self, day: dt.date
    ) -> tuple[QuerySet[Employee], dict[int, str], list[tuple[int, str, str, Decimal]]]:
        """The day's people (with their employer's code) and assignments, each read once."""
        employed = self.employed_on(day)
        employer_of: dict[int, str] = dict(employed.values_list("pk", "employing_partner__code").order_by())
        assignments = list(
            self.assignments_on(day)
            .values_list("employee_id", "post__service__area__name", "post__service__name", "fte")
            .order_by()
        )
        return employed, employer_of, assignments

    def _by_partner_served(
        self,
        day: dt.date,
        employed: QuerySet[Employee],
        employer_of: dict[int, str],
        assignments: list[tuple[int, str, str, Decimal]],
    ) -> dict[str, dict[str, Decimal]]:
        """Headcount and FTE per partner served, weighted by each person's time split on the day."""
        served: dict[str, dict[str, Decimal]] = {}

        def add(code: str, headcount: Decimal, fte: Decimal) -> None:
            entry = served.setdefault(code, {"headcount": ZERO, "fte": ZERO})
            entry["headcount"] += headcount
            entry["fte"] += fte

        splits = time_splits_on(day, employed, "partner__code")
        for employee_id, code in employer_of.items():
            for served_code, percent in splits.percentages(employee_id, code):
                add(served_code, percent / 100, ZERO)
        for employee_id, _area, _service, post_fte in assignments:
            for served_code, percent in splits.percentages(employee_id, employer_of[employee_id]):
                add(served_code, ZERO, post_fte * percent / 100)
        return {
            code: {
                "headcount": ratio(v["headcount"], Decimal(1)) or ZERO,
                "fte": ratio(v["fte"], Decimal(1)) or ZERO,
            }
            for code, v in sorted(served.items())
        }

    # A period

    def fte_on(self, day: dt.date) -> Decimal:
        """FTE on the day, as the snapshot counts it (without the snapshot's other queries)."""
        return _fte(sum(self.assignments_on(day).values_list("fte", flat=True).order_by(), ZERO))

    def working_days_lost(self, start: dt.date, end: dt.date) -> Decimal:
        days = sickness_days_in_period(
            SicknessAbsence.objects.filter(employee__in=self._period_people(start, end)), start, end
        )
        return _dec(days).quantize(Decimal("0.1"))

    def days_lost_per_fte(self, start: dt.date, end: dt.date) -> Decimal | None:
        """Working days lost per FTE (LG Inform 3524), as `period()` gives it, in fewer queries."""
        average_fte = (self.fte_on(start) + self.fte_on(end)) / 2
        return ratio(self.working_days_lost(start, end), average_fte)

    def _period_people(self, start: dt.date, end: dt.date) -> QuerySet[Employee]:
        """People in view over [start, end], narrowed by service, area and contract type."""
        people = self._people(start, end)
        if self._narrowed_by_post:
            worked_in = Assignment.objects.filter(
                _overlapping(start, end), self._service_q(), employee=OuterRef("pk")
            )
            people = people.filter(Exists(worked_in))
        if self.contract_type:
            people = people.filter(
                Exists(
                    ContractPeriod.objects.filter(
                        _overlapping(start, end), employee=OuterRef("pk"), contract_type=self.contract_type
                    )
                )
            )
        return people

    def period(self, start: dt.date, end: dt.date) -> PeriodFigures:
        if end < start:
            raise ValueError("The end of the period must not be before its start.")
        people = self._period_people(start, end)
        leavers = people.filter(left_on__gte=start, left_on__lte=end)
        by_reason = {
            row["leaving_reason"] or "unknown": row["n"]
            for row in leavers.values("leaving_reason").annotate(n=Count("pk")).order_by("leaving_reason")
        }
        agency_cost, interim_cost = self._contract_costs(start, end, people)
        return PeriodFigures(
            start=start,
            end=end,
            at_start=self.snapshot(start),
            at_end=self.snapshot(end),
            starters=people.filter(started_on__gte=start, started_on__lte=end).count(),
            leavers=sum(by_reason.values()),
            leavers_by_reason=by_reason,
            working_days_lost=self.working_days_lost(start, end),
            agency_cost=agency_cost,
            interim_cost=interim_cost,
        )

    @staticmethod
    def _contract_costs(start: dt.date, end: dt.date, people: QuerySet[Employee]) -> tuple[Decimal, Decimal]:
        """Agency and interim cost in the period: each costed period pro rata by its days inside it.

        Only costed agency/interim periods are read (a small share of the workforce), so the pro-rating
        is done exactly in Decimal here rather than in each database's date arithmetic.
        """
        totals = {ContractType.AGENCY.value: ZERO, ContractType.INTERIM.value: ZERO}
        periods = ContractPeriod.objects.filter(
            _overlapping(start, end),
            contract_type__in=[c.value for c in COSTED_CONTRACT_TYPES],
            cost__isnull=False,
            employee__in=people,
        ).values_list("contract_type", "cost", "starts_on", "ends_on")
        for contract_type, cost, starts_on, ends_on in periods.iterator(chunk_size=5000):
            length = (ends_on - starts_on).days + 1
            inside = (min(ends_on, end) - max(starts_on, start)).days + 1
            totals[contract_type] += cost * inside / length
        return money(totals[ContractType.AGENCY.value]), money(totals[ContractType.INTERIM.value])

    # Over time

    def series(self, days: Iterable[dt.date]) -> list[SeriesPoint]:
        """Headcount, FTE, agency and interim on each day, in three aggregate queries whatever the length."""
        days = list(days)
        if not days:
            return []
        people = self._people(days[0], days[-1])

        def partner_on(day: dt.date, prefix: str) -> Q:
            """On the day, employed by the partner or working for it by time split (when filtered)."""
            if self.partner is None:
                return Q()
            served = TimeSplitShare.objects.filter(
                _active(day, "split__"), split__employee=OuterRef(f"{prefix}pk"), partner=self.partner
            )
            return Q(**{f"{prefix}employing_partner": self.partner}) | Q(Exists(served))

        if self.contract_type:
            # People on that contract type on the day: counted from their contract periods.
            contracts = ContractPeriod.objects.filter(employee__in=people, contract_type=self.contract_type)
            if self._narrowed_by_post:
                contracts = contracts.filter(
                    employee__assignments__in=Assignment.objects.filter(self._service_q())
                )
            headcounts = contracts.aggregate(
                **{
                    f"h{i}": Count(
                        "employee",
                        distinct=True,
                        filter=_active(day)
                        & Employee.employed_q(day, "employee__")
                        & partner_on(day, "employee__"),
                    )
                    for i, day in enumerate(days)
                }
            )
        elif self._narrowed_by_post:
            assignments = Assignment.objects.filter(self._service_q(), employee__in=people)
            headcounts = assignments.aggregate(
                **{
                    f"h{i}": Count(
                        "employee", distinct=True, filter=_active(day) & partner_on(day, "employee__")
                    )
                    for i, day in enumerate(days)
                }
            )
        else:
            headcounts = people.aggregate(
                **{
                    f"h{i}": Count("pk", filter=Employee.employed_q(day) & partner_on(day, ""))
                    for i, day in enumerate(days)
                }
            )
        assignments = Assignment.objects.filter(self._service_q(), employee__in=people)
        if self.contract_type:
            assignments = assignments.filter(employee__contract_periods__contract_type=self.contract_type)

        def fte_filter(day: dt.date) -> Q:
            q = _active(day) & partner_on(day, "employee__")
            if self.contract_type:
                q &= _active(day, "employee__contract_periods__")
            return q

        ftes = assignments.aggregate(
            **{f"f{i}": Sum("fte", filter=fte_filter(day)) for i, day in enumerate(days)}
        )
        costed = ContractPeriod.objects.filter(
            employee__in=people, contract_type__in=[c.value for c in COSTED_CONTRACT_TYPES]
        )
        if self._narrowed_by_post:
            costed = costed.filter(employee__assignments__in=Assignment.objects.filter(self._service_q()))
        temporary = costed.aggregate(
            **{
                f"{kind[0]}{i}": Count(
                    "employee",
                    distinct=True,
                    filter=_active(day) & Q(contract_type=kind) & partner_on(day, "employee__"),
                )
                for i, day in enumerate(days)
                for kind in (ContractType.AGENCY.value, ContractType.INTERIM.value)
            }
        )
        return [
            SeriesPoint(
                day=day,
                headcount=headcounts[f"h{i}"] or 0,
                fte=_fte(ftes[f"f{i}"]),
                agency=temporary[f"a{i}"] or 0,
                interim=temporary[f"i{i}"] or 0,
            )
            for i, day in enumerate(days)
        ]

    def monthly_series(self, start: dt.date, end: dt.date, step_months: int = 1) -> list[SeriesPoint]:
        return self.series(month_ends(start, end, step_months))

    def sickness_by_year(self, first_year: int, last_year: int) -> list[dict[str, Any]]:
        """Working days lost per FTE for each financial year (April to March)."""
        years = list(range(first_year, last_year + 1))
        people = self._people(dt.date(first_year, 4, 1), dt.date(last_year + 1, 3, 31))
        absences = SicknessAbsence.objects.filter(employee__in=people)
        lost = {
            f"y{year}": sickness_days_in_period(absences, dt.date(year, 4, 1), dt.date(year + 1, 3, 31))
            for year in years
        }
        edges = sorted({dt.date(y, 4, 1) for y in years} | {dt.date(y + 1, 3, 31) for y in years})
        fte_on = {point.day: point.fte for point in self.series(edges)}
        rows = []
        for year in years:
            average = (fte_on[dt.date(year, 4, 1)] + fte_on[dt.date(year + 1, 3, 31)]) / 2
            days = lost[f"y{year}"].quantize(Decimal("0.1"))
            rows.append(
                {
                    "year": financial_year_label(year),
                    "start_year": year,
                    "working_days_lost": days,
                    "average_fte": average,
                    "days_per_fte": ratio(days, average),
                }
            )
        return rows
