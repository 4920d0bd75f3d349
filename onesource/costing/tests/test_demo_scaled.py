"""The scaled costing demo (benchmarks) on a small scale: it loads, and a recharge run over it reconciles."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.db.models import Sum

from onesource.core.demo import DemoContext
from onesource.costing import actions
from onesource.costing.demo_scaled import SCALE_YEAR, build_costing_at_scale, front_line_code
from onesource.costing.models import RechargeCharge, SupportUsage, TimeEntry


@pytest.fixture
def scaled(partnership):
    ctx = DemoContext(
        scale=3,
        rng=random.Random(7),
        system_user=partnership["system"],
        log=lambda message: None,
        partners={code: partnership[code] for code in ("NEW", "HAV", "BEX")},
    )
    build_costing_at_scale(ctx, pools=12, services=6, time_entries=3_000)
    return ctx


def test_scaled_demo_loads_time_entries_and_usage(scaled):
    assert TimeEntry.objects.dangerously_unscoped().count() == 3_000
    assert TimeEntry.objects.dangerously_unscoped().filter(date__year__lt=SCALE_YEAR).count() == 0
    # Each of 12 pools serves 5 other pools and all 6 front-line services (fewer than 20 exist).
    assert SupportUsage.objects.dangerously_unscoped().count() == 12 * (5 + 6)


def test_a_recharge_run_over_the_scaled_data_reconciles_and_splits_by_time(scaled):
    run = actions.create_recharge_run(
        year=SCALE_YEAR, support_method="reciprocal", acting_user=scaled.system_user
    )
    assert run.check_in == run.check_out
    service = front_line_code(0)
    hours = dict(
        TimeEntry.objects.dangerously_unscoped()
        .filter(service__code=service)
        .values_list("partner__code")
        .annotate(total=Sum("hours"))
    )
    charges = RechargeCharge.objects.dangerously_unscoped().filter(run=run, service__code=service)
    total_hours = sum(hours.values(), Decimal(0))
    for charge in charges:
        if charge.partner.code in hours:
            assert charge.driver_quantity == hours[charge.partner.code]
            assert abs(charge.computed_fraction - hours[charge.partner.code] / total_hours) < Decimal("1e-9")


def test_the_step_runs_only_from_the_benchmark_scale(partnership, monkeypatch):
    from onesource.costing import demo_scaled

    calls = []
    monkeypatch.setattr(demo_scaled, "build_costing_at_scale", lambda ctx, **sizes: calls.append(sizes))
    for scale in (1, 15, 50, 100):
        ctx = DemoContext(scale=scale, rng=random.Random(1), system_user=partnership["system"], log=print)
        demo_scaled.costing_at_scale(ctx)
    assert calls == [
        {"pools": 2_000, "services": 200, "time_entries": 10_000_000},
        {"pools": 4_000, "services": 400, "time_entries": 20_000_000},
    ]


def test_the_benchmarks_bare_computation_agrees_with_the_run(scaled):
    # The benchmark compares the run with a bare SQL + numpy version of the same arithmetic; check that
    # the two compute the same charges, so the comparison is like for like.
    from bench.bench_costing import bare_recharge

    run = actions.create_recharge_run(
        year=SCALE_YEAR, support_method="reciprocal", acting_user=scaled.system_user
    )
    bare = bare_recharge(SCALE_YEAR)
    assert bare
    ours = {
        (c.service_id, c.partner_id): c.budget_share + c.variance_share
        for c in RechargeCharge.objects.dangerously_unscoped().filter(run=run)
    }
    for key, amount in bare.items():
        assert abs(float(ours[key]) - amount) < 0.02, key
