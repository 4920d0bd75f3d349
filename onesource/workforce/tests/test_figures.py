"""Workforce figures against hand-computed answers on the small workforce in conftest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from onesource.workforce import actions
from onesource.workforce.figures import WorkforceFigures, month_ends

D = dt.date


def test_snapshot_on_go_live(workforce):
    snap = WorkforceFigures().snapshot(D(2014, 4, 1))
    # Ann 1.0 + Bob 0.5 + Cat 1.0; Dan starts in October.
    assert snap.headcount == 3
    assert snap.fte == Decimal("2.50")
    assert snap.by_employer == {
        "HAV": {"headcount": 1, "fte": Decimal("0.50")},
        "NEW": {"headcount": 2, "fte": Decimal("2.00")},
    }
    assert snap.by_contract_type["permanent"]["headcount"] == 2
    assert snap.by_contract_type["agency"] == {"headcount": 1, "fte": Decimal("1.00")}
    assert snap.agency == 1 and snap.interim == 0
    # Posts D and S exist but nobody fills them yet.
    assert snap.posts == 5 and snap.vacancies == 2 and snap.vacant_fte == Decimal("2.00")
    assert snap.senior_management_posts == 1
    assert snap.by_service["Schools Finance"] == {"headcount": 1, "fte": Decimal("1.00")}
    assert snap.by_service["Internal Audit"] == {"headcount": 2, "fte": Decimal("1.50")}


def test_a_person_split_60_40_counts_by_share_for_partners_served(workforce):
    snap = WorkforceFigures().snapshot(D(2015, 6, 1))
    # Ann (NEW, split 60 HAV / 40 NEW) and Dan (HAV, no split: all HAV). Bob and Cat have left.
    assert snap.headcount == 2
    assert snap.by_employer == {
        "HAV": {"headcount": 1, "fte": Decimal("1.00")},
        "NEW": {"headcount": 1, "fte": Decimal("1.00")},
    }
    assert snap.by_partner_served == {
        "HAV": {"headcount": Decimal("1.60"), "fte": Decimal("1.60")},
        "NEW": {"headcount": Decimal("0.40"), "fte": Decimal("0.40")},
    }
    # Cost drivers ask for just this part, which must agree with the whole snapshot.
    assert WorkforceFigures().partner_served(D(2015, 6, 1)) == snap.by_partner_served


def test_period_turnover_sickness_per_fte_and_agency_cost(workforce):
    u = workforce["system"]
    actions.record_sickness(
        workforce["ann"],
        starts_on=D(2014, 5, 1),
        ends_on=D(2014, 5, 7),
        working_days_lost=Decimal("5"),
        reason="minor_illness",
        acting_user=u,
    )
    actions.record_sickness(
        workforce["dan"],
        starts_on=D(2015, 1, 5),
        ends_on=D(2015, 1, 6),
        working_days_lost=Decimal("2"),
        reason="injury",
        acting_user=u,
    )
    # Outside the year: not counted.
    actions.record_sickness(
        workforce["dan"],
        starts_on=D(2015, 4, 2),
        ends_on=D(2015, 4, 2),
        working_days_lost=Decimal("1"),
        reason="injury",
        acting_user=u,
    )
    year = WorkforceFigures().period(D(2014, 4, 1), D(2015, 3, 31))
    # FTE at start 2.5 (Ann, Bob, Cat); at end 3.0 (Ann, Cat on her last day, Dan); average 2.75.
    assert year.at_start.fte == Decimal("2.50") and year.at_end.fte == Decimal("3.00")
    assert year.working_days_lost == Decimal("7.0")
    assert year.days_lost_per_fte == Decimal("2.55")  # 7 / 2.75 = 2.545...
    # Leavers: Bob (2014-12-31) and Cat (2015-03-31); headcount 3 at start and 3 at end.
    assert year.leavers == 2
    assert year.leavers_by_reason == {"end_of_contract": 1, "resignation": 1}
    assert year.turnover_percent == Decimal("66.7")
    assert year.starters == 3 + 1
    assert year.agency_cost == Decimal("36500.00")
    # A quarter of Cat's agency period: 1 April to 30 June 2014 is 91 of 365 days of £36,500.
    quarter = WorkforceFigures().period(D(2014, 4, 1), D(2014, 6, 30))
    assert quarter.agency_cost == Decimal("9100.00")


def test_filters_by_partner_service_and_contract_type(workforce):
    day = D(2014, 6, 1)
    assert WorkforceFigures(partner=workforce["HAV"]).snapshot(day).headcount == 1
    assert WorkforceFigures(service=workforce["own"]).snapshot(day).headcount == 1
    agency = WorkforceFigures(contract_type="agency").snapshot(day)
    assert agency.headcount == 1 and agency.fte == Decimal("1.00")
    # From April 2015 Ann works 60% for HAV, so she is in HAV's figures although NEW employs her.
    assert WorkforceFigures(partner=workforce["HAV"]).snapshot(D(2015, 6, 1)).headcount == 2


def test_monthly_series_matches_snapshots(workforce):
    figures = WorkforceFigures()
    points = figures.monthly_series(D(2014, 4, 1), D(2015, 6, 30))
    assert [p.day for p in points[:3]] == [D(2014, 4, 30), D(2014, 5, 31), D(2014, 6, 30)]
    assert points[-1].day == D(2015, 6, 30)
    for point in points:
        snap = figures.snapshot(point.day)
        assert (point.headcount, point.fte, point.agency) == (snap.headcount, snap.fte, snap.agency)
    by_day = {p.day: p for p in points}
    assert by_day[D(2014, 12, 31)].headcount == 4
    assert by_day[D(2015, 1, 31)].headcount == 3
    assert by_day[D(2015, 4, 30)].headcount == 2
    service_points = WorkforceFigures(service=workforce["shared"]).monthly_series(
        D(2014, 4, 1), D(2014, 10, 31)
    )
    assert [p.headcount for p in service_points] == [2, 2, 2, 2, 2, 2, 3]


def test_sickness_by_year(workforce):
    u = workforce["system"]
    actions.record_sickness(
        workforce["dan"],
        starts_on=D(2015, 5, 1),
        ends_on=D(2015, 5, 4),
        working_days_lost=Decimal("2"),
        reason="injury",
        acting_user=u,
    )
    rows = WorkforceFigures().sickness_by_year(2015, 2015)
    # FTE 2015-04-01: Ann 1 + Dan 1 = 2; 2016-03-31 the same; 2 days / 2 FTE.
    assert rows[0]["days_per_fte"] == Decimal("1.00")


def test_month_ends_with_steps():
    assert month_ends(D(2014, 4, 1), D(2014, 12, 31), 3) == [
        D(2014, 4, 30),
        D(2014, 7, 31),
        D(2014, 10, 31),
        D(2014, 12, 31),
    ]
    assert month_ends(D(2014, 4, 1), D(2014, 4, 15)) == [D(2014, 4, 15)]


def test_partner_series_follows_time_splits_by_date(workforce):
    figures = WorkforceFigures(partner=workforce["HAV"])
    points = figures.monthly_series(D(2014, 4, 1), D(2015, 6, 30), step_months=3)
    for point in points:
        snap = figures.snapshot(point.day)
        assert (point.headcount, point.fte) == (snap.headcount, snap.fte)
    # June 2015: Dan (HAV) and Ann (NEW, 60% HAV).
    assert points[-1].headcount == 2


def test_an_absence_crossing_the_period_boundary_counts_only_its_working_days_inside(workforce):
    u = workforce["system"]
    # Mon 30 Mar to Fri 3 Apr 2015: 4 working days (Fri 3 April is Good Friday), 5 days lost recorded;
    # 2 working days (Mon, Tue) in 2014/15 and 2 (Wed, Thu) in 2015/16: 2.5 days each.
    actions.record_sickness(
        workforce["ann"],
        starts_on=D(2015, 3, 30),
        ends_on=D(2015, 4, 3),
        working_days_lost=Decimal("5"),
        reason="minor_illness",
        acting_user=u,
    )
    # Thu 26 Mar to Thu 2 Apr 2015: 6 weekdays (26, 27, 30, 31 Mar; 1, 2 Apr), 4 days lost recorded.
    # 2014/15 gets 4 * 4/6 = 2.667; 2015/16 gets 4 * 2/6 = 1.333.
    actions.record_sickness(
        workforce["dan"],
        starts_on=D(2015, 3, 26),
        ends_on=D(2015, 4, 2),
        working_days_lost=Decimal("4"),
        reason="injury",
        acting_user=u,
    )
    # Continuing (no last day), started on Good Friday 25 Mar 2016 with 3 days lost so far: taken as
    # the 3 working days beginning then, past Easter Monday: Tue 29 to Thu 31 March, all in 2015/16.
    actions.record_sickness(
        workforce["dan"],
        starts_on=D(2016, 3, 25),
        working_days_lost=Decimal("3"),
        reason="injury",
        acting_user=u,
    )
    figures = WorkforceFigures()
    before = figures.period(D(2014, 4, 1), D(2015, 3, 31))
    after = figures.period(D(2015, 4, 1), D(2016, 3, 31))
    assert before.working_days_lost == Decimal("5.2")  # 2.5 + 2.667
    assert after.working_days_lost == Decimal("6.8")  # 2.5 + 1.333 + 3
    # Nothing is lost or counted twice across the boundary: 5.167 + 6.833 = the 12 days recorded.
    assert before.working_days_lost + after.working_days_lost == Decimal("12.0")
    # FTE 2015-04-01 and 2016-03-31: Ann 1 + Dan 1 = 2; the period's 6.8 days / 2 = 3.40 per FTE.
    assert after.days_lost_per_fte == Decimal("3.40")
    rows = figures.sickness_by_year(2015, 2015)
    assert rows[0]["working_days_lost"] == Decimal("6.8")
    # April 2015 only: Wed 1 and Thu 2 April.
    week = figures.period(D(2015, 4, 1), D(2015, 4, 30))
    assert week.working_days_lost == Decimal("3.8")  # 2.5 (Ann) + 1.333 (Dan); the 2016 absence is outside


def test_a_closure_day_of_the_employer_is_not_a_working_day_in_the_pro_rata(workforce):
    from onesource.core.actions import add_closure_day

    u = workforce["system"]
    # Mon 22 Dec 2014 to Fri 9 Jan 2015: 12 working days (Christmas, Boxing Day, New Year's Day
    # are bank holidays); 10 days lost; 2014 has 22, 23, 24, 29, 30, 31 Dec = 6 of them: 10 * 6/12.
    actions.record_sickness(
        workforce["dan"],
        starts_on=D(2014, 12, 22),
        ends_on=D(2015, 1, 9),
        working_days_lost=Decimal("10"),
        reason="injury",
        acting_user=u,
    )
    figures = WorkforceFigures()
    assert figures.period(D(2014, 12, 1), D(2014, 12, 31)).working_days_lost == Decimal("5.0")
    # Dan's employer closes on 29, 30 and 31 December: 9 working days, 3 of them in 2014.
    for day in (29, 30, 31):
        add_closure_day(
            workforce["dan"].employing_partner,
            date=D(2014, 12, day),
            reason="Christmas closure",
            acting_user=u,
        )
    assert figures.period(D(2014, 12, 1), D(2014, 12, 31)).working_days_lost == Decimal("3.3")  # 10 * 3/9


def test_a_continuing_absence_runs_for_its_working_days_so_far():
    from onesource.workforce.figures import absence_last_day

    # Fri 25 Mar 2016 is Good Friday and Mon 28 Easter Monday: 3 days lost end on Thu 31 March.
    assert absence_last_day(D(2016, 3, 25), None, Decimal("3")) == D(2016, 3, 31)
    assert absence_last_day(D(2016, 3, 24), None, Decimal("0.5")) == D(2016, 3, 24)
    assert absence_last_day(D(2016, 3, 24), D(2016, 4, 1), Decimal("5")) == D(2016, 4, 1)
