"""What costing offers other apps (service shares, the finance report section, drivers); its audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from auditlog.models import LogEntry

from onesource.core.drivers import driver_quantities
from onesource.core.reporting import REPORT_SECTIONS
from onesource.core.shares import service_shares
from onesource.costing import actions
from onesource.costing.models import BudgetLine


def test_service_shares_come_from_the_agreement(costing):
    shares = service_shares(costing["shared"], 2017)
    assert shares == {
        costing["NEW"].pk: Decimal("0.43"),
        costing["HAV"].pk: Decimal("0.42"),
        costing["BEX"].pk: Decimal("0.15"),
    }
    assert service_shares(costing["shared"], 2030) is None


def test_finance_report_section_gives_the_partners_share_with_a_chart(costing, sign_off_all):
    section = REPORT_SECTIONS["finance"]
    assert (section.title, section.order) == ("Finance", 50)
    start, end = dt.date(2017, 4, 1), dt.date(2018, 3, 31)
    assert section.build(costing["HAV"], start, end, None) is None  # no approved run yet
    u = costing["system"]
    sign_off_all(actions.create_recharge_run(year=2017, acting_user=u))
    content = section.build(costing["HAV"], start, end, None)
    assert content is not None
    row = content.context["rows"][0]
    assert (row["year"], row["budget"], row["shared_variance"]) == (
        "2017/18",
        Decimal("42000"),
        Decimal("-4200"),
    )
    assert content.charts[0].labels == ["2017/18"]
    assert "<svg" in content.charts[0].to_svg()


def test_caseload_driver_counts_the_period_asked_for(costing):
    u = costing["system"]
    for month, quantity in ((1, 10), (6, 20), (11, 40)):
        actions.create_driver_quantity(
            kind="caseload",
            service=costing["shared"],
            partner=costing["NEW"],
            year=2017,
            month=month,
            quantity=Decimal(quantity),
            acting_user=u,
        )
    # April to September 2017 are financial months 1 to 6: 10 + 20.
    assert driver_quantities("caseload", costing["shared"], dt.date(2017, 4, 1), dt.date(2017, 9, 30)) == {
        costing["NEW"].pk: Decimal("30.00")
    }


def test_changes_are_in_the_audit_trail_with_the_actor(costing, make_user):
    from onesource.core.roles import Role

    finance = make_user(Role.FINANCE_OFFICER, "NEW")
    line = actions.create_budget_line(
        service=costing["shared"], year=2018, amount=Decimal("10.00"), acting_user=finance
    )
    actions.update_budget_line(line, amount=Decimal("12.50"), acting_user=finance)
    entries = LogEntry.objects.get_for_object(BudgetLine.objects.get(pk=line.pk)).order_by("timestamp")
    assert [e.actor for e in entries] == [finance, finance]
    assert entries.last().changes_dict["amount"] == ["10.00", "12.50"]


def test_service_shares_follow_a_change_to_the_agreement(costing):
    from onesource.core.shares import YearShares
    from onesource.costing.models import Agreement

    audit = costing["shared"]
    assert service_shares(audit, 2017) is not None  # now cached
    agreement = Agreement.objects.get(service=audit, year=2017)
    actions.update_agreement(
        agreement,
        shares={costing["NEW"]: "50", costing["HAV"]: "50"},
        pro_rata=False,
        acting_user=costing["system"],
    )
    halves = {costing["NEW"].pk: Decimal("0.5"), costing["HAV"].pk: Decimal("0.5")}
    assert service_shares(audit, 2017) == halves
    # The whole year at once gives the same, and nothing for a service with no agreement.
    year = YearShares(2017, [audit.pk, costing["own"].pk])
    assert year.get(audit) == halves
    assert year.get(costing["own"]) is None
