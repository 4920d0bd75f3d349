"""Every role against every partnership page and endpoint: anonymous refused, other partner 404, own seen."""

import json

import pytest

from onesource.core.models import ServiceCoverage
from onesource.core.roles import Role

PARTNER_ROLES = [Role.PARTNER_OFFICER, Role.FINANCE_OFFICER, Role.HR_OFFICER, Role.COMMITTEE_MEMBER]


def _urls(partnership):
    own_cov = ServiceCoverage.objects.get(partner__code="HAV", service__code="audit").pk
    other_cov = ServiceCoverage.objects.get(partner__code="NEW", service__code="schools").pk
    own_pages = [
        "/",
        "/partners/",
        "/partners/HAV/",
        "/services/",
        "/services/audit/",
        "/coverage/",
        f"/coverage/{own_cov}/",
        "/financial-years/",
        "/partners/?format=csv",
    ]
    other_pages = ["/partners/NEW/", "/services/schools/", f"/coverage/{other_cov}/", "/partners/BEX/"]
    manage_pages = ["/partners/new/", "/services/new/", "/coverage/new/", "/partners/HAV/edit/"]
    own_api = ["/api/partners", "/api/partners/HAV", "/api/services/audit", f"/api/coverage/{own_cov}"]
    other_api = ["/api/partners/NEW", "/api/services/schools", f"/api/coverage/{other_cov}"]
    return own_pages, other_pages, manage_pages, own_api, other_api


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in_and_refused_by_the_api(partnership, client_for):
    own_pages, other_pages, manage_pages, own_api, other_api = _urls(partnership)
    client = client_for(None)
    for url in own_pages + other_pages + manage_pages + ["/jobs/", "/audit/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/"), url
    for url in own_api + other_api + ["/api/jobs"]:
        assert client.get(url).status_code == 401, url
    response = client.post("/api/partners", json.dumps({}), content_type="application/json")
    assert response.status_code == 401


@pytest.mark.parametrize("role", PARTNER_ROLES)
def test_partner_roles_see_their_own_partner_and_get_404_for_another(
    role, partnership, make_user, client_for
):
    own_pages, other_pages, manage_pages, own_api, other_api = _urls(partnership)
    client = client_for(make_user(role, "HAV"))
    for url in own_pages + own_api:
        assert client.get(url).status_code == 200, url
    for url in other_pages + other_api:
        assert client.get(url).status_code == 404, url
    for url in manage_pages:
        assert client.get(url).status_code == 403, url
    assert client.get("/partners/NEW/edit/").status_code in {403, 404}
    assert client.get("/audit/").status_code == 403
    listed = [p["code"] for p in client.get("/api/partners").json()["items"]]
    assert listed == ["HAV"]


@pytest.mark.parametrize("role", PARTNER_ROLES)
def test_partner_roles_cannot_change_the_partnership_through_the_api(
    role, partnership, make_user, client_for
):
    client = client_for(make_user(role, "HAV"))
    body = {"code": "XYZ", "name": "X", "gss_code": "E09000099"}
    assert client.post("/api/partners", json.dumps(body), content_type="application/json").status_code == 403
    patch = json.dumps({"name": "Changed"})
    assert client.patch("/api/partners/HAV", patch, content_type="application/json").status_code == 403
    assert client.patch("/api/partners/NEW", patch, content_type="application/json").status_code == 404


@pytest.mark.parametrize("role", [Role.SHARED_SERVICE_MANAGER, Role.PLATFORM_ADMIN])
def test_all_partner_roles_see_and_manage_everything(role, partnership, make_user, client_for):
    own_pages, other_pages, manage_pages, own_api, other_api = _urls(partnership)
    client = client_for(make_user(role))
    for url in own_pages + other_pages + manage_pages + own_api + other_api + ["/jobs/", "/audit/"]:
        assert client.get(url).status_code == 200, url


def test_committee_member_cannot_run_jobs(partnership, make_user, client_for):
    client = client_for(make_user(Role.COMMITTEE_MEMBER, "HAV"))
    assert client.get("/jobs/").status_code == 403
    assert client.get("/jobs/coverage-report/").status_code == 403
    body = json.dumps({"kind": "core.coverage_report", "params": {"first_year": 2014, "last_year": 2015}})
    assert client.post("/api/jobs", body, content_type="application/json").status_code == 422
