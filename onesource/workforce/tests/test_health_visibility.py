"""The scoping matrix for health data: who sees health reads and records, on every page that could show them.

Dan is employed by Havering. Havering's HR officer opens his health records (a logged read). Then
Havering's committee member and finance officer, and another partner's officer, must find no trace
of health data anywhere: not on his page, not in its history, not in the API, not in the audit
trail. Havering's HR officer and the platform admin see the read in his history; the shared-service
manager (who keeps the audit trail but may not see health data) sees who looked, never what.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onesource.core.roles import Role
from onesource.workforce import actions
from onesource.workforce.health import HEALTH_READ_EVENT

pytestmark = pytest.mark.django_db

# Words that would give away Dan's health: the event's name, its counts, the records themselves.
HEALTH_WORDS = [
    "Health records opened",
    "Sickness absences read",
    "Risk assessments read",
    "health.read",
    "sickness_absences",
    "New and expectant mother",
    "Stress, depression",
    "Sickness absence",
]


@pytest.fixture
def dan_read_by_hr(workforce, make_user, client_for):
    u = workforce["system"]
    dan = workforce["dan"]
    actions.record_sickness(
        dan,
        starts_on=dt.date(2016, 2, 1),
        ends_on=dt.date(2016, 2, 3),
        working_days_lost=Decimal("3"),
        reason="mental_health",
        acting_user=u,
    )
    actions.add_risk_assessment(
        dan, kind="pregnancy", assessed_on=dt.date(2016, 3, 1), outcome="Adjusted hours.", acting_user=u
    )
    hav_hr = make_user(Role.HR_OFFICER, "HAV", username="hav-hr")
    response = client_for(hav_hr).get("/workforce/employees/E4/health/")
    assert response.status_code == 200
    return hav_hr


def _pages_about_dan(client, post) -> dict[str, str]:
    pages = {}
    for url in ["/workforce/employees/E4/", post.get_absolute_url(), "/api/workforce/employees/E4"]:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


@pytest.mark.parametrize(
    ("role", "partner"),
    [(Role.COMMITTEE_MEMBER, "HAV"), (Role.FINANCE_OFFICER, "HAV"), (Role.PARTNER_OFFICER, "HAV")],
)
def test_havering_users_without_the_health_capability_see_no_health_data(
    dan_read_by_hr, workforce, make_user, client_for, role, partner
):
    client = client_for(make_user(role, partner))
    for url, text in _pages_about_dan(client, workforce["posts"]["D"]).items():
        for word in HEALTH_WORDS:
            assert word not in text, (url, word)
    assert client.get("/workforce/employees/E4/health/").status_code == 403
    assert client.get("/api/workforce/employees/E4/health").status_code == 403
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/events/").status_code == 403


def test_another_partners_officer_gets_404_for_the_person_and_their_health(
    dan_read_by_hr, make_user, client_for
):
    client = client_for(make_user(Role.PARTNER_OFFICER, "NEW"))
    for url in [
        "/workforce/employees/E4/",
        "/workforce/employees/E4/health/",
        "/api/workforce/employees/E4",
        "/api/workforce/employees/E4/health",
    ]:
        assert client.get(url).status_code == 404, url


def test_the_hr_officer_of_the_employer_sees_the_read_in_the_history(dan_read_by_hr, client_for):
    page = client_for(dan_read_by_hr).get("/workforce/employees/E4/").content.decode()
    assert "Health records opened" in page
    assert "Sickness absences read</strong>: 1" in page


def test_another_partners_hr_officer_does_not_see_the_read(dan_read_by_hr, workforce, make_user, client_for):
    # Ann works 60% for Havering but is employed by Newham: Havering's HR may see her, not her health.
    from onesource.workforce.health import read_health_records

    admin = make_user(Role.PLATFORM_ADMIN)
    assert read_health_records(admin, workforce["ann"]) is not None
    client = client_for(make_user(Role.HR_OFFICER, "HAV"))
    page = client.get("/workforce/employees/E1/").content.decode()
    assert "Health records opened" not in page
    assert "Only HR officers of Newham may see" in page


def test_the_platform_admin_sees_the_read_everywhere(dan_read_by_hr, make_user, client_for):
    client = client_for(make_user(Role.PLATFORM_ADMIN))
    page = client.get("/workforce/employees/E4/").content.decode()
    assert "Health records opened" in page
    events = client.get(f"/audit/events/?name={HEALTH_READ_EVENT}").content.decode()
    assert "Health records opened" in events
    assert "Risk assessments read</strong>: 1" in events
    changes = client.get("/audit/").content.decode()
    assert "New and expectant mother risk assessment" in changes


def test_the_audit_keeper_without_health_capability_sees_who_looked_but_not_what(
    dan_read_by_hr, make_user, client_for
):
    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    events = client.get("/audit/events/").content.decode()
    assert "Health records opened" in events  # who opened whose records, and when, is the audit trail's
    assert "Risk assessments read" not in events
    assert "Sickness absences read" not in events
    changes = client.get("/audit/").content.decode()
    assert "New and expectant mother" not in changes
    assert "Details withheld" in changes
    csv_text = b"".join(client.get("/audit/?format=csv").streaming_content).decode()
    assert "New and expectant mother" not in csv_text
    assert "Mental health" not in csv_text
    events_csv = b"".join(client.get("/audit/events/?format=csv").streaming_content).decode()
    assert "Health records opened" in events_csv
    assert "Sickness absences read" not in events_csv
    # The person's own page shows the manager no health read either.
    assert "Health records opened" not in client.get("/workforce/employees/E4/").content.decode()
