"""A run's life: draft, approval by a finance officer, immutability, corrections as versions."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from onesource.core.models import Event
from onesource.core.roles import Role
from onesource.costing import actions
from onesource.costing.models import BudgetLine, RechargeRun, RunStatus


def test_approval_makes_a_run_immutable(costing, make_user):
    finance = make_user(Role.FINANCE_OFFICER, "HAV")
    run = actions.create_recharge_run(year=2017, acting_user=finance)
    assert run.status == RunStatus.DRAFT
    actions.update_run_note(run, note="Checked against the ledger", acting_user=finance)
    approved = actions.approve_run(run, acting_user=finance)
    assert approved.status == RunStatus.APPROVED
    assert approved.approved_by == finance
    assert Event.objects.filter(name="recharge_run.approved", object_pk=str(run.pk)).exists()
    with pytest.raises(ValidationError, match="cannot change"):
        actions.update_run_note(approved, note="Changed afterwards", acting_user=finance)
    with pytest.raises(ValidationError, match="cannot change"):
        actions.delete_draft_run(approved, acting_user=finance)
    with pytest.raises(ValidationError, match="no longer a draft"):
        actions.approve_run(approved, acting_user=finance)
    assert RechargeRun.objects.get(pk=run.pk).note == "Checked against the ledger"
    # Even code that bypasses the actions cannot save over an approved run.
    stale = RechargeRun.objects.get(pk=run.pk)
    stale.note = "Edited directly"
    with pytest.raises(ValidationError, match="cannot change"):
        stale.save()


def test_only_a_finance_officer_approves(costing, make_user):
    run = actions.create_recharge_run(year=2017, acting_user=costing["system"])
    manager = make_user(Role.SHARED_SERVICE_MANAGER)
    with pytest.raises(ValidationError, match="Only a finance officer"):
        actions.approve_run(run, acting_user=manager)
    assert RechargeRun.objects.get(pk=run.pk).status == RunStatus.DRAFT


def test_a_correction_is_a_new_version_recording_what_changed(costing, make_user):
    finance = make_user(Role.FINANCE_OFFICER, "NEW")
    first = actions.approve_run(
        actions.create_recharge_run(year=2017, acting_user=finance), acting_user=finance
    )
    # A late invoice: the audit actual goes up by 1,000.00.
    actions.create_actual_line(
        service=costing["shared"],
        year=2017,
        amount=Decimal("1000.00"),
        description="Late",
        acting_user=finance,
    )
    second = actions.create_recharge_run(year=2017, acting_user=finance)
    assert second.version == 2
    assert second.previous == first
    # 1,000 split 43/42/15: each partner's audit charge moved; schools did not.
    assert second.changes == [
        {"partner": "BEX", "service": "audit", "before": "13500.00", "after": "13650.00", "change": "150.00"},
        {"partner": "HAV", "service": "audit", "before": "37800.00", "after": "38220.00", "change": "420.00"},
        {"partner": "NEW", "service": "audit", "before": "38700.00", "after": "39130.00", "change": "430.00"},
    ]
    actions.approve_run(second, acting_user=finance)
    assert RechargeRun.objects.get(pk=first.pk).status == RunStatus.SUPERSEDED
    # The approved first version still says what it said.
    assert first.charges.get(partner__code="NEW", service__code="audit").total == Decimal("38700.00")
    assert BudgetLine.objects.count() == 2


def test_a_stale_second_approval_fails(costing, make_user):
    """Two officers open the same draft; both press approve. The second finds it is no longer a draft."""
    run = actions.create_recharge_run(year=2017, acting_user=costing["system"])
    one, two = make_user(Role.FINANCE_OFFICER, "NEW"), make_user(Role.FINANCE_OFFICER, "HAV")
    seen_by_one, seen_by_two = RechargeRun.objects.get(pk=run.pk), RechargeRun.objects.get(pk=run.pk)
    actions.approve_run(seen_by_one, acting_user=one)
    with pytest.raises(ValidationError, match="already approved"):
        actions.approve_run(seen_by_two, acting_user=two)
    assert RechargeRun.objects.get(pk=run.pk).approved_by == one
    assert Event.objects.filter(name="recharge_run.approved").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database for real concurrency")
def test_two_approvals_at_the_same_moment_only_one_succeeds(costing, make_user):
    run = actions.create_recharge_run(year=2017, acting_user=costing["system"])
    officers = [make_user(Role.FINANCE_OFFICER, "NEW"), make_user(Role.FINANCE_OFFICER, "HAV")]
    from onesource.core.scoping import scope_for

    for officer in officers:
        scope_for(officer)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(officer):
        try:
            barrier.wait()
            actions.approve_run(run, acting_user=officer)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(o,)) for o in officers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert Event.objects.filter(name="recharge_run.approved").count() == 1


def test_approving_a_later_version_supersedes_an_older_draft(costing):
    u = costing["system"]
    older = actions.create_recharge_run(year=2017, acting_user=u)
    newer = actions.create_recharge_run(year=2017, acting_user=u)
    actions.approve_run(newer, acting_user=u)
    assert RechargeRun.objects.get(pk=older.pk).status == RunStatus.SUPERSEDED
    with pytest.raises(ValidationError, match="no longer a draft"):
        actions.approve_run(older, acting_user=u)


def test_drafts_can_be_deleted_but_not_once_referred_to(costing):
    u = costing["system"]
    draft = actions.create_recharge_run(year=2017, acting_user=u)
    actions.delete_draft_run(draft, acting_user=u)
    assert not RechargeRun.objects.exists()
    first = actions.create_recharge_run(year=2017, acting_user=u)
    second = actions.create_recharge_run(year=2017, acting_user=u)
    assert second.previous == first
    with pytest.raises(ValidationError, match="refers to this one"):
        actions.delete_draft_run(first, acting_user=u)
    assert RechargeRun.objects.count() == 2
