"""The recharge run: shares by formula and driver, pro rata, variances, support services, true-ups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from onesource.core import actions as core_actions
from onesource.core.drivers import DRIVER_PROVIDERS
from onesource.core.roles import Role
from onesource.costing import actions
from onesource.costing.models import Agreement, RechargeCharge
from onesource.costing.recharge import period_bounds, split_to_penny

D = Decimal


def charges_by(run, field="total"):
    return {
        (c.partner.code, c.service.code): getattr(c, field)
        for c in run.charges.select_related("partner", "service")
    }


def partner_totals(run):
    totals: dict[str, Decimal] = {}
    for c in run.charges.select_related("partner"):
        totals[c.partner.code] = totals.get(c.partner.code, D(0)) + c.total
    return totals


def test_split_to_penny_by_largest_remainder():
    # 100.00 in thirds: 33.333… each; the one spare penny goes to the first key (ties by key order).
    assert split_to_penny(D("100.00"), {"a": D(1), "b": D(1), "c": D(1)}) == {
        "a": D("33.34"),
        "b": D("33.33"),
        "c": D("33.33"),
    }
    # An underspend splits the same way, signs kept: -10.00 by 2:1 is -6.666… / -3.333….
    assert split_to_penny(D("-10.00"), {"x": D(2), "y": D(1)}) == {"x": D("-6.67"), "y": D("-3.33")}
    # 0.05 by 43/42/15: 2.15p, 2.10p, 0.75p -> floors 2, 2, 0 and the remainders .75 > .15 > .10.
    assert split_to_penny(D("0.05"), {"NEW": D(43), "HAV": D(42), "BEX": D(15)}) == {
        "NEW": D("0.02"),
        "HAV": D("0.02"),
        "BEX": D("0.01"),
    }


def test_period_bounds_to_a_month():
    assert period_bounds(2017, None) == (dt.date(2017, 4, 1), dt.date(2018, 3, 31))
    assert period_bounds(2017, 9) == (dt.date(2017, 4, 1), dt.date(2017, 12, 31))
    assert period_bounds(2017, 11) == (dt.date(2017, 4, 1), dt.date(2018, 2, 28))


def test_formula_split_with_shared_and_non_shared_variance(costing):
    run = actions.create_recharge_run(year=2017, acting_user=costing["system"])
    totals = charges_by(run)
    # Audit: budget 100,000 split 43/42/15 = 43,000 / 42,000 / 15,000; the 10,000 underspend likewise.
    assert charges_by(run, "budget_share")[("NEW", "audit")] == D("43000.00")
    assert charges_by(run, "variance_share") == {
        ("NEW", "audit"): D("-4300.00"),
        ("HAV", "audit"): D("-4200.00"),
        ("BEX", "audit"): D("-1500.00"),
        ("NEW", "schools"): D("0.00"),
    }
    assert totals[("BEX", "audit")] == D("13500.00")
    # Schools is Newham's own: its 2,000 overspend stays with Newham, nobody else is charged for it.
    assert charges_by(run, "nonshared_variance")[("NEW", "schools")] == D("2000.00")
    assert totals[("NEW", "schools")] == D("12000.00")
    assert ("HAV", "schools") not in totals
    # Everything that went in (the actuals, 90,000 + 12,000) came out, to the penny.
    assert run.check_in == run.check_out == D("102000.00")
    assert sum(totals.values()) == D("102000.00")


def test_pro_rata_for_a_partner_that_leaves_mid_year(costing):
    u = costing["system"]
    audit = costing["shared"]
    agreement = Agreement.objects.get(service=audit, year=2017)
    actions.update_agreement(agreement, year=2020, acting_user=u)
    actions.create_budget_line(service=audit, year=2020, amount=D("365000.00"), acting_user=u)
    actions.create_actual_line(service=audit, year=2020, amount=D("365000.00"), acting_user=u)
    run = actions.create_recharge_run(year=2020, acting_user=u)
    charges = {c.partner.code: c for c in run.charges.select_related("partner")}
    # Bexley's coverage ends 31 July 2020: 122 of 365 days. Weights 43, 42 and 15 x 122/365 = 1830/365,
    # total 32855/365. Bexley: 365,000 x 1830/32855 = 20,330.2389; Newham 365,000 x 43 x 365/32855 =
    # 174,362.3497; Havering 170,307.4114. Rounded, they already add up to 365,000.00.
    assert charges["BEX"].days == 122
    assert charges["BEX"].period_days == 365
    assert charges["NEW"].days == 365
    assert charges["BEX"].total == D("20330.24")
    assert charges["NEW"].total == D("174362.35")
    assert charges["HAV"].total == D("170307.41")
    assert sum(c.total for c in charges.values()) == D("365000.00")


def test_agreement_percentages_must_add_up_to_100(costing):
    u = costing["system"]
    with pytest.raises(ValidationError) as error:
        actions.create_agreement(
            service=costing["shared"],
            year=2018,
            basis="formula",
            shares={costing["NEW"]: "50", costing["HAV"]: "49.5"},
            acting_user=u,
        )
    assert "add up to 99.5" in str(error.value)
    assert not Agreement.objects.filter(year=2018).exists()
    with pytest.raises(ValidationError, match="already has an agreement"):
        actions.create_agreement(
            service=costing["shared"], year=2017, basis="formula", shares={costing["NEW"]: 100}, acting_user=u
        )


def test_caseload_and_time_recorded_drivers(costing):
    u = costing["system"]
    audit = costing["shared"]
    agreement = Agreement.objects.get(service=audit, year=2017)
    actions.update_agreement(agreement, basis="caseload", acting_user=u)
    for partner, count in ((costing["NEW"], 250), (costing["HAV"], 50)):
        actions.create_driver_quantity(
            kind="caseload",
            service=audit,
            partner=partner,
            year=2017,
            month=3,
            quantity=D(count),
            acting_user=u,
        )
        actions.create_driver_quantity(
            kind="caseload",
            service=audit,
            partner=partner,
            year=2017,
            month=9,
            quantity=D(count),
            acting_user=u,
        )
    run = actions.create_recharge_run(year=2017, acting_user=u)
    # 500 of 600 cases are Newham's: 5/6 of 90,000 = 75,000; Havering 15,000; Bexley had none.
    assert charges_by(run)[("NEW", "audit")] == D("75000.00")
    assert charges_by(run)[("HAV", "audit")] == D("15000.00")
    assert charges_by(run, "driver_quantity")[("NEW", "audit")] == D("500")
    assert ("BEX", "audit") not in charges_by(run)

    actions.update_agreement(agreement, basis="time_recorded", acting_user=u)
    for day, partner, hours in ((1, "NEW", "7.5"), (2, "HAV", "7.5"), (3, "HAV", "15")):
        actions.create_time_entry(
            person="A1",
            partner=costing[partner],
            service=audit,
            date=dt.date(2017, 6, day),
            hours=D(hours),
            acting_user=u,
        )
    # Outside the year: not counted.
    actions.create_time_entry(
        person="A1",
        partner=costing["NEW"],
        service=audit,
        date=dt.date(2018, 6, 1),
        hours=D(8),
        acting_user=u,
    )
    run = actions.create_recharge_run(year=2017, acting_user=u)
    # 7.5 of 30 hours are Newham's: a quarter of 90,000.
    assert charges_by(run)[("NEW", "audit")] == D("22500.00")
    assert charges_by(run)[("HAV", "audit")] == D("67500.00")


def test_a_driver_no_app_provides_is_a_clear_message(costing, monkeypatch):
    monkeypatch.delitem(DRIVER_PROVIDERS, "headcount", raising=False)
    agreement = Agreement.objects.get(service=costing["shared"], year=2017)
    actions.update_agreement(agreement, basis="headcount", acting_user=costing["system"])
    with pytest.raises(ValidationError) as error:
        actions.create_recharge_run(year=2017, acting_user=costing["system"])
    message = " ".join(error.value.messages)
    assert "'headcount'" in message and "no app provides it" in message
    assert not RechargeCharge.objects.exists()


def test_a_year_without_lines_is_refused(costing):
    with pytest.raises(ValidationError, match="no budget or actual lines for 2030/31"):
        actions.create_recharge_run(year=2030, acting_user=costing["system"])


def test_shared_costs_without_an_agreement_are_refused(costing):
    actions.create_budget_line(
        service=costing["shared"], year=2019, amount=D("10.00"), acting_user=costing["system"]
    )
    with pytest.raises(ValidationError, match="no agreement"):
        actions.create_recharge_run(year=2019, acting_user=costing["system"])


def test_support_service_is_allocated_to_front_line_services_first(costing, make_user, client_for):
    u = costing["system"]
    ict = core_actions.create_service(
        area=costing["area"], code="ict", name="ICT for the service", acting_user=u
    )
    actions.create_agreement(
        service=ict, year=2017, basis="formula", is_support=True, support_method="direct", acting_user=u
    )
    actions.create_budget_line(service=ict, year=2017, amount=D("30000.00"), acting_user=u)
    actions.create_actual_line(service=ict, year=2017, amount=D("30000.00"), acting_user=u)
    # ICT is used 2:1 by Audit and Schools: 20,000 goes to Audit, 10,000 to Schools.
    actions.set_support_usage(
        year=2017, support_service=ict, user_service=costing["shared"], quantity=D(2), acting_user=u
    )
    actions.set_support_usage(
        year=2017, support_service=ict, user_service=costing["own"], quantity=D(1), acting_user=u
    )
    # Schools has no shared lines of its own, so its received ICT cost needs an agreement too.
    actions.create_agreement(
        service=costing["own"], year=2017, basis="formula", shares={costing["NEW"]: 100}, acting_user=u
    )
    run = actions.create_recharge_run(year=2017, acting_user=u)
    costs = {c.service.code: c for c in run.service_costs.select_related("service")}
    assert run.method_used == "direct"
    assert costs["audit"].budget_support == D("20000.00")
    assert costs["audit"].support_from == {"ict": {"budget": "20000.00", "actual": "20000.00"}}
    assert costs["own" if "own" in costs else "schools"].actual_support == D("10000.00")
    # Audit now costs 110,000 actual: Bexley pays 15% = 16,500.
    assert charges_by(run)[("BEX", "audit")] == D("16500.00")
    assert ("NEW", "ict") not in charges_by(run)
    assert run.check_in == run.check_out == D("132000.00")
    # The run's page names the support service, not its code, and says how it was allocated.
    page = client_for(make_user(Role.SHARED_SERVICE_MANAGER)).get(f"/costing/runs/{run.pk}/").content.decode()
    assert 'support_service=ict">ICT for the service</a>' in page
    assert "Direct" in page


def test_income_on_a_front_line_service_does_not_stop_the_support_allocation(costing):
    u = costing["system"]
    ict = core_actions.create_service(area=costing["area"], code="ict", name="ICT", acting_user=u)
    actions.create_agreement(
        service=ict, year=2017, basis="formula", is_support=True, support_method="reciprocal", acting_user=u
    )
    actions.create_actual_line(service=ict, year=2017, amount=D("500.00"), acting_user=u)
    actions.set_support_usage(
        year=2017, support_service=ict, user_service=costing["shared"], quantity=D(1), acting_user=u
    )
    # Income larger than the audit budget: the service's own figure is negative.
    actions.create_budget_line(service=costing["shared"], year=2017, amount=D("-150000.00"), acting_user=u)
    run = actions.create_recharge_run(year=2017, acting_user=u)
    audit = run.service_costs.get(service=costing["shared"])
    assert audit.budget_total == D("-50000.00")
    assert audit.actual_support == D("500.00")
    assert run.check_in == run.check_out == D("102500.00")


def test_a_run_to_a_month_counts_whole_year_lines_pro_rata(costing):
    u = costing["system"]
    actions.create_actual_line(
        service=costing["shared"], year=2017, month=10, amount=D("999.00"), acting_user=u
    )
    run = actions.create_recharge_run(year=2017, up_to_month=6, acting_user=u)
    # Six months of the year: half of each whole-year line; the January line is after the period.
    assert run.period_label == "2017/18 to September"
    assert run.check_in == D("45000.00") + D("6000.00")


def test_true_up_keeps_an_estimate_within_tolerance(costing, sign_off_all):
    u = costing["system"]
    audit = costing["shared"]
    agreement = Agreement.objects.get(service=audit, year=2017)
    actions.update_agreement(agreement, basis="caseload", tolerance_percent=D("3"), acting_user=u)
    counts = {}
    for code, count in (("NEW", 300), ("HAV", 100)):
        counts[code] = actions.create_driver_quantity(
            kind="caseload",
            service=audit,
            partner=costing[code],
            year=2017,
            month=1,
            quantity=D(count),
            acting_user=u,
        )
    estimate = actions.create_recharge_run(year=2017, is_estimate=True, acting_user=u)
    sign_off_all(estimate)
    # Newham's share moves from 75% to 306/406 = 75.37%: 0.5% of its estimate, inside the 3% tolerance.
    actions.update_driver_quantity(counts["NEW"], quantity=D(306), acting_user=u)
    final = actions.create_recharge_run(year=2017, acting_user=u)
    assert final.estimate == estimate
    new = final.charges.get(partner__code="NEW", service=audit)
    assert new.reset is False
    assert new.fraction == D("0.75")
    assert new.total == D("67500.00")
    # Now 400/500 = 80%: 6.7% above the estimate, so both partners' shares are re-set to the new figures.
    actions.update_driver_quantity(counts["NEW"], quantity=D(400), acting_user=u)
    final = actions.create_recharge_run(year=2017, acting_user=u)
    new = final.charges.get(partner__code="NEW", service=audit)
    assert new.reset is True
    assert new.total == D("72000.00")
    assert final.charges.get(partner__code="HAV", service=audit).total == D("18000.00")


def test_only_finance_roles_build_runs(costing, make_user):
    from onesource.core.roles import Role

    officer = make_user(Role.PARTNER_OFFICER, "HAV")
    with pytest.raises(ValidationError, match="finance officer"):
        actions.create_recharge_run(year=2017, acting_user=officer)
