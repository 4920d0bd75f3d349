import datetime as dt

import pytest
from django.core.management import call_command

from onesource.core import actions
from onesource.core.workingdays import ENGLAND_AND_WALES, WorkingCalendar, calendar_for

D = dt.date


def test_five_working_days_beginning_with_a_day_skip_christmas_and_boxing_day():
    assert ENGLAND_AND_WALES.add_working_days(D(2025, 12, 22), 5) == D(2025, 12, 30)
    # Beginning with the first working day after Monday 22nd: 23, 24, 29, 30, 31 December.
    assert ENGLAND_AND_WALES.add_working_days(ENGLAND_AND_WALES.next_working_day(D(2025, 12, 22)), 5) == D(
        2025, 12, 31
    )
    assert ENGLAND_AND_WALES.add_working_days(D(2025, 12, 22), 0) == D(2025, 12, 22)


def test_easter_and_a_start_on_a_closed_day():
    # Good Friday 18 April 2025 and Easter Monday 21 April: beginning with Thursday 17th, 17, 22, 23.
    assert ENGLAND_AND_WALES.add_working_days(D(2025, 4, 17), 3) == D(2025, 4, 23)
    # A start on a Saturday begins with the next working day.
    assert ENGLAND_AND_WALES.add_working_days(D(2025, 4, 19), 1) == D(2025, 4, 22)
    assert ENGLAND_AND_WALES.why_closed(D(2025, 4, 18)) == "Good Friday"


def test_counting_working_days_both_ends_included():
    assert ENGLAND_AND_WALES.working_days(D(2025, 12, 22), D(2026, 1, 2)) == 7
    assert ENGLAND_AND_WALES.working_days(D(2025, 12, 27), D(2025, 12, 28)) == 0
    assert ENGLAND_AND_WALES.working_days(D(2025, 12, 23), D(2025, 12, 22)) == 0
    # Brute force over a year agrees with the fast count.
    first = D(2025, 1, 1)
    brute = sum(ENGLAND_AND_WALES.is_working_day(first + dt.timedelta(days=i)) for i in range(365))
    assert (
        ENGLAND_AND_WALES.working_days(first, D(2025, 12, 31)) == brute == 253
    )  # 261 weekdays less 8 bank holidays


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        WorkingCalendar().add_working_days(D(2025, 1, 1), -1)


@pytest.mark.django_db
def test_a_partners_closure_days_are_skipped_for_it_only(partnership, system_user):
    havering = partnership["HAV"]
    actions.add_closure_day(
        havering, date=D(2025, 12, 29), reason="Christmas closure", acting_user=system_user
    )
    assert calendar_for(havering.pk).add_working_days(D(2025, 12, 22), 5) == D(2025, 12, 31)
    assert calendar_for(partnership["NEW"].pk).add_working_days(D(2025, 12, 22), 5) == D(2025, 12, 30)
    assert calendar_for(havering.pk).working_days(D(2025, 12, 22), D(2026, 1, 2)) == 6
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="already has a closure day"):
        actions.add_closure_day(havering, date=D(2025, 12, 29), reason="Again", acting_user=system_user)


@pytest.mark.django_db
def test_the_calendar_command(capsys, partnership, system_user):
    call_command("calendar", "add-working-days", "2025-12-22", "5")
    assert capsys.readouterr().out.strip() == "2025-12-30"
    call_command("calendar", "working-days", "2025-12-22", "2026-01-02")
    assert capsys.readouterr().out.strip() == "7"
    call_command(
        "calendar",
        "add-closure",
        "2025-12-29",
        "Christmas closure",
        "--partner",
        "hav",
        "--as",
        system_user.username,
    )
    capsys.readouterr()
    call_command("calendar", "add-working-days", "2025-12-22", "5", "--partner", "HAV")
    assert capsys.readouterr().out.strip() == "2025-12-31"
    call_command("calendar", "closures", "--partner", "HAV", "--as", system_user.username)
    assert "Christmas closure" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_calendar_api(client, partnership, system_user):
    client.force_login(system_user)
    answer = client.get("/api/calendar/add-working-days", {"start": "2025-12-22", "days": 5})
    assert answer.json() == {"date": "2025-12-30"}
    answer = client.get("/api/calendar/working-days", {"first": "2025-12-22", "last": "2026-01-02"})
    assert answer.json() == {"working_days": 7}
    bad = client.get("/api/calendar/working-days", {"first": "2025-12-22", "last": "2025-12-01"})
    assert bad.status_code == 422
    made = client.post(
        "/api/calendar/closures",
        {"partner": "HAV", "date": "2025-12-29", "reason": "Christmas closure"},
        content_type="application/json",
    )
    assert made.status_code == 201
    answer = client.get(
        "/api/calendar/add-working-days", {"start": "2025-12-22", "days": 5, "partner": "HAV"}
    )
    assert answer.json() == {"date": "2025-12-31"}
