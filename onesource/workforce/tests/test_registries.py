"""The cost drivers and the committee-report section the workforce registers with core."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from onesource.core.drivers import driver_quantities
from onesource.core.reporting import REPORT_SECTIONS

D = dt.date


def test_headcount_driver_weights_people_by_time_split(workforce):
    new, hav = workforce["NEW"], workforce["HAV"]
    # 2015/16: Ann (NEW, 60% HAV / 40% NEW) and Dan (HAV) at start and end.
    quantities = driver_quantities("headcount", workforce["shared"], D(2015, 4, 1), D(2016, 3, 31))
    assert quantities == {hav.pk: Decimal("1.6000"), new.pk: Decimal("0.4000")}


def test_time_allocation_driver_is_fte_in_the_services_posts(workforce):
    new, hav = workforce["NEW"], workforce["HAV"]
    # Internal Audit, 2014/15: start Ann 1.0 (NEW, no split yet) + Bob 0.5 (HAV); end Ann 1.0 + Dan 1.0 (HAV).
    quantities = driver_quantities("time_allocation", workforce["shared"], D(2014, 4, 1), D(2015, 3, 31))
    assert quantities == {new.pk: Decimal("1.0000"), hav.pk: Decimal("0.7500")}
    # Schools finance (NEW's own): Cat 1.0 at both ends.
    assert driver_quantities("time_allocation", workforce["own"], D(2014, 4, 1), D(2015, 3, 31)) == {
        new.pk: Decimal("1.0000")
    }


def test_report_section_for_a_partner_and_none_without_workforce(workforce):
    section = REPORT_SECTIONS["workforce"]
    assert section.title == "Workforce" and section.order == 40
    content = section.build(workforce["NEW"], D(2014, 4, 1), D(2015, 3, 31), None)
    assert content is not None
    assert content.template == "workforce/report_section.html"
    period = content.context["period"]
    # NEW employs Ann and Cat throughout the year.
    assert (period.at_start.headcount, period.at_end.headcount) == (2, 2)
    assert content.context["agency_reduction"] == 0
    assert [chart.title for chart in content.charts][1] == "Agency and interim staff"
    assert section.build(workforce["BEX"], D(2014, 4, 1), D(2015, 3, 31), None) is None


def test_the_cached_drivers_answer_as_each_service_computed_alone(workforce):
    from onesource.workforce.drivers import served_on
    from onesource.workforce.figures import WorkforceFigures

    ids = {code: workforce[code].pk for code in ("NEW", "HAV")}
    for day in (D(2014, 4, 1), D(2014, 12, 31), D(2015, 3, 31), D(2015, 6, 1)):
        served = served_on(day)
        whole = WorkforceFigures().partner_served(day)
        assert served.headcount == {ids[c]: v["headcount"] for c, v in whole.items() if v["headcount"]}
        for service in (workforce["shared"], workforce["own"]):
            alone = WorkforceFigures(service=service).partner_served(day)
            expected = {ids[c]: v["fte"] for c, v in alone.items() if v["fte"]}
            got = {p: v for p, v in served.fte_by_service.get(service.pk, {}).items() if v}
            assert got == expected


def test_a_change_to_the_workforce_changes_the_cached_drivers(workforce):
    from onesource.workforce import actions

    new, hav = workforce["NEW"], workforce["HAV"]
    period = (D(2015, 4, 1), D(2016, 3, 31))
    assert driver_quantities("headcount", workforce["shared"], *period) == {
        hav.pk: Decimal("1.6000"),
        new.pk: Decimal("0.4000"),
    }
    eve = actions.create_employee(
        staff_number="E5",
        first_name="Eve",
        last_name="Example",
        employing_partner=new,
        started_on=D(2015, 1, 1),
        acting_user=workforce["system"],
    )
    # Eve is there at both ends of the year: Newham's average headcount goes up by one.
    assert driver_quantities("headcount", workforce["shared"], *period) == {
        hav.pk: Decimal("1.6000"),
        new.pk: Decimal("1.4000"),
    }
    actions.add_assignment(
        eve,
        post=workforce["posts"]["S"],
        fte=Decimal("0.50"),
        starts_on=D(2015, 4, 1),
        acting_user=workforce["system"],
    )
    assert driver_quantities("time_allocation", workforce["shared"], *period)[new.pk] == Decimal("0.9000")
