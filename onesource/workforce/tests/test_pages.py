"""Workforce pages: scoping, forms through the actions with the error summary, CSV, logged health views."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from onesource.core.models import Event
from onesource.core.roles import Role
from onesource.workforce import actions
from onesource.workforce.health import HEALTH_READ_EVENT
from onesource.workforce.models import Employee, Post


def test_anonymous_is_sent_to_sign_in(workforce, client):
    for url in ("/workforce/", "/workforce/employees/", "/workforce/posts/", "/workforce/employees/E1/"):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"], url


def test_partner_officer_sees_only_people_employed_by_or_working_for_the_partner(
    workforce, make_user, client_for
):
    hav = client_for(make_user(Role.PARTNER_OFFICER, "HAV"))
    listing = hav.get("/workforce/employees/").content.decode()
    assert set(re.findall(r'href="/workforce/employees/([A-Z0-9-]+)/"', listing)) == {"E1", "E2", "E4"}
    assert hav.get("/workforce/employees/E3/").status_code == 404
    assert hav.get("/workforce/employees/E1/").status_code == 200
    # NEW's own-service post (P-C, funded by NEW) is not HAV's to see.
    post_c = workforce["posts"]["C"]
    assert hav.get(f"/workforce/posts/{post_c.pk}/").status_code == 404
    csv = hav.get("/workforce/employees/?format=csv")
    rows = b"".join(csv.streaming_content).decode().splitlines()
    assert sorted(row.split(",")[0] for row in rows[1:]) == ["E1", "E2", "E4"]


def test_dashboard_shows_figures_and_exports_csv(workforce, make_user, client_for):
    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    page = client.get("/workforce/?date=2014-04-01&start=2014-04-01&end=2015-03-31")
    assert page.status_code == 200
    assert page.context["snapshot"].headcount == 3
    assert page.context["period"].leavers == 2
    assert b'data-figure="headcount">3<' in page.content
    csv = client.get("/workforce/?date=2014-04-01&format=csv").content.decode().splitlines()
    assert "total,2014-04-01,3,2.50" in csv
    assert "employed_by,NEW,2,2.00" in csv
    # A partner officer's dashboard counts only their people: BEX has nobody.
    bex = client_for(make_user(Role.PARTNER_OFFICER, "BEX"))
    empty = bex.get("/workforce/?date=2014-04-01")
    assert empty.context["snapshot"].headcount == 0
    # Nobody to count: the page says so, and draws no empty charts or tables.
    html = empty.content.decode()
    assert "Nobody in the workforce you may see matches these filters." in html
    assert "Trends and breakdowns" not in html and "<svg" not in html
    assert "Trends and breakdowns" in page.content.decode()


def test_dashboard_refuses_a_period_ending_before_it_starts(workforce, make_user, client_for):
    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    page = client.get("/workforce/?start=2016-01-01&end=2015-01-01")
    assert page.status_code == 200
    assert "The period must start on or before its end." in page.content.decode()


def test_create_employee_form_and_error_summary(workforce, make_user, client_for):
    hr = make_user(Role.HR_OFFICER, "HAV")
    client = client_for(hr)
    bad = client.post(
        "/workforce/employees/new/",
        {
            "staff_number": "H9",
            "first_name": "Zed",
            "last_name": "",
            "employing_partner": "",
            "started_on": "",
        },
    )
    assert bad.status_code == 200
    assert "govuk-error-summary" in bad.content.decode()
    assert not Employee.objects.filter(staff_number="H9").exists()
    hav = workforce["HAV"]
    good = client.post(
        "/workforce/employees/new/",
        {
            "staff_number": "h9",
            "first_name": "Zed",
            "last_name": "Ray",
            "employing_partner": hav.pk,
            "started_on": "2020-01-06",
        },
    )
    assert good.status_code == 302
    employee = Employee.objects.get(staff_number="H9")
    assert good["Location"] == employee.get_absolute_url()
    # The time split form refuses shares that do not add up to 100, saying so.
    split = client.post(
        "/workforce/employees/H9/time-splits/new/",
        {
            "starts_on": "2020-01-06",
            "partner_1": hav.pk,
            "percent_1": "60",
            "partner_2": workforce["NEW"].pk,
            "percent_2": "30",
        },
    )
    assert split.status_code == 200 and "they must add up to 100%" in split.content.decode()
    assert not employee.time_splits.exists()


def test_hr_officer_cannot_change_another_partners_employee(workforce, make_user, client_for):
    client = client_for(make_user(Role.HR_OFFICER, "HAV"))
    # Ann is NEW's employee working 60% for HAV: HAV's HR may see her but not change her record.
    assert client.get("/workforce/employees/E1/edit/").status_code == 403
    assert client.get("/workforce/employees/E3/edit/").status_code == 404


def test_post_action_rejects_a_reporting_loop(workforce):
    u = workforce["system"]
    top = workforce["posts"]["S"]
    below = workforce["posts"]["A"]
    actions.update_post(below, reports_to=top, acting_user=u)
    with pytest.raises(ValidationError, match="loop"):
        actions.update_post(top, reports_to=below, acting_user=u)
    assert Post.objects.get(pk=top.pk).reports_to is None


@pytest.mark.parametrize(
    ("role", "partner", "status"),
    [
        (Role.HR_OFFICER, "NEW", 200),
        (Role.HR_OFFICER, "HAV", 403),
        (Role.PARTNER_OFFICER, "NEW", 403),
        (Role.PLATFORM_ADMIN, None, 200),
    ],
)
def test_health_page_only_for_the_employers_hr_and_logged(
    workforce, make_user, client_for, role, partner, status
):
    actions.record_sickness(
        workforce["ann"],
        starts_on=dt.date(2016, 2, 1),
        ends_on=dt.date(2016, 2, 3),
        working_days_lost=Decimal("3"),
        reason="mental_health",
        acting_user=workforce["system"],
    )
    user = make_user(role, partner)
    client = client_for(user)
    detail = client.get("/workforce/employees/E1/").content.decode()
    assert "Stress, depression" not in detail  # the person's page never shows health data itself
    response = client.get("/workforce/employees/E1/health/")
    assert response.status_code == status
    reads = Event.objects.filter(name=HEALTH_READ_EVENT, actor=user)
    if status == 200:
        assert "Stress, depression and mental health" in response.content.decode()
        assert reads.count() == 1
        assert reads.get().data["staff_number"] == "E1"
    else:
        assert reads.count() == 0


def test_other_partners_employee_health_is_404(workforce, make_user, client_for):
    client = client_for(make_user(Role.HR_OFFICER, "BEX"))
    assert client.get("/workforce/employees/E1/health/").status_code == 404


def test_lists_do_not_query_per_row(workforce, make_user, client_for, django_assert_max_num_queries):
    u = workforce["system"]
    for n in range(20):
        actions.create_employee(
            staff_number=f"X{n}",
            first_name="Extra",
            last_name=f"Person{n}",
            employing_partner=workforce["HAV"],
            started_on=dt.date(2015, 1, 1),
            acting_user=u,
        )
    client = client_for(make_user(Role.PARTNER_OFFICER, "HAV"))
    client.get("/workforce/employees/")  # warm the session and the user's scope
    with django_assert_max_num_queries(12):
        assert client.get("/workforce/employees/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/workforce/posts/").status_code == 200
