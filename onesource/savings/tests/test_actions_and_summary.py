"""Savings actions (validation, nothing changed on bad input, audit) and the sums behind the dashboard."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from onesource.core.models import Event
from onesource.savings import actions
from onesource.savings.models import SavingsAmount, SavingsLine, SavingsLineShare
from onesource.savings.summary import lines_for, summarise

D = Decimal
pytestmark = pytest.mark.django_db


def test_percentages_must_add_up_to_100_and_a_bad_set_changes_nothing(shared_line, partnership):
    u = partnership["system"]
    with pytest.raises(ValidationError) as error:
        actions.set_line_shares(
            shared_line, percentages={partnership["NEW"]: D("60"), partnership["HAV"]: D("30")}, acting_user=u
        )
    assert error.value.message_dict["percentages"] == ["The percentages add up to 90%, not 100%."]
    assert {s.partner.code: s.percent for s in SavingsLineShare.objects.filter(line=shared_line)} == {
        "NEW": D("50"),
        "HAV": D("50"),
    }


def test_a_negative_percentage_is_refused(shared_line, partnership):
    with pytest.raises(ValidationError) as error:
        actions.set_line_shares(
            shared_line,
            percentages={partnership["NEW"]: D("110"), partnership["HAV"]: D("-10")},
            acting_user=partnership["system"],
        )
    assert "cannot be negative (HAV)" in error.value.message_dict["percentages"][0]


def test_percentages_with_fractions_that_make_100_are_accepted(shared_line, partnership):
    shares = actions.set_line_shares(
        shared_line,
        percentages={
            partnership["NEW"]: D("33.333"),
            partnership["HAV"]: D("33.333"),
            partnership["BEX"]: D("33.334"),
        },
        acting_user=partnership["system"],
    )
    assert sum(s.percent for s in shares) == D("100")
    event = Event.objects.get(name="savings.shares_set", object_pk=str(shared_line.pk), data__BEX="33.334")
    assert event.actor == partnership["system"]


def test_yearly_targets_may_not_exceed_the_overall_target(case, partnership):
    u = partnership["system"]
    actions.set_year_target(case, year=2014, target=D("30000000"), acting_user=u)
    with pytest.raises(ValidationError) as error:
        actions.set_year_target(case, year=2015, target=D("10000000.01"), acting_user=u)
    assert "more than the overall target" in error.value.message_dict["target"][0]
    assert list(case.year_targets.values_list("year", flat=True)) == [2014]


def test_amounts_cannot_be_negative_and_the_year_must_be_sensible(shared_line, partnership):
    u = partnership["system"]
    with pytest.raises(ValidationError) as error:
        actions.set_savings_amount(shared_line, year=2015, planned=D("-1"), delivered=D("0"), acting_user=u)
    assert "planned" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.set_savings_amount(shared_line, year=15, planned=D("1"), delivered=D("0"), acting_user=u)
    assert "year" in error.value.message_dict
    assert not SavingsAmount.objects.exists()


def test_setting_a_years_amount_again_replaces_it(shared_line, partnership):
    u = partnership["system"]
    actions.set_savings_amount(shared_line, year=2015, planned=D("10"), delivered=D("0"), acting_user=u)
    actions.set_savings_amount(shared_line, year=2015, planned=D("10"), delivered=D("8"), acting_user=u)
    assert list(shared_line.amounts.values_list("planned", "delivered")) == [(D("10"), D("8"))]


def test_an_unknown_lever_is_refused(case, partnership):
    with pytest.raises(ValidationError) as error:
        actions.create_savings_line(
            business_case=case,
            reference="bad",
            title="Bad",
            service=partnership["shared"],
            lever="luck",
            acting_user=partnership["system"],
        )
    assert "lever" in error.value.message_dict
    assert not SavingsLine.objects.filter(reference="bad").exists()


def test_a_status_change_is_audited_with_the_actor(shared_line, partnership, make_user):
    manager = make_user("shared_service_manager")
    actions.update_savings_line(shared_line, status="at_risk", acting_user=manager)
    event = Event.objects.get(name="savings.status_changed", object_pk=str(shared_line.pk))
    assert event.data == {"from": "in_progress", "to": "at_risk"}
    entry = LogEntry.objects.get_for_object(shared_line).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == manager
    assert entry.changes_dict["status"] == ["in_progress", "at_risk"]


def test_the_summary_adds_up_by_year_lever_service_status_and_partner(
    case, shared_line, new_only_line, partnership
):
    u = partnership["system"]
    actions.set_year_target(case, year=2014, target=D("100"), acting_user=u)
    actions.set_year_target(case, year=2015, target=D("200"), acting_user=u)
    actions.set_savings_amount(shared_line, year=2014, planned=D("100"), delivered=D("60"), acting_user=u)
    actions.set_savings_amount(
        shared_line, year=2015, planned=D("50.01"), delivered=D("50.01"), acting_user=u
    )
    dropped = actions.create_savings_line(
        business_case=case,
        reference="drop",
        title="Dropped",
        service=partnership["shared"],
        lever="procurement",
        status="dropped",
        acting_user=u,
    )
    actions.set_line_shares(dropped, percentages={partnership["HAV"]: D("100")}, acting_user=u)
    actions.set_savings_amount(dropped, year=2016, planned=D("1000"), delivered=D("0"), acting_user=u)

    lines = lines_for(case, SavingsLine.objects.all())
    summary = summarise(case, lines)
    # Planned 100 + 50.01 + 7,000 (Newham's own) + 1,000 (dropped); delivered 60 + 50.01 + 7,000.
    assert (summary.total.planned, summary.total.delivered) == (D("8150.01"), D("7110.01"))
    # Undelivered on lines not dropped: shared line 150.01 - 110.01 = 40; Newham's 0.
    assert summary.remaining_identified == D("40.00")
    assert [(y, d, to_date, target) for y, d, to_date, target in summary.cumulative][:3] == [
        (2014, D("60"), D("60"), D("100")),
        (2015, D("7050.01"), D("7110.01"), D("300")),
        (2016, D("0"), D("7110.01"), D("300")),
    ]
    assert {label: (t.planned, t.delivered) for label, t in summary.by_lever} == {
        "Deduplication": (D("150.01"), D("110.01")),
        "Process efficiency": (D("7000"), D("7000")),
        "Procurement": (D("1000"), D("0")),
    }
    by_partner = {p.code if p else None: (t.planned, t.delivered) for p, t, _ in summary.by_partner}
    # The shared line's 150.01 planned splits 75.01 / 75.00; its 110.01 delivered 55.01 / 55.00.
    assert by_partner == {
        "NEW": (D("7075.01"), D("7055.01")),
        "HAV": (D("1075.00"), D("55.00")),
    }
    assert sum(t.planned for _, t, _ in summary.by_partner) == summary.total.planned

    # Havering's own view: its attributed share only, and no other partner in the by-partner table.
    hav = partnership["HAV"]
    mine = summarise(case, lines, visible_partners=frozenset({hav.pk}), only_partner=hav)
    assert (mine.total.planned, mine.total.delivered) == (D("1075.00"), D("55.00"))
    assert [p.code if p else None for p, _, _ in mine.by_partner] == ["HAV"]
    assert mine.remaining_identified == D("20.00")  # 75.00 - 55.00; the dropped line does not count


def test_the_summary_can_keep_to_a_range_of_years(case, shared_line, partnership):
    u = partnership["system"]
    for year in (2014, 2015, 2016):
        actions.set_savings_amount(shared_line, year=year, planned=D("10"), delivered=D("10"), acting_user=u)
    summary = summarise(case, lines_for(case, SavingsLine.objects.all()), first_year=2015, last_year=2015)
    assert summary.years == [2015]
    assert summary.total.delivered == D("10")
