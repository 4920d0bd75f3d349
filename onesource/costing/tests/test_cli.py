"""`onesource costing run` and `onesource costing approve`, acting as a named user."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from onesource.core.roles import Role
from onesource.costing.models import RechargeRun, RunStatus


def test_build_and_approve_a_run_from_the_command_line(costing, make_user):
    make_user(Role.FINANCE_OFFICER, "HAV", username="hav-finance")
    out = io.StringIO()
    call_command("costing", "run", "--year", "2017", "--as", "hav-finance", stdout=out, stderr=io.StringIO())
    run = RechargeRun.objects.get()
    assert f"Run {run.pk}:" in out.getvalue()
    assert run.status == RunStatus.DRAFT
    assert run.created_by is not None and run.created_by.username == "hav-finance"
    call_command("costing", "approve", str(run.pk), "--as", "hav-finance", stdout=out)
    assert RechargeRun.objects.get().status == RunStatus.APPROVED
    with pytest.raises(CommandError, match="no longer a draft"):
        call_command("costing", "approve", str(run.pk), "--as", "hav-finance", stdout=out)


def test_the_command_refuses_users_without_finance_roles(costing, make_user):
    make_user(Role.PARTNER_OFFICER, "HAV", username="hav-officer")
    with pytest.raises(CommandError):
        call_command(
            "costing", "run", "--year", "2017", "--estimate", "--as", "hav-officer", stderr=io.StringIO()
        )
    with pytest.raises(CommandError, match="No active user"):
        call_command("costing", "run", "--year", "2017", "--as", "nobody")
    assert not RechargeRun.objects.exists()
