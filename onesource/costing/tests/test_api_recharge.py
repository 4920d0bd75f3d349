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


def test_runs_are_built_by_shared_service_finance_and_signed_off_by_each_member(
    finance, costing, make_user, token_client_for, django_capture_on_commit_callbacks
):
    # A council's finance officer (`finance`, Newham) cannot build a partnership-wide run.
    assert post(finance, "/api/costing/runs", {"year": 2017}).status_code == 403
    lead = token_client_for(make_user(Role.SHARED_SERVICE_FINANCE))
    with django_capture_on_commit_callbacks(execute=True):
        response = post(lead, "/api/costing/runs", {"year": 2017})
    assert response.status_code == 202
    job = lead.get(response.json()["url"]).json()
    assert job["status"] == "succeeded", job
    run = RechargeRun.objects.get()
    body = lead.get(f"/api/costing/runs/{run.pk}").json()
    assert body["check"] == {"went_in": "102000.00", "charged": "102000.00"}
    assert {s["partner"]: s["decision"] for s in body["sign_offs"]} == {
        "BEX": "waiting",
        "HAV": "waiting",
        "NEW": "waiting",
    }
    # Newham's officer may not sign Havering's statement: Havering is not among its partners.
    assert post(finance, f"/api/costing/runs/{run.pk}/sign-offs/HAV").status_code == 404
    response = post(finance, f"/api/costing/runs/{run.pk}/sign-offs/NEW", {"comment": "Agreed"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == RunStatus.DRAFT
    assert post(finance, f"/api/costing/runs/{run.pk}/sign-offs/NEW").status_code == 422
    response = post(lead, f"/api/costing/runs/{run.pk}/approve")
    assert response.status_code == 422
    assert "waiting for Bexley, Havering" in response.json()["errors"]["__all__"][0]
    for code in ("HAV", "BEX"):
        officer = token_client_for(make_user(Role.FINANCE_OFFICER, code))
        response = post(officer, f"/api/costing/runs/{run.pk}/sign-offs/{code}", {"comment": ""})
        assert response.status_code == 200, response.content
    assert response.json()["status"] == RunStatus.APPROVED
    assert post(lead, f"/api/costing/runs/{run.pk}/approve").status_code == 422
    assert post(lead, "/api/costing/runs", {"year": 1900}).status_code == 422


def test_a_rejection_through_the_api_needs_a_reason_and_blocks_the_run(costing, make_user, token_client_for):
    run = actions.create_recharge_run(year=2017, acting_user=make_user(Role.SHARED_SERVICE_FINANCE))
    havering = token_client_for(make_user(Role.FINANCE_OFFICER, "HAV"))
    assert (
        post(havering, f"/api/costing/runs/{run.pk}/sign-offs/HAV/reject", {"reason": ""}).status_code == 422
    )
    response = post(havering, f"/api/costing/runs/{run.pk}/sign-offs/HAV/reject", {"reason": "Days wrong"})
    assert response.status_code == 200
    newham = token_client_for(make_user(Role.FINANCE_OFFICER, "NEW"))
    response = post(newham, f"/api/costing/runs/{run.pk}/sign-offs/NEW")
    assert response.status_code == 422
    assert "A member council rejected this run" in response.json()["errors"]["__all__"][0]
    # Newham sees its own sign-off, not Havering's decision or reason.
    decisions = {s["partner"]: s for s in newham.get(f"/api/costing/runs/{run.pk}").json()["sign_offs"]}
    assert set(decisions) == {"NEW"} and "Days wrong" not in json.dumps(decisions)


def test_a_partner_user_gets_its_own_share_and_no_partnership_total(costing, make_user, token_client_for):
    run = actions.create_recharge_run(year=2017, acting_user=costing["system"])
    havering = token_client_for(make_user(Role.PARTNER_OFFICER, "HAV"))
    body = havering.get(f"/api/costing/runs/{run.pk}").json()
    assert body["check"] is None
    assert body["your_share"] == "37800.00"
    listed = havering.get("/api/costing/runs").json()["items"]
    assert [item["your_share"] for item in listed] == ["37800.00"]
    text = json.dumps(listed)
    assert "102000.00" not in text and "13500.00" not in text  # neither the total nor Bexley's share


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
    # A partner officer cannot approve, sign off or write.
    assert post(bexley, f"/api/costing/runs/{run.pk}/approve").status_code == 403
    assert post(bexley, f"/api/costing/runs/{run.pk}/sign-offs/BEX").status_code == 403
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
