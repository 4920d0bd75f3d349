import json

import pytest

from onesource.core.models import Partner, ServiceCoverage
from onesource.core.roles import Role


@pytest.fixture
def manager_client(partnership, make_user, client_for):
    return client_for(make_user(Role.SHARED_SERVICE_MANAGER))


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_partners_list_is_filtered_and_paginated(manager_client):
    body = manager_client.get("/api/partners?kind=member&page=1&page_size=2").json()
    assert body["count"] == 3
    assert [p["code"] for p in body["items"]] == ["BEX", "HAV"]
    assert manager_client.get("/api/partners?q=E09000025").json()["items"][0]["code"] == "NEW"


def test_partner_detail_includes_membership_history(manager_client):
    body = manager_client.get("/api/partners/BEX").json()
    assert body["memberships"][0]["joined_on"] == "2016-04-01"
    assert body["memberships"][0]["left_on"] == "2020-07-31"


def test_create_partner_then_invalid_input_gets_422_with_field_messages(manager_client):
    response = post(
        manager_client,
        "/api/partners",
        {"code": "NOR", "name": "Norfolk", "gss_code": "E10000020", "kind": "customer"},
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "customer"
    response = post(manager_client, "/api/partners", {"code": "bad", "name": "Bad", "gss_code": "nope"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"code", "gss_code"}
    assert not Partner.objects.filter(name="Bad").exists()


def test_missing_required_fields_are_422_naming_the_field(manager_client):
    response = post(manager_client, "/api/partners", {"code": "ABC"})
    assert response.status_code == 422
    assert {"name", "gss_code"} <= set(response.json()["errors"])


def test_update_partner(manager_client):
    response = patch(manager_client, "/api/partners/HAV", {"name": "London Borough of Havering"})
    assert response.status_code == 200
    assert Partner.objects.get(code="HAV").name == "London Borough of Havering"


def test_services_filter_by_area_and_create(manager_client):
    assert manager_client.get("/api/services?area=finance").json()["count"] == 2
    response = post(
        manager_client,
        "/api/services",
        {"area": "finance", "code": "insurance", "name": "Insurance", "lead_partner": "NEW"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["lead_partner"] == "NEW"
    response = post(manager_client, "/api/services", {"area": "nope", "code": "x", "name": "X"})
    assert response.status_code == 422
    assert "area" in response.json()["errors"]


def test_coverage_create_overlap_and_active_filter(manager_client):
    assert manager_client.get("/api/coverage?active_on=2021-01-01&service=audit").json()["count"] == 2
    assert manager_client.get("/api/coverage?active_on=2018-01-01&service=audit").json()["count"] == 3
    response = post(
        manager_client, "/api/coverage", {"service": "schools", "partner": "HAV", "starts_on": "2020-04-01"}
    )
    assert response.status_code == 201
    response = post(
        manager_client, "/api/coverage", {"service": "schools", "partner": "HAV", "starts_on": "2021-04-01"}
    )
    assert response.status_code == 422
    assert "overlaps" in response.json()["errors"]["starts_on"][0]
    assert ServiceCoverage.objects.filter(service__code="schools", partner__code="HAV").count() == 1
    coverage_id = ServiceCoverage.objects.get(service__code="schools", partner__code="HAV").pk
    response = patch(manager_client, f"/api/coverage/{coverage_id}", {"ends_on": "2019-01-01"})
    assert response.status_code == 422
    assert "ends_on" in response.json()["errors"]


def test_token_authentication(partnership, make_user, token_client_for, client_for):
    officer = make_user(Role.PARTNER_OFFICER, "HAV")
    client = token_client_for(officer)
    assert [p["code"] for p in client.get("/api/partners").json()["items"]] == ["HAV"]
    from django.test import Client

    assert Client(HTTP_AUTHORIZATION="Bearer not-a-token").get("/api/partners").status_code == 401


def test_openapi_and_docs_are_published(manager_client):
    schema = manager_client.get("/api/openapi.json").json()
    assert "/api/partners" in schema["paths"]
    assert "/api/coverage" in schema["paths"]
    assert manager_client.get("/api/docs").status_code == 200


def test_token_cli_prints_a_working_token(partnership, make_user):
    from io import StringIO

    from django.core.management import call_command
    from django.test import Client

    officer = make_user(Role.PARTNER_OFFICER, "NEW", username="new-officer")
    out = StringIO()
    call_command("token", "create", "new-officer", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("os_")
    assert officer.api_tokens.count() == 1
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/partners/NEW")
    assert response.status_code == 200


def test_partner_leaves_through_the_api(manager_client):
    response = post(manager_client, "/api/partners/HAV/leave", {"left_on": "2024-03-31"})
    assert response.status_code == 200
    assert response.json()["memberships"][0]["left_on"] == "2024-03-31"
    assert ServiceCoverage.objects.get(partner__code="HAV").end_reason == "partner_left"
    response = post(manager_client, "/api/partners/HAV/leave", {"left_on": "2025-03-31"})
    assert response.status_code == 422
