"""One definition per figure: on the demo, the committee report's background, workforce and finance
figures are the workforce dashboard's and the recharge statement's for the same partner and period,
and the sickness KPI is the workforce figure, not a second source (docs/figures.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from onesource.core.demo import build_demo
from onesource.core.figures import figure_value
from onesource.core.models import Partner, User
from onesource.core.reporting import REPORT_SECTIONS
from onesource.costing.models import RechargeRun, RunStatus
from onesource.costing.statements import build_statement
from onesource.performance.models import Kpi, KpiResult
from onesource.reports.committee import build_committee_report

START, END = dt.date(2020, 4, 1), dt.date(2021, 8, 31)


def section_context(key: str, partner: Partner, user: User) -> dict:
    content = REPORT_SECTIONS[key].build(partner, START, END, user)
    assert content is not None, key
    return content.context


@pytest.mark.django_db
def test_the_committee_report_dashboard_statement_and_kpi_agree_on_the_demo(client):
    build_demo(log=lambda _: None)
    havering = Partner.objects.get(code="HAV")
    for username in ("manager", "hav-officer"):
        user = User.objects.get(username=username)
        client.force_login(user)
        report = build_committee_report(havering, START, END, user)
        html = {s.key: str(s.html) for s in report.sections}

        # Workforce dashboard for Havering over the same period, on its last day.
        dashboard = client.get(
            "/workforce/",
            {"partner": "HAV", "date": END.isoformat(), "start": START.isoformat(), "end": END.isoformat()},
        ).context
        snapshot, period = dashboard["snapshot"], dashboard["period"]

        # Background: headcount and FTE served, once for the partner (not a driver summed per service).
        background = section_context("background", havering, user)
        staff = {row["figure"].key: row["value"] for row in background["staff"]}
        assert staff["headcount"] == snapshot.headcount == period.at_end.headcount
        assert staff["fte_served"] == snapshot.by_partner_served["HAV"]["fte"]
        assert f"<strong>{snapshot.headcount}</strong> people" in html["background"]
        assert (
            "FTE served" in html["background"] and "people employed by or working for" in html["background"]
        )

        # Workforce section: the same period figures as the dashboard.
        workforce = section_context("workforce", havering, user)["period"]
        assert (workforce.at_start.headcount, workforce.at_end.headcount) == (
            period.at_start.headcount,
            period.at_end.headcount,
        )
        assert (workforce.at_start.fte, workforce.at_end.fte) == (period.at_start.fte, period.at_end.fte)
        assert workforce.days_lost_per_fte == period.days_lost_per_fte
        assert workforce.days_lost_per_fte == figure_value("days_lost_per_fte", havering, START, END, user)
        assert f"Working days lost to sickness per FTE: {period.days_lost_per_fte}" in html["workforce"]

    # Finance: each year's budget share in the report is the approved run's statement total.
    manager = User.objects.get(username="manager")
    rows = section_context("finance", havering, manager)["rows"]
    assert rows
    for row in rows:
        run = row["run"]
        assert run.status == RunStatus.APPROVED
        statement = build_statement(RechargeRun.objects.get(pk=run.pk), havering)
        assert row["budget"] == statement.totals["budget_share"]
        assert row["own_budget"] == statement.totals["nonshared_budget"]
    assert sum(r["budget"] for r in rows) == figure_value("budget_share", havering, START, END)
    finance_html = render_to_string(
        "costing/_report_finance.html",
        {**section_context("finance", havering, manager), "partner": havering},
    )
    assert "How “Budget share” is worked out" in finance_html
    for row in rows:  # to the penny, as the statement shows it
        assert f"£{row['budget']:,.2f}" in finance_html

    # The sickness KPI is computed from the workforce figure over the rolling year, not typed in.
    kpi = Kpi.objects.get(code="sickness-days-fte")
    assert kpi.source == "days_lost_per_fte"
    august = KpiResult.objects.get(kpi=kpi, partner=havering, period_start=dt.date(2021, 8, 1))
    rolling_year = figure_value("days_lost_per_fte", havering, dt.date(2020, 9, 1), dt.date(2021, 8, 31))
    assert rolling_year is not None and august.value == rolling_year.quantize(Decimal("0.01"))
    client.force_login(manager)
    rolling = client.get(
        "/workforce/", {"partner": "HAV", "start": "2020-09-01", "end": "2021-08-31"}
    ).context["period"]
    assert august.value == rolling.days_lost_per_fte
