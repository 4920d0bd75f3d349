"""The workforce actions' rules: periods, overlaps, time splits adding to 100, leavers, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from onesource.core.models import Event
from onesource.workforce import actions
from onesource.workforce.models import Assignment, ContractPeriod, Employee, TimeSplit

D = dt.date


def test_time_split_must_add_up_to_100(workforce):
    u, dan = workforce["system"], workforce["dan"]
    with pytest.raises(ValidationError) as error:
        actions.set_time_split(
            dan,
            starts_on=D(2016, 1, 1),
            shares={workforce["HAV"]: Decimal(60), workforce["NEW"]: Decimal(30)},
            acting_user=u,
        )
    assert error.value.message_dict["shares"] == ["The shares add up to 90%; they must add up to 100%."]
    assert not TimeSplit.objects.filter(employee=dan).exists()


def test_overlapping_and_inverted_periods_are_refused(workforce):
    u, ann = workforce["system"], workforce["ann"]
    with pytest.raises(ValidationError) as error:
        actions.set_time_split(
            ann, starts_on=D(2016, 1, 1), shares={workforce["NEW"]: Decimal(100)}, acting_user=u
        )
    assert (
        "overlaps an existing time split from 2015-04-01 to now" in error.value.message_dict["starts_on"][0]
    )
    with pytest.raises(ValidationError) as error:
        actions.add_contract_period(
            ann, contract_type="fixed_term", starts_on=D(2016, 1, 1), ends_on=D(2015, 1, 1), acting_user=u
        )
    assert "ends_on" in error.value.message_dict
    assert ContractPeriod.objects.filter(employee=ann).count() == 1


def test_assignment_must_fall_within_employment_and_the_post(workforce):
    u, bob = workforce["system"], workforce["bob"]
    with pytest.raises(ValidationError) as error:
        actions.add_assignment(
            bob, post=workforce["posts"]["D"], fte=Decimal("1"), starts_on=D(2015, 1, 1), acting_user=u
        )
    assert "left" in error.value.message_dict["ends_on"][0]
    with pytest.raises(ValidationError) as error:
        actions.add_assignment(
            workforce["dan"],
            post=workforce["posts"]["B"],
            fte=Decimal("1.00"),
            starts_on=D(2015, 1, 1),
            acting_user=u,
        )
    assert error.value.message_dict["fte"] == ["The post is only 0.50 FTE."]


def test_only_agency_and_interim_carry_a_cost(workforce):
    u, dan = workforce["system"], workforce["dan"]
    with pytest.raises(ValidationError) as error:
        actions.update_contract_period(dan.contract_periods.get(), cost=Decimal("100"), acting_user=u)
    assert "cost" in error.value.message_dict


def test_record_leaver_ends_open_periods_and_is_audited(workforce):
    u, dan = workforce["system"], workforce["dan"]
    actions.record_leaver(dan, left_on=D(2020, 6, 30), leaving_reason="retirement", acting_user=u)
    dan = Employee.objects.get(pk=dan.pk)
    assert dan.left_on == D(2020, 6, 30)
    assert Assignment.objects.get(employee=dan).ends_on == D(2020, 6, 30)
    assert ContractPeriod.objects.get(employee=dan).ends_on == D(2020, 6, 30)
    assert Event.objects.filter(name="employee.left", object_pk=str(dan.pk), actor=u).exists()
    assert LogEntry.objects.get_for_object(dan).filter(actor=u).exists()
    with pytest.raises(ValidationError):
        actions.record_leaver(dan, left_on=D(2021, 1, 1), leaving_reason="other", acting_user=u)


def test_health_records_never_leak_through_a_plain_restrict(workforce, make_user):
    from onesource.core.roles import Role
    from onesource.workforce.models import SicknessAbsence

    actions.record_sickness(
        workforce["ann"],
        starts_on=D(2016, 1, 4),
        ends_on=D(2016, 1, 4),
        working_days_lost=Decimal("1"),
        reason="other",
        acting_user=workforce["system"],
    )
    officer = make_user(Role.PARTNER_OFFICER, "NEW")
    hr = make_user(Role.HR_OFFICER, "NEW")
    assert not SicknessAbsence.objects.restrict(officer).exists()
    assert not SicknessAbsence.objects.restrict(officer, "view").exists()
    assert SicknessAbsence.objects.restrict(hr).count() == 1
