"""The demo's performance data carries the seeds' figures, and is the same every time."""

import datetime as dt
import random

import pytest

from onesource.core.demo import DemoContext, build_partnership
from onesource.core.models import User
from onesource.performance.demo import build_performance
from onesource.performance.models import Achievement, Kpi, KpiResult
from onesource.performance.report import achievements_section, kpis_section


def build(db_user: User) -> DemoContext:
    ctx = DemoContext(scale=1, rng=random.Random(20140401), system_user=db_user, log=lambda _: None)
    build_partnership(ctx)
    ctx.extra["rng_before_performance"] = ctx.rng.getstate()
    build_performance(ctx)
    return ctx


@pytest.fixture
def demo(db):
    return build(User.objects.create_superuser("admin", "admin@example.org", "x-long-password-1"))


def test_fifty_awards_shortlisted_fourteen_won_and_lexcel(demo):
    awards = Achievement.objects.filter(kind="award")
    assert awards.count() == 50
    assert awards.filter(outcome="won").count() == 14
    lexcel = Achievement.objects.filter(kind="accreditation", title__icontains="Lexcel")
    assert [a.achieved_on.year for a in lexcel.order_by("achieved_on")] == [2019, 2021]
    customers = set(Achievement.objects.filter(kind="new_business").values_list("organisation", flat=True))
    assert {"Norfolk County Council", "Thurrock Council"} <= customers


def test_four_years_of_monthly_results_per_founder(demo):
    # KPIs computed from a workforce figure have no results here: this test builds no workforce.
    assert set(Kpi.objects.exclude(source="").values_list("code", flat=True)) == {"sickness-days-fte"}
    for kpi in Kpi.objects.filter(source=""):
        for code in ("NEW", "HAV"):
            months = KpiResult.objects.filter(kpi=kpi, partner__code=code).values_list(
                "period_start", flat=True
            )
            assert len(months) == 48
            assert min(months) == dt.date(2018, 4, 1) and max(months) == dt.date(2022, 3, 1)
    # Bexley is measured only while it was a member, on the finance service it received.
    bexley = KpiResult.objects.filter(partner__code="BEX")
    assert bexley.exists() and max(bexley.values_list("period_start", flat=True)) == dt.date(2020, 7, 1)


def test_the_demo_is_the_same_every_time(demo):
    first = list(
        KpiResult.objects.order_by("kpi__code", "partner__code", "period_start").values_list(
            "kpi__code", "partner__code", "period_start", "value"
        )
    )
    KpiResult.objects.all().delete()
    Achievement.objects.all().delete()
    Kpi.objects.all().delete()
    again = DemoContext(scale=1, rng=random.Random(), system_user=demo.system_user, log=lambda _: None)
    again.rng.setstate(demo.extra["rng_before_performance"])
    again.partners, again.services = demo.partners, demo.services
    build_performance(again)
    second = list(
        KpiResult.objects.order_by("kpi__code", "partner__code", "period_start").values_list(
            "kpi__code", "partner__code", "period_start", "value"
        )
    )
    assert first == second


def test_havering_report_sections_read_like_the_seed(demo):
    from django.template.loader import render_to_string

    member = User.objects.get(username="hav-member")
    partner = demo.partners["HAV"]
    start, end = dt.date(2020, 4, 1), dt.date(2021, 8, 31)
    achievements = achievements_section(partner, start, end, member)
    assert achievements is not None
    html = render_to_string(achievements.template, {**achievements.context, "partner": partner})
    assert "shortlisted for <strong>50</strong> industry awards, winning <strong>14</strong>" in html
    assert "Lexcel accreditation retained" in html
    assert "New business for Havering Passenger Transport Service" in html
    kpis = kpis_section(partner, start, end, member)
    assert kpis is not None and len(kpis.context["rows"]) == 9  # the computed sickness KPI: no workforce here
    assert all(not row.whole_service for row in kpis.context["rows"])  # Havering has its own results
