"""A run's life: built by shared-service finance, signed off by each member council, approved when all
have signed (maker-checker), then immutable; corrections are new versions."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from onesource.core.models import Event
from onesource.core.roles import Role
from onesource.costing import actions
from onesource.costing.models import BudgetLine, RechargeRun, RunStatus, SignOffDecision


def test_a_partner_finance_officer_cannot_build_a_partnership_wide_run(costing, make_user):
    finance = make_user(Role.FINANCE_OFFICER, "HAV")
    with pytest.raises(ValidationError, match="Only shared-service finance"):
        actions.create_recharge_run(year=2017, acting_user=finance)
    assert not RechargeRun.objects.exists()
    manager = make_user(Role.SHARED_SERVICE_MANAGER)
    assert actions.create_recharge_run(year=2017, acting_user=manager).is_draft


def test_each_member_signs_its_own_statement_and_the_last_signature_approves(costing, make_user, ss_finance):
    run = actions.create_recharge_run(year=2017, acting_user=ss_finance)
    assert {s.partner.code: s.decision for s in run.sign_offs.all()} == {
        "BEX": SignOffDecision.WAITING,
        "HAV": SignOffDecision.WAITING,
        "NEW": SignOffDecision.WAITING,
    }
    officers = {code: make_user(Role.FINANCE_OFFICER, code) for code in ("NEW", "HAV", "BEX")}
    new, hav, bex = costing["NEW"], costing["HAV"], costing["BEX"]
    # Havering's officer cannot sign Newham's statement.
    with pytest.raises(ValidationError, match="Only a finance officer of Newham"):
        actions.sign_off_statement(run, new, acting_user=officers["HAV"])
    actions.sign_off_statement(run, hav, comment="Agrees with our ledger", acting_user=officers["HAV"])
    actions.sign_off_statement(run, new, acting_user=officers["NEW"])
    assert RechargeRun.objects.get(pk=run.pk).status == RunStatus.DRAFT
    with pytest.raises(ValidationError, match="waiting for Bexley"):
        actions.approve_run(run, acting_user=make_user(Role.SHARED_SERVICE_FINANCE))
    with pytest.raises(ValidationError, match="already signed off"):
        actions.sign_off_statement(run, hav, acting_user=officers["HAV"])
    actions.sign_off_statement(run, bex, acting_user=officers["BEX"])
    approved = RechargeRun.objects.get(pk=run.pk)
    assert approved.status == RunStatus.APPROVED
    assert approved.approved_by == officers["BEX"]
    signed = approved.sign_offs.get(partner=hav)
    assert (signed.decision, signed.decided_by, signed.comment) == (
        SignOffDecision.SIGNED,
        officers["HAV"],
        "Agrees with our ledger",
    )
    assert signed.decided_at is not None
    # Explicit business events: one per sign-off (tagged with the council), one for the approval.
    events = Event.objects.filter(object_pk=str(run.pk))
    assert set(events.filter(name="recharge_run.signed_off").values_list("partner__code", flat=True)) == {
        "NEW",
        "HAV",
        "BEX",
    }
    approval = events.get(name="recharge_run.approved")
    assert (
        "Havering: " + (officers["HAV"].get_full_name() or officers["HAV"].username)
        in approval.data["signed_off_by"]
    )


def test_the_builder_cannot_sign_off_or_approve_their_own_run(costing, make_user):
    # A platform admin who builds a run and also holds Havering's finance role still may not sign it.
    builder = make_user(Role.SHARED_SERVICE_FINANCE)
    from onesource.core import actions as core_actions

    core_actions.assign_role(builder, Role.FINANCE_OFFICER, costing["HAV"], acting_user=costing["system"])
    run = actions.create_recharge_run(year=2017, acting_user=builder)
    with pytest.raises(ValidationError, match="maker-checker"):
        actions.sign_off_statement(run, costing["HAV"], acting_user=builder)
    with pytest.raises(ValidationError, match="maker-checker"):
        actions.reject_statement(run, costing["HAV"], reason="Mine", acting_user=builder)
    assert RechargeRun.objects.get(pk=run.pk).sign_offs.get(partner=costing["HAV"]).is_waiting


def test_roles_held_for_every_partner_do_not_sign_for_a_council(costing, make_user, ss_finance):
    run = actions.create_recharge_run(year=2017, acting_user=ss_finance)
    for role in (Role.SHARED_SERVICE_FINANCE, Role.SHARED_SERVICE_MANAGER, Role.PLATFORM_ADMIN):
        with pytest.raises(ValidationError, match="Only a finance officer of Havering"):
            actions.sign_off_statement(run, costing["HAV"], acting_user=make_user(role))
    with pytest.raises(ValidationError, match="Only a finance officer of Havering"):
        actions.sign_off_statement(run, costing["HAV"], acting_user=make_user(Role.PARTNER_OFFICER, "HAV"))


def test_a_partner_with_no_statement_in_the_run_cannot_sign(costing, make_user, ss_finance):
    from onesource.core import actions as core_actions

    outsider = core_actions.create_partner(
        code="EXT", name="Outsider", gss_code="E09000099", acting_user=costing["system"]
    )
    run = actions.create_recharge_run(year=2017, acting_user=ss_finance)
    with pytest.raises(ValidationError, match="no statement to sign off"):
        actions.sign_off_statement(run, outsider, acting_user=make_user(Role.FINANCE_OFFICER, "EXT"))


def test_a_rejection_blocks_approval_until_a_new_version(costing, make_user, ss_finance, sign_off_all):
    run = actions.create_recharge_run(year=2017, acting_user=ss_finance)
    hav_officer, new_officer = make_user(Role.FINANCE_OFFICER, "HAV"), make_user(Role.FINANCE_OFFICER, "NEW")
    with pytest.raises(ValidationError, match="Enter why"):
        actions.reject_statement(run, costing["HAV"], reason=" ", acting_user=hav_officer)
    actions.reject_statement(run, costing["HAV"], reason="Audit days are wrong", acting_user=hav_officer)
    assert Event.objects.get(name="recharge_run.rejected").data["reason"] == "Audit days are wrong"
    with pytest.raises(ValidationError, match="A member council rejected this run"):
        actions.sign_off_statement(run, costing["NEW"], acting_user=new_officer)
    with pytest.raises(ValidationError, match="rejected"):
        actions.approve_run(run, acting_user=make_user(Role.SHARED_SERVICE_FINANCE))
    assert RechargeRun.objects.get(pk=run.pk).status == RunStatus.DRAFT
    # The corrected version starts with fresh sign-offs and is approved when all have signed.
    second = actions.create_recharge_run(year=2017, acting_user=ss_finance)
    assert not second.sign_offs.exclude(decision=SignOffDecision.WAITING).exists()
    assert sign_off_all(second).status == RunStatus.APPROVED
    assert RechargeRun.objects.get(pk=run.pk).status == RunStatus.SUPERSEDED


def test_approval_makes_a_run_immutable(costing, ss_finance, sign_off_all):
    run = actions.create_recharge_run(year=2017, acting_user=ss_finance)
    actions.update_run_note(run, note="Checked against the ledger", acting_user=ss_finance)
    approved = sign_off_all(run)
    assert approved.status == RunStatus.APPROVED
    with pytest.raises(ValidationError, match="cannot change"):
        actions.update_run_note(approved, note="Changed afterwards", acting_user=ss_finance)
    with pytest.raises(ValidationError, match="cannot change"):
        actions.delete_draft_run(approved, acting_user=ss_finance)
    with pytest.raises(ValidationError, match="cannot change"):
        actions.approve_run(approved, acting_user=ss_finance)
    assert RechargeRun.objects.get(pk=run.pk).note == "Checked against the ledger"
    # Even code that bypasses the actions cannot save over an approved run.
    stale = RechargeRun.objects.get(pk=run.pk)
    stale.note = "Edited directly"
    with pytest.raises(ValidationError, match="cannot change"):
        stale.save()


def test_a_run_with_no_member_statement_is_approved_by_someone_other_than_its_builder(costing, make_user):
    """Only an external customer charged: no council signs, so shared-service finance approves by hand."""
    from onesource.core import actions as core_actions
    from onesource.costing.models import RunSignOff

    builder, checker = make_user(Role.SHARED_SERVICE_FINANCE), make_user(Role.SHARED_SERVICE_FINANCE)
    run = actions.create_recharge_run(year=2017, acting_user=builder)
    RunSignOff.objects.filter(run=run).delete()  # as if only external customers were charged
    with pytest.raises(ValidationError, match="maker-checker"):
        actions.approve_run(run, acting_user=builder)
    with pytest.raises(ValidationError, match="Only shared-service finance"):
        actions.approve_run(run, acting_user=make_user(Role.FINANCE_OFFICER, "HAV"))
    assert actions.approve_run(run, acting_user=checker).approved_by == checker
    assert core_actions is not None


def test_a_correction_is_a_new_version_recording_what_changed(costing, ss_finance, sign_off_all):
    first = sign_off_all(actions.create_recharge_run(year=2017, acting_user=ss_finance))
    # A late invoice: the audit actual goes up by 1,000.00.
    actions.create_actual_line(
        service=costing["shared"],
        year=2017,
        amount=Decimal("1000.00"),
        description="Late",
        acting_user=ss_finance,
    )
    second = actions.create_recharge_run(year=2017, acting_user=ss_finance)
    assert second.version == 2
    assert second.previous == first
    # 1,000 split 43/42/15: each partner's audit charge moved; schools did not.
    assert second.changes == [
        {"partner": "BEX", "service": "audit", "before": "13500.00", "after": "13650.00", "change": "150.00"},
        {"partner": "HAV", "service": "audit", "before": "37800.00", "after": "38220.00", "change": "420.00"},
        {"partner": "NEW", "service": "audit", "before": "38700.00", "after": "39130.00", "change": "430.00"},
    ]
    sign_off_all(second)
    assert RechargeRun.objects.get(pk=first.pk).status == RunStatus.SUPERSEDED
    # The approved first version still says what it said.
    assert first.charges.get(partner__code="NEW", service__code="audit").total == Decimal("38700.00")
    assert BudgetLine.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database for real concurrency")
def test_two_sign_offs_of_one_statement_at_the_same_moment_only_one_succeeds(costing, make_user):
    builder = make_user(Role.SHARED_SERVICE_FINANCE)
    run = actions.create_recharge_run(year=2017, acting_user=builder)
    officers = [make_user(Role.FINANCE_OFFICER, "HAV"), make_user(Role.FINANCE_OFFICER, "HAV")]
    from onesource.core.scoping import scope_for

    for officer in officers:
        scope_for(officer)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def sign(officer):
        try:
            barrier.wait()
            actions.sign_off_statement(run, costing["HAV"], acting_user=officer)
            outcomes.append("signed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(o,)) for o in officers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "signed"]
    assert Event.objects.filter(name="recharge_run.signed_off").count() == 1


def test_approving_a_later_version_supersedes_an_older_draft(costing, ss_finance, sign_off_all):
    older = actions.create_recharge_run(year=2017, acting_user=ss_finance)
    newer = actions.create_recharge_run(year=2017, acting_user=ss_finance)
    sign_off_all(newer)
    assert RechargeRun.objects.get(pk=older.pk).status == RunStatus.SUPERSEDED
    with pytest.raises(ValidationError, match="superseded"):
        sign_off_all(older)


def test_drafts_can_be_deleted_but_not_once_referred_to(costing, make_user):
    u = costing["system"]
    draft = actions.create_recharge_run(year=2017, acting_user=u)
    with pytest.raises(ValidationError, match="Only shared-service finance"):
        actions.delete_draft_run(draft, acting_user=make_user(Role.FINANCE_OFFICER, "NEW"))
    actions.delete_draft_run(draft, acting_user=u)
    assert not RechargeRun.objects.exists()
    first = actions.create_recharge_run(year=2017, acting_user=u)
    second = actions.create_recharge_run(year=2017, acting_user=u)
    assert second.previous == first
    with pytest.raises(ValidationError, match="refers to this one"):
        actions.delete_draft_run(first, acting_user=u)
    assert RechargeRun.objects.count() == 2
