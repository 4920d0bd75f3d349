"""The risk-assessment review task on the home page: shown with VIEW_HEALTH only, counted, linked."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from onesource.core.roles import Role
from onesource.workforce import actions
from onesource.workforce.tasks import risk_assessments_due_for_review


def _assess(employee, review_on, user):
    actions.add_risk_assessment(
        employee,
        kind="stress",
        assessed_on=dt.date(2020, 1, 1),
        review_on=review_on,
        outcome="Adjusted hours agreed.",
        acting_user=user,
    )


def test_due_reviews_counted_for_hr_of_the_employer(workforce, make_user, system_user):
    today = timezone.localdate()
    _assess(workforce["ann"], today - dt.timedelta(days=1), system_user)
    _assess(workforce["dan"], today + dt.timedelta(days=30), system_user)
    hr_newham = make_user(Role.HR_OFFICER, "NEW")
    (task,) = risk_assessments_due_for_review(hr_newham)
    assert task.count == 1
    assert task.url == workforce["ann"].get_absolute_url()
    # Dan works for Havering and is not yet due: Havering's HR sees nothing.
    assert list(risk_assessments_due_for_review(make_user(Role.HR_OFFICER, "HAV"))) == []


def test_no_health_capability_no_task(workforce, make_user, system_user):
    _assess(workforce["ann"], timezone.localdate(), system_user)
    assert list(risk_assessments_due_for_review(make_user(Role.PARTNER_OFFICER, "NEW"))) == []


def test_home_page_lists_task_or_says_nothing_waiting(workforce, make_user, client_for, system_user):
    _assess(workforce["ann"], timezone.localdate(), system_user)
    hr_page = client_for(make_user(Role.HR_OFFICER, "NEW")).get("/").content.decode()
    assert "Review risk assessments that are due" in hr_page
    assert workforce["ann"].get_absolute_url() in hr_page
    officer_page = client_for(make_user(Role.PARTNER_OFFICER, "NEW")).get("/").content.decode()
    assert "Nothing waiting for you" in officer_page
    assert "Review risk assessments" not in officer_page
