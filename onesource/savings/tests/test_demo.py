"""The demo's savings and strategy carry the seeds' figures, and are the same every time."""

import random
from decimal import Decimal

import pytest

from onesource.core import shares
from onesource.core.demo import DemoContext, build_partnership
from onesource.core.models import User
from onesource.savings.demo import build_savings
from onesource.savings.models import BusinessCase, SavingsLine
from onesource.savings.summary import lines_for, summarise
from onesource.strategy.demo import build_strategy
from onesource.strategy.models import Project, ServicePriority, Strategy

D = Decimal


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setattr(shares, "_SHARE_PROVIDERS", [])
    admin = User.objects.create_superuser("admin", "admin@example.org", "x-long-password-1")
    ctx = DemoContext(scale=1, rng=random.Random(20140401), system_user=admin, log=lambda _: None)
    build_partnership(ctx)
    build_savings(ctx)
    build_strategy(ctx)
    return ctx


def test_the_business_case_and_its_seed_figures(demo):
    case = BusinessCase.objects.get()
    assert case.target == D("40000000") and case.years == 5 and case.first_year == 2014
    assert sum(t.target for t in case.year_targets.all()) == D("40000000")
    summary = summarise(case, lines_for(case, SavingsLine.objects.all()))
    by_year = {row["year"]: row for row in summary.year_rows}
    assert by_year[2014]["delivered"] == D("4100000")
    assert by_year[2018]["delivered_to_date"] == D("13000000")
    identified_later = sum(by_year[y]["planned"] for y in range(2015, 2019))
    assert identified_later == D("22900000")
    senior = SavingsLine.objects.get(lever="senior_management")
    assert sum(a.delivered for a in senior.amounts.all()) == D("2115000")
    assert sum(a.planned for a in SavingsLine.objects.get(reference="hr-02").amounts.all()) == D("330000")
    assert sum(a.planned for a in SavingsLine.objects.get(reference="od-01").amounts.all()) == D("100000")
    agency = {label: t for label, t in summary.by_lever}["Agency and interim reduction"]
    assert agency.delivered == D("1000000")
    # £13m by 2018/19 is attributed across Newham, Havering and Bexley.
    to_2018 = summarise(case, lines_for(case, SavingsLine.objects.all()), last_year=2018)
    partners = {p.code if p else None: t.delivered for p, t, _ in to_2018.by_partner}
    assert set(partners) == {"NEW", "HAV", "BEX"} and sum(partners.values()) == D("13000000")


def test_the_strategy_has_five_priorities_and_36_service_priorities_across_eight_services(demo):
    strategy = Strategy.objects.get()
    assert strategy.name == "oneSource Strategy 2020-23" and strategy.priorities.count() == 5
    assert ServicePriority.objects.count() == 36
    assert ServicePriority.objects.values("service").distinct().count() == 8
    enablers = set(Project.objects.filter(is_critical_enabler=True).values_list("name", flat=True))
    assert enablers == {
        "Budgetary and savings plan",
        "HR and OD restructure",
        "Service Development Unit recruitment",
        "Oracle Fusion optimisation",
    }
    assert Project.objects.get(code="asset-decommissioning").savings_lines.get().reference == "asset-02"


def test_no_demo_line_delivers_more_than_it_planned_in_a_year(demo):
    from onesource.savings.models import SavingsAmount

    over = [
        (a.line.reference, a.year)
        for a in SavingsAmount.objects.select_related("line")
        if a.delivered > a.planned
    ]
    assert over == []
    assert SavingsAmount.objects.count() > 60
