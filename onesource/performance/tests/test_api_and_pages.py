"""The API (201/422/401/403/404) and pages of the performance app, scoped by partner and audited."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from onesource.core.roles import Role
from onesource.performance import actions
from onesource.performance.models import Achievement, Kpi, KpiResult

pytestmark = pytest.mark.django_db

KPI = {
    "code": "calls",
    "name": "Calls answered within 60 seconds",
    "unit": "%",
    "direction": "higher",
    "target": "85",
    "amber_tolerance": "5",
    "service": "audit",
}


def test_anonymous_is_refused(client, kpi):
    assert client.get("/api/performance/kpis").status_code == 401
    assert client.get("/performance/kpis/").status_code == 302


def test_create_kpi_201_then_422_for_bad_input(partnership, make_user, client_for):
    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    created = client.post("/api/performance/kpis", KPI, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["service"] == "audit"
    kpi = Kpi.objects.get(code="calls")
    assert LogEntry.objects.get_for_object(kpi).count() == 1
    duplicate = client.post("/api/performance/kpis", KPI, content_type="application/json")
    assert duplicate.status_code == 422
    assert "code" in duplicate.json()["errors"]
    negative = client.post(
        "/api/performance/kpis",
        {**KPI, "code": "x", "name": "X", "amber_tolerance": "-1"},
        content_type="application/json",
    )
    assert negative.status_code == 422 and "amber_tolerance" in negative.json()["errors"]
    assert Kpi.objects.count() == 1


def test_a_committee_member_may_read_but_not_change(kpi, partnership, make_user, client_for):
    client = client_for(make_user(Role.COMMITTEE_MEMBER, "HAV"))
    assert client.get(f"/api/performance/kpis/{kpi.pk}").status_code == 200
    assert client.post("/api/performance/kpis", KPI, content_type="application/json").status_code == 403
    assert client.get("/performance/kpis/new/").status_code == 403


def test_results_are_scoped_to_the_partner(results, kpi, make_user, client_for):
    client = client_for(make_user(Role.COMMITTEE_MEMBER, "HAV"))
    values = {r["value"] for r in client.get(f"/api/performance/kpis/{kpi.pk}/results").json()["items"]}
    # Its own only: never Newham's 55.55, nor the whole service's 66.66 beside it (Newham's follows).
    assert values == {"77.77"}
    page = client.get(f"/performance/kpis/{kpi.pk}/").content.decode()
    assert "77.77" in page and "55.55" not in page and "66.66" not in page
    manager = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    every = {r["value"] for r in manager.get(f"/api/performance/kpis/{kpi.pk}/results").json()["items"]}
    assert every == {"77.77", "55.55", "66.66"}


def test_a_whole_service_result_is_seen_where_the_partner_has_none_of_its_own(
    kpi, partnership, make_user, client_for
):
    actions.record_result(
        kpi, period=dt.date(2021, 7, 1), value=Decimal("88.88"), acting_user=partnership["system"]
    )
    client = client_for(make_user(Role.COMMITTEE_MEMBER, "HAV"))
    values = {r["value"] for r in client.get(f"/api/performance/kpis/{kpi.pk}/results").json()["items"]}
    assert values == {"88.88"}


def test_record_a_result_through_the_api(kpi, partnership, make_user, client_for):
    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    response = client.post(
        "/api/performance/results",
        {"kpi": kpi.code, "partner": "HAV", "period": "2021-07-19", "value": "89.5"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json() | {"id": 0} == {
        "id": 0,
        "kpi": kpi.code,
        "partner": "HAV",
        "period_start": "2021-07-01",
        "period": "Jul 2021",
        "value": "89.50",
        "rag": "amber",
        "note": "",
    }
    bad = client.post(
        "/api/performance/results",
        {"kpi": "nope", "period": "2021-07-19", "value": "1"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "kpi" in bad.json()["errors"]


def test_import_through_the_api(kpi, partnership, make_user, client_for):
    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    text = "kpi,partner,period,value\ninvoices-30-days,HAV,2021-04,91\ninvoices-30-days,XX,2021-04,91\n"
    bad = client.post("/api/performance/results/import", {"csv": text}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["errors"]["file"] == ["Row 3: unknown partner 'XX'."]
    assert KpiResult.objects.count() == 0
    good = client.post(
        "/api/performance/results/import",
        {"csv": text.splitlines()[0] + "\n" + text.splitlines()[1]},
        content_type="application/json",
    )
    assert good.status_code == 200 and good.json()["created"] == 1


def test_scorecard_other_partner_is_404(results, make_user, client_for):
    client = client_for(make_user(Role.COMMITTEE_MEMBER, "HAV"))
    assert client.get("/performance/scorecards/NEW/").status_code == 404
    assert client.get("/api/performance/scorecards/NEW?start=2021-04-01&end=2021-08-31").status_code == 404
    own = client.get("/api/performance/scorecards/HAV?start=2021-04-01&end=2021-08-31").json()
    assert [(r["kpi"], r["value"], r["rag"], r["whole_service"]) for r in own] == [
        ("invoices-30-days", "77.77", "red", False)
    ]
    page = client.get("/performance/scorecards/HAV/?month=2021-08")
    assert page.status_code == 200 and "77.77" in page.content.decode()
    # The period is one unbreakable value, not "Aug" on one line and "2021" on the next.
    assert 'class="govuk-table__cell app-nowrap">Jun 2021</td>' in page.content.decode()


def test_scorecard_falls_back_to_the_whole_service(results, partnership, make_user, client_for):
    KpiResult.objects.filter(partner=partnership["HAV"]).delete()
    client = client_for(make_user(Role.COMMITTEE_MEMBER, "HAV"))
    own = client.get("/api/performance/scorecards/HAV?start=2021-04-01&end=2021-08-31").json()
    assert [(r["value"], r["whole_service"]) for r in own] == [("66.66", True)]


def test_achievements_api_rules_and_scoping(partnership, make_user, client_for):
    manager = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    award = {"kind": "award", "title": "LGC Awards 2021", "achieved_on": "2021-03-01", "outcome": "won"}
    assert (
        manager.post("/api/performance/achievements", award, content_type="application/json").status_code
        == 201
    )
    no_outcome = manager.post(
        "/api/performance/achievements", {**award, "outcome": ""}, content_type="application/json"
    )
    assert no_outcome.status_code == 422 and "outcome" in no_outcome.json()["errors"]
    newham_only = actions.create_achievement(
        kind="new_business",
        title="Newham-only contract",
        achieved_on=dt.date(2021, 1, 1),
        value=Decimal("1000"),
        partner=partnership["NEW"],
        acting_user=partnership["system"],
    )
    member = client_for(make_user(Role.COMMITTEE_MEMBER, "HAV"))
    titles = [a["title"] for a in member.get("/api/performance/achievements").json()["items"]]
    assert titles == ["LGC Awards 2021"]
    assert member.get(f"/api/performance/achievements/{newham_only.pk}").status_code == 404
    assert member.get(f"/performance/achievements/{newham_only.pk}/").status_code == 404
    change = manager.patch(
        f"/api/performance/achievements/{newham_only.pk}", {"value": "2500"}, content_type="application/json"
    )
    assert change.status_code == 200 and change.json()["value"] == "2500.00"
    assert Achievement.objects.get(pk=newham_only.pk).value == Decimal("2500")


def test_pages_render_for_a_manager(results, kpi, partnership, make_user, client_for):
    achievement = actions.create_achievement(
        kind="accreditation",
        title="Lexcel retained",
        organisation="The Law Society",
        achieved_on=dt.date(2021, 3, 10),
        acting_user=partnership["system"],
    )
    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    for path in [
        "/performance/kpis/",
        "/performance/kpis/?format=csv",
        f"/performance/kpis/{kpi.pk}/",
        "/performance/kpis/new/",
        f"/performance/kpis/{kpi.pk}/edit/",
        f"/performance/kpis/{kpi.pk}/results/new/",
        "/performance/kpis/import/",
        "/performance/scorecards/",
        "/performance/scorecards/HAV/",
        "/performance/achievements/",
        f"/performance/achievements/{achievement.pk}/",
        "/performance/achievements/new/",
        f"/performance/achievements/{achievement.pk}/edit/",
    ]:
        assert client.get(path).status_code == 200, path


def test_record_a_result_on_the_page_and_see_its_history(kpi, partnership, make_user, client_for):
    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    response = client.post(
        f"/performance/kpis/{kpi.pk}/results/new/",
        {"period": "2021-05-03", "partner": partnership["HAV"].pk, "value": "95", "note": ""},
    )
    assert response.status_code == 302
    result = KpiResult.objects.get(kpi=kpi, partner=partnership["HAV"])
    assert (result.period_start, result.value, result.rag) == (dt.date(2021, 5, 1), Decimal("95.00"), "green")
    bad = client.post(f"/performance/kpis/{kpi.pk}/edit/", {**KPI, "service": "", "amber_tolerance": "-2"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()


def test_list_pages_and_the_report_do_not_query_per_row(kpi, partnership, make_user, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    urls = [
        "/performance/kpis/",
        "/performance/achievements/",
        f"/performance/kpis/{kpi.pk}/",
        "/performance/scorecards/HAV/?month=2021-06",
        "/reports/committee/HAV/?from=2020-04-01&to=2021-08-31",
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            found.append(len(captured))
        return found

    def add_rows(offset: int) -> None:
        u = partnership["system"]
        for i in range(offset, offset + 8):
            extra = actions.create_kpi(
                code=f"k{i}", name=f"KPI {i}", unit="%", target=Decimal("90"), service=partnership["shared"],
                acting_user=u,
            )  # fmt: skip
            for partner in (partnership["HAV"], partnership["NEW"], None):
                actions.record_result(extra, period=dt.date(2021, 6, 1), value=Decimal("80"), partner=partner,
                                      acting_user=u)  # fmt: skip
            actions.create_achievement(
                kind="award", title=f"Award {i}", outcome="won", achieved_on=dt.date(2021, 1, 1),
                service=partnership["shared"], partner=partnership["HAV"], acting_user=u,
            )  # fmt: skip

    add_rows(0)
    before = counts()
    add_rows(100)
    assert counts() == before


def test_a_kpi_of_a_service_the_partner_does_not_receive_is_left_out(
    results, partnership, make_user, client_for
):
    u = partnership["system"]
    schools = actions.create_kpi(
        code="schools-budgets", name="Schools budgets set on time", unit="%", target=Decimal("100"),
        service=partnership["own"], acting_user=u,
    )  # fmt: skip
    actions.record_result(schools, period=dt.date(2021, 6, 1), value=Decimal("100"), acting_user=u)
    manager = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    query = "?start=2021-04-01&end=2021-08-31"
    havering = [r["kpi"] for r in manager.get(f"/api/performance/scorecards/HAV{query}").json()]
    newham = [r["kpi"] for r in manager.get(f"/api/performance/scorecards/NEW{query}").json()]
    assert havering == ["invoices-30-days"]  # Newham's schools service is not Havering's
    assert newham == ["invoices-30-days", "schools-budgets"]
