"""`onesource costing run` and `onesource costing approve`, acting as a named user."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from onesource.core.roles import Role
from onesource.costing import actions
from onesource.costing.models import RechargeRun, RunStatus


def test_build_sign_off_and_approve_a_run_from_the_command_line(costing, make_user):
    make_user(Role.SHARED_SERVICE_FINANCE, username="finance-lead")
    for code in ("NEW", "HAV", "BEX"):
        make_user(Role.FINANCE_OFFICER, code, username=f"{code.lower()}-finance")
    out = io.StringIO()
    with pytest.raises(CommandError, match="Only shared-service finance"):
        call_command(
            "costing", "run", "--year", "2017", "--as", "hav-finance", stdout=out, stderr=io.StringIO()
        )
    call_command("costing", "run", "--year", "2017", "--as", "finance-lead", stdout=out, stderr=io.StringIO())
    run = RechargeRun.objects.get()
    assert f"Run {run.pk}:" in out.getvalue()
    assert run.status == RunStatus.DRAFT
    assert run.created_by is not None and run.created_by.username == "finance-lead"
    with pytest.raises(CommandError, match="waiting for"):
        call_command("costing", "approve", str(run.pk), "--as", "finance-lead", stdout=out)
    with pytest.raises(CommandError, match="No such run or partner"):
        call_command(
            "costing", "sign-off", str(run.pk), "--partner", "NEW", "--as", "hav-finance", stdout=out
        )
    for code in ("HAV", "NEW", "BEX"):
        call_command(
            "costing",
            "sign-off",
            str(run.pk),
            "--partner",
            code,
            "--as",
            f"{code.lower()}-finance",
            stdout=out,
        )
    assert "the run is approved" in out.getvalue()
    assert RechargeRun.objects.get().status == RunStatus.APPROVED
    with pytest.raises(CommandError, match="cannot change"):
        call_command(
            "costing", "sign-off", str(run.pk), "--partner", "HAV", "--as", "hav-finance", stdout=out
        )


def test_runs_listing_gives_a_partner_user_its_share_and_no_partnership_total(costing, make_user):
    make_user(Role.PARTNER_OFFICER, "HAV", username="hav-officer")
    make_user(Role.SHARED_SERVICE_FINANCE, username="finance-lead")
    actions.create_recharge_run(year=2017, acting_user=costing["system"])
    out = io.StringIO()
    call_command("costing", "runs", "--as", "hav-officer", stdout=out)
    assert "Your share" in out.getvalue() and "37,800.00" in out.getvalue()
    assert "102,000.00" not in out.getvalue() and "102000" not in out.getvalue()
    out = io.StringIO()
    call_command("costing", "runs", "--as", "finance-lead", stdout=out)
    assert "Charged in all" in out.getvalue() and "102,000.00" in out.getvalue()


def test_a_statement_is_rejected_from_the_command_line(costing, make_user):
    make_user(Role.FINANCE_OFFICER, "HAV", username="hav-finance")
    run = actions.create_recharge_run(year=2017, acting_user=make_user(Role.SHARED_SERVICE_FINANCE))
    out = io.StringIO()
    call_command(
        "costing",
        "reject",
        str(run.pk),
        "--partner",
        "HAV",
        "--reason",
        "Days wrong",
        "--as",
        "hav-finance",
        stdout=out,
    )
    assert "cannot be approved" in out.getvalue()
    assert run.sign_offs.get(partner__code="HAV").decision == "rejected"


def test_the_command_refuses_users_without_finance_roles(costing, make_user):
    make_user(Role.PARTNER_OFFICER, "HAV", username="hav-officer")
    with pytest.raises(CommandError):
        call_command(
            "costing", "run", "--year", "2017", "--estimate", "--as", "hav-officer", stderr=io.StringIO()
        )
    with pytest.raises(CommandError, match="No active user"):
        call_command("costing", "run", "--year", "2017", "--as", "nobody")
    assert not RechargeRun.objects.exists()
