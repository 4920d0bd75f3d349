"""Costing's task-list provider: sign-offs waiting for a council's finance officer; runs rejected or
ready to approve for shared-service finance."""

from __future__ import annotations

from onesource.core.roles import Role
from onesource.core.tasks import TASK_PROVIDERS, tasks_for
from onesource.costing import actions
from onesource.costing.models import RunSignOff


def _costing_tasks(user):
    return [t for t in tasks_for(user) if "/costing/" in t.url]


def test_the_provider_is_registered_by_the_app():
    assert "costing.sign_off" in TASK_PROVIDERS


def test_a_council_finance_officer_is_asked_to_sign_its_own_statements(costing, make_user, ss_finance):
    run = actions.create_recharge_run(year=2017, acting_user=ss_finance)
    hav = make_user(Role.FINANCE_OFFICER, "HAV")
    [task] = _costing_tasks(hav)
    assert task.count == 1
    assert task.url == f"/costing/runs/{run.pk}/statements/HAV/sign-off/"
    assert "Havering" in task.hint and "Newham" not in task.hint
    # Once signed, nothing is waiting for Havering; a partner officer (no sign-off role) never has any.
    actions.sign_off_statement(run, costing["HAV"], acting_user=hav)
    assert _costing_tasks(hav) == []
    assert _costing_tasks(make_user(Role.PARTNER_OFFICER, "NEW")) == []
    assert [t.count for t in _costing_tasks(make_user(Role.FINANCE_OFFICER, "NEW"))] == [1]


def test_shared_service_finance_sees_rejected_runs_and_runs_ready_to_approve(costing, make_user, ss_finance):
    run = actions.create_recharge_run(year=2017, acting_user=ss_finance)
    assert _costing_tasks(ss_finance) == []
    hav = make_user(Role.FINANCE_OFFICER, "HAV")
    actions.reject_statement(run, costing["HAV"], reason="Days wrong", acting_user=hav)
    [task] = _costing_tasks(ss_finance)
    assert (task.title, task.count, task.url) == (
        "Recharge run rejected by a council",
        1,
        run.get_absolute_url(),
    )
    # A rejected run waits for nobody's sign-off: the others are not asked to sign it.
    assert _costing_tasks(make_user(Role.FINANCE_OFFICER, "NEW")) == []
    # A run no member is charged in is approved by hand by someone other than its builder.
    second = actions.create_recharge_run(year=2017, acting_user=ss_finance)
    RunSignOff.objects.filter(run=second).delete()
    checker = make_user(Role.SHARED_SERVICE_FINANCE)
    titles = {t.title: t for t in _costing_tasks(checker)}
    assert titles["Recharge run ready to approve"].url == f"/costing/runs/{second.pk}/approve/"
    assert "Recharge run ready to approve" not in {t.title for t in _costing_tasks(ss_finance)}
