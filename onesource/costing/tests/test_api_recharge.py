"""The recharging API: 201 and 422 on writes, scoping (401, own partner, other partner 404), runs as jobs."""

from __future__ import annotations

import json

import pytest

from onesource.core.roles import Role
from onesource.costing import actions
from onesource.costing.models import Agreement, BudgetLine, RechargeRun, RunStatus


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def finance(costing, make_user, token_client_for):
    return token_client_for(make_user(Role.FINANCE_OFFICER, "NEW"))


def test_create_a_budget_line_then_bad_input_is_422(finance):
    response = post(finance, "/api/costing/budgets", {"service": "audit", "year": 2018, "amount": "500.25"})
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "500.25"
    assert response.json()["owner_partner"] is None
    response = post(
        finance, "/api/costing/budgets", {"service": "nope", "year": 2018, "amount": "1.00", "month": 13}
    )
    assert response.status_code == 422
    assert "service" in response.json()["errors"]
    response = post(
        finance, "/api/costing/budgets", {"service": "audit", "year": 2018, "amount": "1.00", "month": 13}
    )
    assert response.status_code == 422
    assert "month" in response.json()["errors"]
    # Schools is Newham's own service: a shared line on it is refused, with the reason.
    response = post(finance, "/api/costing/actuals", {"service": "schools", "year": 2018, "amount": "1.00"})
    assert response.status_code == 422
    assert "non-shared" in response.json()["errors"]["owner_partner"][0]
    assert BudgetLine.objects.filter(year=2018).count() == 1


def test_agreement_percentages_are_checked(finance):
    shares = {"NEW": "50", "HAV": "40"}
    body = {"service": "audit", "year": 2019, "basis": "formula", "shares": shares}
    response = post(finance, "/api/costing/agreements", body)
    assert response.status_code == 422
    assert "add up to 90" in response.json()["errors"]["shares"][0]
    shares["HAV"] = "50"
    response = post(finance, "/api/costing/agreements", body)
    assert response.status_code == 201
    assert {s["partner"]: s["percent"] for s in response.json()["shares"]} == {
        "NEW": "50.0000",
        "HAV": "50.0000",
    }
    assert Agreement.objects.filter(year=2019).count() == 1


def test_runs_start_as_jobs_and_are_approved(finance, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(finance, "/api/costing/runs", {"year": 2017})
    assert response.status_code == 202
    job = finance.get(response.json()["url"]).json()
    assert job["status"] == "succeeded", job
    run = RechargeRun.objects.get()
    body = finance.get(f"/api/costing/runs/{run.pk}").json()
    assert body["check"] == {"went_in": "102000.00", "charged": "102000.00"}
    response = post(finance, f"/api/costing/runs/{run.pk}/approve")
    assert response.status_code == 200
    assert response.json()["status"] == RunStatus.APPROVED
    response = post(finance, f"/api/costing/runs/{run.pk}/approve")
    assert response.status_code == 422
    assert post(finance, "/api/costing/runs", {"year": 1900}).status_code == 422


def test_statements_are_scoped_to_the_partner(costing, make_user, token_client_for):
    run = actions.create_recharge_run(year=2017, acting_user=costing["system"])
    bexley = token_client_for(make_user(Role.PARTNER_OFFICER, "BEX"))
    response = bexley.get(f"/api/costing/runs/{run.pk}/statements/BEX")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == "13500.00"
    assert body["lines"][0]["sources"]["budget"].endswith(
        "/costing/budgets/?service=audit&year=2017&sharing=shared"
    )
    assert bexley.get(f"/api/costing/runs/{run.pk}/statements/NEW").status_code == 404
    # Bexley sees the shared audit lines but not Newham's own schools lines.
    lines = bexley.get("/api/costing/actuals").json()["items"]
    assert {line["service"] for line in lines} == {"audit"}
    own = BudgetLine.objects.get(service__code="schools")
    assert bexley.get(f"/api/costing/budgets/{own.pk}").status_code == 404
    # A partner officer cannot approve or write.
    assert post(bexley, f"/api/costing/runs/{run.pk}/approve").status_code == 403
    assert (
        post(bexley, "/api/costing/budgets", {"service": "audit", "year": 2018, "amount": "1"}).status_code
        == 403
    )


def test_anonymous_gets_401(costing, client_for):
    assert client_for(None).get("/api/costing/runs").status_code == 401


def test_an_external_customer_does_not_see_the_partnerships_budgets(costing, make_user, token_client_for):
    from onesource.core import actions as core_actions

    u = costing["system"]
    customer = core_actions.create_partner(
        code="NOR", name="Norfolk", gss_code="E10000020", kind="customer", acting_user=u
    )
    core_actions.create_coverage(
        service=costing["shared"],
        partner=customer,
        starts_on=costing["NEW"].memberships.get().joined_on,
        acting_user=u,
    )
    norfolk = token_client_for(make_user(Role.PARTNER_OFFICER, "NOR"))
    assert norfolk.get("/api/costing/budgets").json()["count"] == 0
    assert norfolk.get("/api/costing/agreements").json()["count"] == 0
    havering = token_client_for(make_user(Role.PARTNER_OFFICER, "HAV"))
    assert havering.get("/api/costing/budgets").json()["count"] == 1
