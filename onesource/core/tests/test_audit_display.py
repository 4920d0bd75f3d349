"""Histories and the audit trail in words: names for keys, labels for choices, yes/no, GOV.UK dates."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from onesource.core import actions
from onesource.core.audit import record_event
from onesource.core.audit_display import (
    describe_events,
    describe_log_entries,
    describe_parameters,
    event_label,
    format_value,
    govuk_datetime,
    register_event_kind,
)
from onesource.core.models import Event, Service
from onesource.core.roles import Role


def _last_change(obj) -> LogEntry:
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
    ).latest("timestamp")


@pytest.mark.django_db
def test_a_foreign_key_reads_as_a_name_and_a_choice_as_its_label(partnership):
    service = partnership["shared"]
    actions.update_service(
        service,
        sharing="partner_specific",
        owner_partner=partnership["HAV"],
        lead_partner=partnership["NEW"],
        acting_user=partnership["system"],
    )
    changes = {
        field: (before, after)
        for field, before, after in describe_log_entries([_last_change(service)])[0].changes
    }
    assert changes["Sharing"] == ("Shared", "Partner-specific")
    owner = next(v for k, v in changes.items() if k.lower().startswith("owner"))
    assert owner == ("", "Havering")  # nothing before is shown as nothing, never "None"
    lead = next(v for k, v in changes.items() if k.lower().startswith("lead"))
    assert lead[1] == "Newham"


@pytest.mark.django_db
def test_a_boolean_reads_yes_or_no_and_a_date_as_govuk_writes_it(partnership):
    partner = partnership["BEX"]
    actions.update_partner(partner, is_founder=True, acting_user=partnership["system"])
    membership = partner.memberships.get()
    actions.update_membership(membership, left_on=dt.date(2021, 3, 31), acting_user=partnership["system"])
    founder = dict((f, (b, a)) for f, b, a in describe_log_entries([_last_change(partner)])[0].changes)
    assert next(v for k, v in founder.items() if "founder" in k.lower()) == ("no", "yes")
    left = describe_log_entries([_last_change(membership)])[0].changes
    assert [(b, a) for f, b, a in left if "left" in f.lower()] == [("31 July 2020", "31 March 2021")]


@pytest.mark.django_db
def test_a_deleted_foreign_key_is_named_as_deleted_not_by_its_id(partnership, make_user):
    user = make_user(Role.PARTNER_OFFICER, "HAV")
    assignment_log = LogEntry.objects.filter(
        content_type=ContentType.objects.get(app_label="core", model="roleassignment")
    ).latest("timestamp")
    user_pk = user.pk
    user.delete()
    words = describe_log_entries([assignment_log])[0]
    user_change = next(after for field, _, after in words.changes if field == "User")
    assert user_change == "a user since deleted"
    assert str(user_pk) not in " ".join(after for _, _, after in words.changes if _ != "Partner")


def test_dates_and_times_are_written_the_govuk_way():
    london = timezone.get_default_timezone()
    assert (
        govuk_datetime(dt.datetime(2026, 12, 4, 14, 30, 12, 345678, tzinfo=london))
        == "4 December 2026 at 2:30pm"
    )
    assert govuk_datetime(dt.datetime(2026, 12, 4, 10, 0, tzinfo=london)) == "4 December 2026 at 10am"
    assert govuk_datetime(dt.datetime(2026, 12, 4, 12, 0, tzinfo=london)) == "4 December 2026 at midday"
    # auditlog's text for a time, in UTC, with microseconds; British summer time is an hour on.
    assert format_value("2026-07-04 13:05:09.123456+00:00") == "4 July 2026 at 2:05pm"
    assert format_value(dt.date(2026, 12, 4)) == "4 December 2026"
    assert format_value(None) == "not set"
    assert format_value("None") == "not set"
    assert format_value(False) == "no"
    assert format_value(Decimal("40402884.00")) == "40,402,884.00"


def test_job_parameters_read_by_label_and_hide_what_people_need_not_see():
    rows = describe_parameters(
        {"year": 2022, "up_to_month": None, "estimate": False, "path": "uploads/3/x.csv"},
        {
            "year": ("Financial year", lambda y: f"{y}/{(y + 1) % 100:02d}"),
            "up_to_month": "Up to month",
            "path": None,
        },
    )
    assert rows == [("Financial year", "2022/23"), ("Up to month", "not set"), ("Estimate", "no")]


@pytest.mark.django_db
def test_events_read_by_their_registered_names_and_labels(partnership):
    register_event_kind(
        "test.thing_rated",
        "Thing rated",
        data_labels={"rating": "Rating", "secret_path": None},
        data_choices={"rating": [("amber", "Amber: some risk")]},
    )
    event = record_event(
        "test.thing_rated",
        partnership["HAV"],
        acting_user=partnership["system"],
        data={"rating": "amber", "secret_path": "up/x.csv", "checked_on": "2026-12-04", "estimate": False},
    )
    (words,) = describe_events([Event.objects.get(pk=event.pk)])
    assert words.what == "Thing rated"
    assert words.changes == [
        ("Rating", "", "Amber: some risk"),
        ("Checked on", "", "4 December 2026"),
        ("Estimate", "", "no"),
    ]
    assert event_label("recharge_run.created") == "Recharge run built"
    assert event_label("something_new.done") == "Something new done"


# Raw values people must never see on a page with a history.
RAW = [
    re.compile(r"\bNone\b"),
    re.compile(r"\bTrue\b|\bFalse\b"),
    re.compile(r"partner_specific"),
    re.compile(r"\d{2}:\d{2}:\d{2}\.\d+"),  # microsecond timestamps
    re.compile(r"→ \d+\b"),  # an id after an arrow
    re.compile(r"[a-z]+_[a-z]+\.[a-z_]+"),  # event codes like recharge_run.created
]


@pytest.mark.django_db
def test_pages_with_histories_show_no_raw_values(partnership, make_user, client_for):
    u = partnership["system"]
    service = Service.objects.get(code="audit")
    actions.update_service(service, lead_partner=partnership["NEW"], acting_user=u)
    actions.update_service(service, lead_partner=None, acting_user=u)
    actions.update_partner(partnership["BEX"], is_founder=False, acting_user=u)
    actions.return_service(service, partnership["HAV"], returned_on=dt.date(2023, 3, 31), acting_user=u)
    client = client_for(make_user(Role.PLATFORM_ADMIN))
    for url in ["/services/audit/", "/partners/HAV/", "/partners/BEX/", "/audit/", "/audit/events/"]:
        page = client.get(url).content.decode()
        body = re.sub(r"<[^>]+>", " ", page[page.index("<main") :])  # what people read, not option values
        for pattern in RAW:
            assert not pattern.search(body), (url, pattern.pattern, pattern.search(body))
    page = client.get("/services/audit/").content.decode()
    assert "Service returned to the partner" in page
    assert "31 March 2023" in page


@pytest.mark.django_db
def test_a_job_page_names_its_parameters_and_hides_file_contents(partnership, make_user, client_for):
    from onesource.core.jobs import create_job

    admin = make_user(Role.PLATFORM_ADMIN)
    run = create_job(
        "costing.recharge_run",
        {"year": 2022, "up_to_month": None, "estimate": False, "support_method": "", "note": ""},
        acting_user=admin,
    )
    imported = create_job(
        "performance.import_kpis",
        {"csv_text": "code,period\nsecret-row,2024-01", "file_name": "kpis.csv"},
        acting_user=admin,
    )
    client = client_for(admin)
    page = re.sub(r"<[^>]+>", " ", client.get(run.get_absolute_url()).content.decode())
    assert re.search(r"Financial year\s+2022/23", page)
    assert re.search(r"Up to the end of\s+not set", page)
    assert re.search(r"Estimate\s+no", page)
    assert "up_to_month" not in page and "None" not in page
    page = client.get(imported.get_absolute_url()).content.decode()
    assert "kpis.csv" in page and "secret-row" not in page
