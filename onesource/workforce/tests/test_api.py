"""Workforce API: anonymous refused, other partner 404, 201 and 422, figures, health logging."""

from __future__ import annotations

import json

import pytest

from onesource.core.models import Event
from onesource.core.roles import Role
from onesource.workforce.health import HEALTH_READ_EVENT
from onesource.workforce.models import Employee

BASE = "/api/workforce"


def post_json(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_anonymous_is_refused(workforce, client):
    assert client.get(f"{BASE}/employees").status_code == 401


def test_partner_officer_sees_own_and_served_people_only(workforce, make_user, client_for):
    # BEX employs nobody here and nobody works for it.
    bex = client_for(make_user(Role.PARTNER_OFFICER, "BEX"))
    assert bex.get(f"{BASE}/employees").json()["count"] == 0
    assert bex.get(f"{BASE}/employees/E1").status_code == 404
    hav = client_for(make_user(Role.PARTNER_OFFICER, "HAV"))
    numbers = {e["staff_number"] for e in hav.get(f"{BASE}/employees").json()["items"]}
    # Bob and Dan are HAV's; Ann is NEW's but works 60% for HAV; Cat is NEW's only.
    assert numbers == {"E1", "E2", "E4"}
    assert hav.get(f"{BASE}/employees/E3").status_code == 404
    detail = hav.get(f"{BASE}/employees/E1").json()
    assert detail["employing_partner"] == "NEW"
    assert detail["time_splits"][0]["shares"][0] == {"partner": "HAV", "percent": "60.00"}


def test_search_by_name_and_staff_number(workforce, make_user, client_for):
    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    assert [e["staff_number"] for e in client.get(f"{BASE}/employees?q=dan").json()["items"]] == ["E4"]
    assert [e["staff_number"] for e in client.get(f"{BASE}/employees?q=e3").json()["items"]] == ["E3"]


def test_hr_officer_creates_an_employee_201_and_bad_input_is_422(workforce, make_user, client_for):
    client = client_for(make_user(Role.HR_OFFICER, "HAV"))
    good = {
        "staff_number": "h100",
        "first_name": "Eve",
        "last_name": "New",
        "employing_partner": "HAV",
        "started_on": "2020-01-06",
    }
    response = post_json(client, f"{BASE}/employees", good)
    assert response.status_code == 201, response.content
    assert Employee.objects.get(staff_number="H100").employing_partner.code == "HAV"
    # Another partner's employee cannot be created by HAV's HR officer.
    other = {**good, "staff_number": "N100", "employing_partner": "NEW"}
    assert post_json(client, f"{BASE}/employees", other).status_code in (403, 422)
    assert not Employee.objects.filter(staff_number="N100").exists()
    # A time split not adding up to 100 is refused with a field message, nothing saved.
    bad = post_json(
        client,
        f"{BASE}/employees/H100/time-splits",
        {"starts_on": "2020-01-06", "shares": {"HAV": 60, "NEW": 30}},
    )
    assert bad.status_code == 422
    assert "100%" in bad.json()["errors"]["shares"][0]
    assert not Employee.objects.get(staff_number="H100").time_splits.exists()
    ok = post_json(
        client,
        f"{BASE}/employees/H100/time-splits",
        {"starts_on": "2020-01-06", "shares": {"HAV": 60, "NEW": 40}},
    )
    assert ok.status_code == 201


def test_post_create_and_overlapping_assignment(workforce, make_user, client_for):
    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    post = {
        "reference": "P-NEW",
        "title": "Auditor",
        "service": "audit",
        "grade": "PO2",
        "fte": "1.00",
        "budgeted_annual_cost": "52000.00",
        "starts_on": "2016-04-01",
    }
    assert post_json(client, f"{BASE}/posts", post).status_code == 201
    missing = post_json(client, f"{BASE}/posts", {**post, "reference": "P-X", "fte": "1.50"})
    assert missing.status_code == 422 and "fte" in missing.json()["errors"]
    first = post_json(
        client, f"{BASE}/employees/E4/assignments", {"post": "P-NEW", "fte": "0.5", "starts_on": "2016-04-01"}
    )
    assert first.status_code == 201
    again = post_json(
        client, f"{BASE}/employees/E4/assignments", {"post": "P-NEW", "fte": "0.5", "starts_on": "2017-04-01"}
    )
    assert again.status_code == 422
    assert "overlaps" in again.json()["errors"]["starts_on"][0]


def test_figures_endpoints(workforce, make_user, client_for):
    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    data = client.get(f"{BASE}/figures/headcount?date=2014-04-01").json()
    assert data["headcount"] == 3 and data["by_partner"] == {"HAV": 1, "NEW": 2}
    assert data["by_contract_type"] == {"agency": 1, "permanent": 2}
    period = client.get(f"{BASE}/figures/period?from=2014-04-01&to=2015-03-31").json()
    assert period["leavers"] == 2 and period["agency_cost"] == "36500.00"
    series = client.get(f"{BASE}/figures/series?from=2014-04-01&to=2014-12-31&step=3").json()
    assert [p["headcount"] for p in series] == [3, 3, 4, 4]
    assert client.get(f"{BASE}/figures/period?from=2015-01-01&to=2014-01-01").status_code == 422
    # A partner officer's figures cover only the people they may see.
    bex = client_for(make_user(Role.PARTNER_OFFICER, "BEX"))
    assert bex.get(f"{BASE}/figures/headcount?date=2014-04-01").json()["headcount"] == 0


@pytest.mark.parametrize(
    ("role", "partner", "allowed"),
    [
        (Role.HR_OFFICER, "NEW", True),  # NEW employs Ann
        (Role.HR_OFFICER, "HAV", False),  # Ann works 60% for HAV, but HAV does not employ her
        (Role.PARTNER_OFFICER, "NEW", False),
        (Role.SHARED_SERVICE_MANAGER, None, False),
        (Role.PLATFORM_ADMIN, None, True),
    ],
)
def test_health_data_only_for_the_employers_hr_and_every_read_logged(
    workforce, make_user, client_for, role, partner, allowed
):
    import datetime as dt
    from decimal import Decimal

    from onesource.workforce import actions

    actions.record_sickness(
        workforce["ann"],
        starts_on=dt.date(2016, 1, 4),
        ends_on=dt.date(2016, 1, 5),
        working_days_lost=Decimal("2"),
        reason="minor_illness",
        acting_user=workforce["system"],
    )
    user = make_user(role, partner)
    response = client_for(user).get(f"{BASE}/employees/E1/health")
    logged = Event.objects.filter(name=HEALTH_READ_EVENT, actor=user, object_pk=str(workforce["ann"].pk))
    if allowed:
        assert response.status_code == 200
        assert response.json()["sickness_absences"][0]["working_days_lost"] == "2.0"
        assert logged.count() == 1
    else:
        assert response.status_code in (403, 404)
        assert logged.count() == 0


def test_secondment_and_furlough(workforce, make_user, client_for):
    client = client_for(make_user(Role.HR_OFFICER, "HAV"))
    url = f"{BASE}/employees/E4"
    ok = post_json(
        client,
        f"{url}/secondments",
        {"to_partner": "NEW", "starts_on": "2017-01-01", "ends_on": "2017-06-30"},
    )
    assert ok.status_code == 201 and ok.json()["from_partner"] == "HAV"
    same = post_json(client, f"{url}/secondments", {"to_partner": "HAV", "starts_on": "2018-01-01"})
    assert same.status_code == 422 and "to_partner" in same.json()["errors"]
    furlough = post_json(client, f"{url}/furlough", {"starts_on": "2020-04-01", "ends_on": "2020-06-30"})
    assert furlough.status_code == 201
    clash = post_json(client, f"{url}/furlough", {"starts_on": "2020-06-01", "ends_on": "2020-07-31"})
    assert clash.status_code == 422 and "overlaps" in clash.json()["errors"]["starts_on"][0]
    detail = client.get(url).json()
    assert len(detail["secondments"]) == 1 and len(detail["furlough_periods"]) == 1
