"""No server error for any input: regression tests for what fuzzing the API found (issue 10)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import IntegrityError

from onesource.core.api_base import integrity_messages
from onesource.core.models import ServiceCoverage
from onesource.core.roles import Role


@pytest.fixture
def admin(partnership, make_user, client_for):
    return client_for(make_user(Role.PLATFORM_ADMIN))


def send(client, method: str, url: str, body) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_huge_page_number_is_a_422_not_an_overflow(admin):
    response = admin.get("/api/jobs?page=99999999999999999999")
    assert response.status_code == 422
    assert "page" in response.json()["errors"]
    assert admin.get("/api/partners?page_size=100000").status_code == 422


def test_a_page_past_the_end_is_an_empty_page(admin):
    body = admin.get("/api/partners?page=50").json()
    assert body["items"] == []
    assert body["count"] == 3


def test_headcount_series_over_centuries_is_refused_with_a_message(admin):
    response = admin.get("/api/workforce/figures/series?from=2023-03-27&to=2732-08-04")
    assert response.status_code == 422
    assert response.json()["errors"]["to"] == ["Input should be less than or equal to 2199-12-31"]
    response = admin.get("/api/workforce/figures/series?from=1923-03-27&to=2150-08-04")
    assert response.status_code == 422
    assert "at most 240 points" in response.json()["errors"]["to"][0]


def test_year_zero_and_dates_out_of_range_are_422(admin):
    assert admin.get("/api/strategy/strategies/none/road-map?year=0").status_code == 422
    assert admin.get("/api/workforce/figures/headcount?date=0001-01-01").status_code == 422


def test_null_for_an_optional_text_field_clears_it(admin, partnership):
    coverage = ServiceCoverage.objects.filter(partner__code="HAV").earliest("pk")
    response = send(admin, "patch", f"/api/coverage/{coverage.pk}", {"note": None, "end_reason": None})
    assert response.status_code == 200, response.content
    assert response.json()["note"] == ""
    coverage.refresh_from_db()
    assert coverage.note == ""


def test_null_for_a_required_text_field_in_a_patch_is_422_and_changes_nothing(admin, partnership):
    response = send(admin, "patch", "/api/partners/HAV", {"name": None})
    assert response.status_code == 422
    assert "name" in response.json()["errors"]
    partnership["HAV"].refresh_from_db()
    assert partnership["HAV"].name == "Havering"


def test_empty_kpi_code_is_422(admin):
    body = {"kpi": "", "period": "2024-04-01", "value": 1}
    response = send(admin, "post", "/api/performance/results", body)
    assert response.status_code == 422
    assert "kpi" in response.json()["errors"]


def test_multipart_without_a_boundary_is_400(admin):
    response = admin.post("/api/workforce/imports", b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert "multipart" in response.json()["detail"]


def test_body_larger_than_the_server_accepts_is_413(admin, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = send(admin, "post", "/api/performance/results/import", {"csv": "x" * 5000, "dry_run": True})
    assert response.status_code == 413
    assert response.json()["detail"]


def test_unparseable_json_is_400(admin):
    response = admin.post("/api/partners", b"\xf2U", content_type="application/json")
    assert response.status_code == 400


def test_ids_too_large_for_the_database_are_404_or_422(admin):
    response = send(admin, "patch", "/api/costing/budgets/99999999999999999999", {"description": "x"})
    assert response.status_code in {404, 422}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("NOT NULL constraint failed: workforce_post.responsibilities", {"responsibilities"}),
        ('null value in column "owner" of relation "performance_kpi" violates not-null', {"owner"}),
        ("UNIQUE constraint failed: core_partner.code", {"code"}),
        ('duplicate key value violates unique constraint "x"\nDETAIL:  Key (code)=(NEW) exists.', {"code"}),
        ("FOREIGN KEY constraint failed", {"__all__"}),
    ],
)
def test_integrity_errors_name_the_field_on_both_databases(message, expected):
    assert set(integrity_messages(IntegrityError(message))) == expected


def test_every_operation_documents_its_error_responses(admin):
    openapi = admin.get("/api/openapi.json").json()
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert {"401", "403"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= set(responses), (method, path)
