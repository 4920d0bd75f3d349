"""On the demo: the committee report's background, workforce and finance figures are the workforce
dashboard's and the statement's for the same partner and period, and the sickness KPI is the workforce's
days lost per FTE (issue 9: one definition per figure)."""

import datetime as dt
from decimal import Decimal

import pytest

from onesource.core.demo import build_demo
from onesource.core.figures import figure_value
from onesource.core.models import Partner
from onesource.core.reporting import REPORT_SECTIONS
from onesource.core.roles import Role
from onesource.costing.figures import approved_runs_by_year
from onesource.costing.statements import build_statement
from onesource.performance.models import Kpi, KpiResult
from onesource.reports.committee import build_committee_report

pytestmark = pytest.mark.django_db
START, END = dt.date(2020, 4, 1), dt.date(2021, 8, 31)


@pytest.fixture
def demo(make_user):
    build_demo(log=lambda _: None)
    return {"HAV": Partner.objects.get(code="HAV"), "user": make_user(Role.FINANCE_OFFICER, "HAV")}


def test_report_dashboard_statement_and_kpi_agree_on_every_figure(demo, client_for):
    hav, user = demo["HAV"], demo["user"]
    client = client_for(user)

    dashboard = client.get(f"/workforce/?partner=HAV&date={END}&start={START}&end={END}")
    assert dashboard.status_code == 200
    period = dashboard.context["period"]
    background = REPORT_SECTIONS["background"].build(hav, START, END, user)
    workforce = REPORT_SECTIONS["workforce"].build(hav, START, END, user)
    assert background is not None and workforce is not None
    staff = {row["figure"].key: row["value"] for row in background.context["staff"]}

    # Headcount: the dashboard's, the report's background and workforce sections', the named figure's.
    headcount = figure_value("headcount", hav, START, END, user)
    assert headcount == period.at_end.headcount == workforce.context["period"].at_end.headcount
    assert staff["headcount"] == headcount
    assert 0 < headcount < 2000  # the whole workforce, not a driver summed once per service
    # FTE and FTE served.
    assert (
        figure_value("fte", hav, START, END, user)
        == period.at_end.fte
        == workforce.context["period"].at_end.fte
    )
    fte_served = figure_value("fte_served", hav, START, END, user)
    assert staff["fte_served"] == fte_served == workforce.context["served_fte_end"]
    assert fte_served == dashboard.context["snapshot"].by_partner_served["HAV"]["fte"]
    # Working days lost per FTE.
    days_lost = figure_value("days_lost_per_fte", hav, START, END, user)
    assert days_lost is not None
    assert days_lost == period.days_lost_per_fte == workforce.context["period"].days_lost_per_fte

    # Budget share: each year in the report's finance section is the statement's total for that run.
    finance = REPORT_SECTIONS["finance"].build(hav, START, END, user)
    assert finance is not None
    runs = approved_runs_by_year(2020, 2021)
    assert [row["run"] for row in finance.context["rows"]] == [runs[2020], runs[2021]]
    for row in finance.context["rows"]:
        run = row["run"]
        statement_page = client.get(f"/costing/runs/{run.pk}/statements/HAV/")
        assert statement_page.status_code == 200
        on_statement = statement_page.context["statement"].totals["budget_share"]
        assert on_statement == build_statement(run, hav).totals["budget_share"]
        assert Decimal(row["budget"]).quantize(Decimal("0.01")) == on_statement
        year_start, year_end = dt.date(run.year, 4, 1), dt.date(run.year + 1, 3, 31)
        assert figure_value("budget_share", hav, year_start, year_end, user) == on_statement

    # The sickness KPI is computed from the workforce: its March 2021 result (the rolling year to
    # 31 March 2021) is the dashboard's figure for 2020/21.
    kpi = Kpi.objects.get(code="sickness-days-fte")
    assert kpi.source == "days_lost_per_fte"
    result = KpiResult.objects.get(kpi=kpi, partner=hav, period_start=dt.date(2021, 3, 1))
    year = client.get("/workforce/?partner=HAV&date=2021-03-31&start=2020-04-01&end=2021-03-31")
    assert result.value == year.context["period"].days_lost_per_fte.quantize(Decimal("0.01"))

    # The rendered report shows the same numbers, each with its definition beside it.
    html = "".join(s.html for s in build_committee_report(hav, START, END, user).sections)
    assert f"<strong>{headcount:,}</strong>" in html or f"<strong>{headcount}</strong>" in html
    assert f"£{on_statement:,.2f}" in html  # to the penny, as on the statement
    assert "How these figures are worked out" in html and "How “Budget share” is worked out" in html
