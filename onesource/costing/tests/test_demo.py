"""The costing demo: the published 2017/18 apportionment, Bexley's pro rata year, runs and their status."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from onesource.core.demo import build_demo
from onesource.costing.models import RechargeRun, RunStatus


@pytest.mark.django_db
def test_demo_reproduces_the_2017_18_underspend_split_and_the_run_history():
    build_demo(log=lambda _: None)
    run = RechargeRun.objects.get(year=2017, is_estimate=False)
    assert run.status == RunStatus.APPROVED
    variances = dict(
        run.charges.values("partner__code")
        .annotate(v=Sum("variance_share"))
        .values_list("partner__code", "v")
    )
    # The shared underspend of £1.342m: Havering £0.630m, Newham £0.649m, Bexley £0.063m.
    assert {code: Decimal(v).quantize(Decimal("0.01")) for code, v in variances.items()} == {
        "HAV": Decimal("-630000.00"),
        "NEW": Decimal("-649000.00"),
        "BEX": Decimal("-63000.00"),
    }
    # Finance 43/42/15 while Bexley was a member; in 2020/21 pro rata to 31 July (122 of 365 days).
    bexley_2020 = RechargeRun.objects.get(year=2020).charges.get(
        partner__code="BEX", service__code="internal-audit"
    )
    assert (bexley_2020.percent, bexley_2020.days, bexley_2020.period_days) == (Decimal("15"), 122, 365)
    assert (
        not RechargeRun.objects.get(year=2021, is_estimate=False).charges.filter(partner__code="BEX").exists()
    )
    # Approved runs for past years, a draft for the current one; every run reconciles to the penny.
    finals = RechargeRun.objects.filter(is_estimate=False).exclude(status=RunStatus.SUPERSEDED)
    assert {r.year: r.status for r in finals} == {
        **{year: RunStatus.APPROVED for year in range(2014, 2022)},
        2022: RunStatus.DRAFT,
    }
    assert all(r.check_in == r.check_out for r in RechargeRun.objects.all())
    correction = RechargeRun.objects.get(year=2019, version=2)
    assert correction.previous is not None and correction.previous.status == RunStatus.SUPERSEDED
    assert {c["service"] for c in correction.changes} == {"legal"}
    # 2021/22's final run trues up the approved 9-month estimate.
    final_2021 = RechargeRun.objects.get(year=2021, is_estimate=False)
    assert final_2021.estimate is not None and final_2021.charges.filter(reset__isnull=False).exists()


@pytest.mark.django_db
def test_demo_runs_are_built_by_finance_lead_and_signed_by_each_council():
    import io

    from django.core.management import call_command

    from onesource.costing.models import SignOffDecision

    build_demo(log=lambda _: None)
    assert set(RechargeRun.objects.values_list("created_by__username", flat=True)) == {"finance-lead"}
    # Approved years carry every member's sign-off, by that council's own finance officer.
    for run in RechargeRun.objects.filter(status=RunStatus.APPROVED):
        for sign_off in run.sign_offs.select_related("partner", "decided_by"):
            assert sign_off.decision == SignOffDecision.SIGNED
            assert sign_off.decided_by.username == f"{sign_off.partner.code.lower()}-finance"
    # 2022/23 is a draft waiting for Havering's and Newham's finance officers.
    draft = RechargeRun.objects.get(year=2022, status=RunStatus.DRAFT)
    assert {s.partner.code: s.decision for s in draft.sign_offs.select_related("partner")} == {
        "HAV": SignOffDecision.WAITING,
        "NEW": SignOffDecision.WAITING,
    }
    out = io.StringIO()
    call_command("costing", "runs", "--as", "hav-officer", stdout=out)
    for run in RechargeRun.objects.all():
        assert f"{run.check_out:,.2f}" not in out.getvalue()
    assert "Your share" in out.getvalue()
