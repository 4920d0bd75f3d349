"""Page forms for secondments, furlough periods and risk assessments, and the API for risk assessments.

Risk assessments are special category health data: only those with VIEW_HEALTH for the employing
partner (its HR officers, the platform admin) may add them, and reading them is always logged."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from auditlog.models import LogEntry

from onesource.core.models import Event
from onesource.core.roles import Role
from onesource.workforce.health import HEALTH_READ_EVENT
from onesource.workforce.models import FurloughPeriod, RiskAssessment, Secondment

D = dt.date


def test_a_secondment_is_added_from_the_persons_page(workforce, make_user, client_for):
    client = client_for(make_user(Role.HR_OFFICER, "HAV"))
    page = client.get("/workforce/employees/E4/").content.decode()
    assert "/workforce/employees/E4/secondments/new/" in page
    same = client.post(
        "/workforce/employees/E4/secondments/new/",
        {"to_partner": workforce["HAV"].pk, "starts_on": "2017-01-01"},
    )
    assert same.status_code == 200
    assert "A secondment is to a different partner" in same.content.decode()
    assert "govuk-error-summary" in same.content.decode()
    assert not Secondment.objects.exists()
    response = client.post(
        "/workforce/employees/E4/secondments/new/",
        {
            "to_partner": workforce["NEW"].pk,
            "starts_on": "2017-01-01",
            "ends_on": "2017-06-30",
            "note": "Audit",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/workforce/employees/E4/"
    secondment = Secondment.objects.get()
    assert (secondment.from_partner.code, secondment.to_partner.code) == ("HAV", "NEW")
    assert (secondment.starts_on, secondment.ends_on) == (D(2017, 1, 1), D(2017, 6, 30))
    assert LogEntry.objects.get_for_object(secondment).filter(action=LogEntry.Action.CREATE).exists()
    assert "From Havering" in client.get("/workforce/employees/E4/").content.decode()


def test_a_furlough_period_is_added_and_overlaps_are_refused(workforce, make_user, client_for):
    client = client_for(make_user(Role.HR_OFFICER, "HAV"))
    url = "/workforce/employees/E4/furlough/new/"
    response = client.post(url, {"starts_on": "2020-04-01", "ends_on": "2020-06-30"})
    assert response.status_code == 302
    clash = client.post(url, {"starts_on": "2020-06-01", "ends_on": "2020-07-31"})
    assert clash.status_code == 200 and "govuk-error-summary" in clash.content.decode()
    backwards = client.post(url, {"starts_on": "2020-09-01", "ends_on": "2020-08-01"})
    assert backwards.status_code == 200
    period = FurloughPeriod.objects.get()
    assert (period.starts_on, period.ends_on) == (D(2020, 4, 1), D(2020, 6, 30))
    assert LogEntry.objects.get_for_object(period).exists()


@pytest.mark.parametrize(
    ("role", "partner", "status"),
    [
        (Role.PARTNER_OFFICER, "HAV", 403),  # Ann works for HAV, but that gives no right to change her record
        (Role.HR_OFFICER, "HAV", 403),  # HAV does not employ Ann
        (Role.HR_OFFICER, "BEX", 404),  # Ann is nothing to do with Bexley
    ],
)
def test_only_the_employers_hr_adds_history(workforce, make_user, client_for, role, partner, status):
    client = client_for(make_user(role, partner))
    for path in ("secondments", "furlough", "risk-assessments"):
        assert client.get(f"/workforce/employees/E1/{path}/new/").status_code == status, path
    assert (
        client.post("/workforce/employees/E1/furlough/new/", {"starts_on": "2020-04-01"}).status_code
        == status
    )
    assert not FurloughPeriod.objects.exists()


def test_anonymous_is_sent_to_sign_in(workforce, client):
    for path in ("secondments", "furlough", "risk-assessments"):
        response = client.get(f"/workforce/employees/E1/{path}/new/")
        assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_a_risk_assessment_is_added_by_the_employers_hr_and_read_only_through_the_logged_page(
    workforce, make_user, client_for
):
    user = make_user(Role.HR_OFFICER, "NEW")
    client = client_for(user)
    assert (
        "/workforce/employees/E1/risk-assessments/new/"
        in client.get("/workforce/employees/E1/").content.decode()
    )
    url = "/workforce/employees/E1/risk-assessments/new/"
    bad = client.post(
        url, {"kind": "stress", "assessed_on": "2021-03-01", "review_on": "2021-02-01", "outcome": "x"}
    )
    assert bad.status_code == 200 and "The review date must be after the assessment" in bad.content.decode()
    missing = client.post(url, {"kind": "stress", "assessed_on": "2021-03-01"})
    assert missing.status_code == 200 and "govuk-error-summary" in missing.content.decode()
    assert not RiskAssessment.objects.exists()
    response = client.post(
        url,
        {
            "kind": "stress",
            "assessed_on": "2021-03-01",
            "review_on": "2021-09-01",
            "outcome": "Reduced hours",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/workforce/employees/E1/health/"
    assessment = RiskAssessment.objects.get()
    assert (assessment.kind, assessment.review_on) == ("stress", D(2021, 9, 1))
    assert LogEntry.objects.get_for_object(assessment).filter(action=LogEntry.Action.CREATE).exists()
    # Adding it read nothing; opening the health page reads it and is logged.
    assert not Event.objects.filter(name=HEALTH_READ_EVENT, actor=user).exists()
    page = client.get("/workforce/employees/E1/health/").content.decode()
    assert "Work-related stress" in page and "Reduced hours" in page
    assert Event.objects.get(name=HEALTH_READ_EVENT, actor=user).data["risk_assessments"] == 1
    # The person's own page never shows it.
    assert "Reduced hours" not in client.get("/workforce/employees/E1/").content.decode()
    # Someone who may not see health data is not offered the button.
    officer = client_for(make_user(Role.PARTNER_OFFICER, "NEW"))
    assert "risk-assessments/new/" not in officer.get("/workforce/employees/E1/").content.decode()


def _post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


@pytest.mark.parametrize(
    ("role", "partner", "status"),
    [
        (Role.HR_OFFICER, "NEW", 201),  # NEW employs Ann
        (Role.PLATFORM_ADMIN, None, 201),
        (Role.HR_OFFICER, "HAV", 403),  # Ann works 60% for HAV, but HAV does not employ her
        (Role.PARTNER_OFFICER, "NEW", 403),
        (Role.SHARED_SERVICE_MANAGER, None, 403),
        (Role.HR_OFFICER, "BEX", 404),
    ],
)
def test_api_adds_a_risk_assessment_only_for_the_employers_hr(
    workforce, make_user, token_client_for, role, partner, status
):
    client = token_client_for(make_user(role, partner))
    body = {"kind": "covid", "assessed_on": "2020-05-01", "outcome": "Work from home"}
    response = _post(client, "/api/workforce/employees/E1/risk-assessments", body)
    assert response.status_code == status, response.content
    if status == 201:
        assert response.json()["kind"] == "covid" and response.json()["review_on"] is None
        assert RiskAssessment.objects.get().outcome == "Work from home"
    else:
        assert not RiskAssessment.objects.exists()


def test_api_risk_assessment_bad_input_is_422_and_anonymous_401(
    workforce, make_user, token_client_for, client
):
    url = "/api/workforce/employees/E1/risk-assessments"
    assert (
        _post(client, url, {"kind": "covid", "assessed_on": "2020-05-01", "outcome": "x"}).status_code == 401
    )
    hr = token_client_for(make_user(Role.HR_OFFICER, "NEW"))
    response = _post(hr, url, {"kind": "nonsense", "assessed_on": "2020-05-01", "outcome": "x"})
    assert response.status_code == 422 and "kind" in response.json()["errors"]
    response = _post(
        hr, url, {"kind": "covid", "assessed_on": "2020-05-01", "review_on": "2020-01-01", "outcome": "x"}
    )
    assert response.status_code == 422 and "review_on" in response.json()["errors"]
    assert not RiskAssessment.objects.exists()
