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
