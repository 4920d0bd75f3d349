import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from onesource.core import actions
from onesource.core.middleware import request_id_context
from onesource.core.models import Event, Membership, Partner, ServiceCoverage

D = dt.date


def test_partner_code_and_gss_code_are_validated(system_user):
    with pytest.raises(ValidationError) as error:
        actions.create_partner(code="new", name="Newham", gss_code="X123", acting_user=system_user)
    assert set(error.value.message_dict) == {"code", "gss_code"}
    assert Partner.objects.count() == 0


def test_overlapping_membership_is_rejected_and_nothing_saved(partnership):
    system = partnership["system"]
    with pytest.raises(ValidationError) as error:
        actions.add_membership(partnership["BEX"], joined_on=D(2020, 1, 1), acting_user=system)
    assert (
        "overlaps an existing membership from 2016-04-01 to 2020-07-31"
        in error.value.message_dict["joined_on"][0]
    )
    assert Membership.objects.filter(partner=partnership["BEX"]).count() == 1


def test_inverted_period_is_rejected(partnership):
    with pytest.raises(ValidationError) as error:
        actions.add_membership(
            partnership["BEX"],
            joined_on=D(2023, 1, 1),
            left_on=D(2022, 1, 1),
            acting_user=partnership["system"],
        )
    assert error.value.message_dict["left_on"] == [
        "The end date must be the same as or after the start date."
    ]


def test_partner_can_rejoin_after_leaving(partnership):
    membership = actions.add_membership(
        partnership["BEX"], joined_on=D(2024, 4, 1), acting_user=partnership["system"]
    )
    assert partnership["BEX"].membership_on(D(2024, 5, 1)) == membership
    assert partnership["BEX"].membership_on(D(2021, 5, 1)) is None


def test_overlapping_coverage_for_same_partner_and_service_is_rejected(partnership):
    with pytest.raises(ValidationError) as error:
        actions.create_coverage(
            service=partnership["shared"],
            partner=partnership["HAV"],
            starts_on=D(2019, 4, 1),
            acting_user=partnership["system"],
        )
    assert "overlaps" in error.value.message_dict["starts_on"][0]


def test_coverage_can_follow_an_ended_period(partnership):
    coverage = actions.create_coverage(
        service=partnership["shared"],
        partner=partnership["BEX"],
        starts_on=D(2020, 8, 1),
        ends_on=D(2021, 3, 31),
        end_reason="contract_ended",
        acting_user=partnership["system"],
    )
    assert coverage.pk


def test_end_reason_needs_an_end_date(partnership):
    with pytest.raises(ValidationError) as error:
        actions.create_coverage(
            service=partnership["own"],
            partner=partnership["HAV"],
            starts_on=D(2019, 4, 1),
            end_reason="returned",
            acting_user=partnership["system"],
        )
    assert "end_reason" in error.value.message_dict


def test_leaving_ends_the_services_the_partner_still_receives(partnership):
    system = partnership["system"]
    actions.end_membership(partnership["HAV"], left_on=D(2023, 3, 31), acting_user=system)
    coverage = ServiceCoverage.objects.get(partner=partnership["HAV"], service=partnership["shared"])
    assert coverage.ends_on == D(2023, 3, 31)
    assert coverage.end_reason == "partner_left"
    assert Event.objects.filter(name="partner.left", object_pk=str(partnership["HAV"].pk)).exists()


def test_service_returns_to_a_partner(partnership):
    coverage = actions.return_service(
        partnership["shared"],
        partnership["NEW"],
        returned_on=D(2023, 3, 31),
        acting_user=partnership["system"],
    )
    assert (coverage.ends_on, coverage.end_reason) == (D(2023, 3, 31), "returned")
    with pytest.raises(ValidationError):
        actions.return_service(
            partnership["shared"],
            partnership["NEW"],
            returned_on=D(2024, 3, 31),
            acting_user=partnership["system"],
        )


def test_partner_specific_service_needs_its_owner(partnership):
    with pytest.raises(ValidationError) as error:
        actions.create_service(
            area=partnership["area"],
            code="x",
            name="X",
            sharing="partner_specific",
            acting_user=partnership["system"],
        )
    assert "owner_partner" in error.value.message_dict
    with pytest.raises(ValidationError):
        actions.create_service(
            area=partnership["area"],
            code="y",
            name="Y",
            sharing="shared",
            owner_partner=partnership["NEW"],
            acting_user=partnership["system"],
        )


def test_financial_year_labels_and_dates():
    from onesource.core.models import FinancialYear

    year = FinancialYear(start_year=2017)
    assert (year.label, year.starts_on, year.ends_on) == ("2017/18", D(2017, 4, 1), D(2018, 3, 31))
    assert FinancialYear.start_year_for(D(2018, 3, 31)) == 2017
    assert FinancialYear.start_year_for(D(2018, 4, 1)) == 2018


def test_every_change_is_audited_with_actor_before_after_and_request_id(partnership):
    system = partnership["system"]
    with request_id_context("req-123"):
        actions.update_partner(partnership["HAV"], name="London Borough of Havering", acting_user=system)
    entry = LogEntry.objects.get_for_object(partnership["HAV"]).order_by("-timestamp").first()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == system
    assert entry.cid == "req-123"
    assert entry.changes_dict["name"] == ["Havering", "London Borough of Havering"]


def test_a_failed_action_leaves_no_audit_entry(partnership):
    before = LogEntry.objects.count()
    with pytest.raises(ValidationError):
        actions.update_partner(partnership["HAV"], gss_code="bad", acting_user=partnership["system"])
    assert LogEntry.objects.count() == before
    partnership["HAV"].refresh_from_db()
    assert partnership["HAV"].gss_code == "E09000016"


def test_actions_refuse_to_run_without_an_acting_user(partnership):
    with pytest.raises(TypeError, match="acting_user"):
        actions.update_partner(partnership["HAV"], name="X")  # type: ignore[call-arg]
