"""Deleting a draft recharge run from its page (with a confirmation) and through the API; approved runs
cannot be deleted. Also: every costing filter field has a real label (no "[invalid name]")."""

from __future__ import annotations

import django_filters
import pytest
from auditlog.models import LogEntry
from django.test import Client

from onesource.core.models import Event
from onesource.core.roles import Role
from onesource.costing import actions, filters
from onesource.costing.models import RechargeRun, RunStatus


@pytest.fixture
def draft(costing):
    return actions.create_recharge_run(year=2017, acting_user=costing["system"])


def test_every_costing_filter_field_has_a_label(costing, make_user, client_for):
    finance = client_for(make_user(Role.FINANCE_OFFICER, "HAV"))
    for path in [
        "/costing/",
        "/costing/budgets/",
        "/costing/actuals/",
        "/costing/agreements/",
        "/costing/counts/",
        "/costing/time/",
        "/costing/support-usage/",
    ]:
        page = finance.get(path).content.decode()
        assert "[invalid name]" not in page, path
    page = finance.get("/costing/budgets/").content.decode()
    assert "Shared or non-shared" in page
    filtersets: list[type[django_filters.FilterSet]] = [
        filters.BudgetLineFilter,
        filters.ActualLineFilter,
        filters.AgreementFilter,
        filters.DriverQuantityFilter,
        filters.TimeEntryFilter,
        filters.SupportUsageFilter,
        filters.RechargeRunFilter,
    ]
    for filterset in filtersets:
        for name, flt in filterset.base_filters.items():
            assert flt.label, f"{filterset.__name__}.{name}"


def test_a_draft_is_deleted_from_its_page_after_confirmation(draft, make_user, client_for):
    # A council's finance officer is offered no delete button: deleting is shared-service finance's.
    partner_finance = client_for(make_user(Role.FINANCE_OFFICER, "HAV"))
    assert (
        f"/costing/runs/{draft.pk}/delete/"
        not in partner_finance.get(f"/costing/runs/{draft.pk}/").content.decode()
    )
    finance = client_for(make_user(Role.SHARED_SERVICE_FINANCE))
    detail = finance.get(f"/costing/runs/{draft.pk}/").content.decode()
    assert f"/costing/runs/{draft.pk}/delete/" in detail
    response = finance.post(f"/costing/runs/{draft.pk}/delete/", {})
    assert response.status_code == 200
    assert "Confirm that you want to delete the draft run" in response.content.decode()
    assert RechargeRun.objects.filter(pk=draft.pk).exists()
    response = finance.post(f"/costing/runs/{draft.pk}/delete/", {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/costing/"
    assert not RechargeRun.objects.filter(pk=draft.pk).exists()
    event = Event.objects.get(name="recharge_run.deleted")
    assert event.data["run"] == str(draft)
    assert LogEntry.objects.filter(action=LogEntry.Action.DELETE, object_pk=str(draft.pk)).exists()


def test_an_approved_run_cannot_be_deleted_and_the_page_says_so(draft, make_user, client_for, sign_off_all):
    sign_off_all(draft)
    finance = client_for(make_user(Role.SHARED_SERVICE_FINANCE))
    detail = finance.get(f"/costing/runs/{draft.pk}/").content.decode()
    assert f"/costing/runs/{draft.pk}/delete/" not in detail
    assert "cannot be deleted" in detail
    page = finance.get(f"/costing/runs/{draft.pk}/delete/").content.decode()
    assert "Approved runs cannot be deleted" in page
    assert 'name="confirm"' not in page
    response = finance.post(f"/costing/runs/{draft.pk}/delete/", {"confirm": "on"})
    assert response.status_code == 200
    assert "cannot change" in response.content.decode()
    assert RechargeRun.objects.get(pk=draft.pk).status == RunStatus.APPROVED


def test_only_finance_managers_may_delete_and_anonymous_is_refused(draft, make_user, client_for):
    assert client_for(None).get(f"/costing/runs/{draft.pk}/delete/").status_code == 302
    officer = client_for(make_user(Role.PARTNER_OFFICER, "HAV"))
    assert officer.post(f"/costing/runs/{draft.pk}/delete/", {"confirm": "on"}).status_code == 403
    assert RechargeRun.objects.filter(pk=draft.pk).exists()


def test_api_deletes_a_draft_and_refuses_an_approved_run(
    draft, costing, make_user, token_client_for, sign_off_all
):
    finance = token_client_for(make_user(Role.SHARED_SERVICE_FINANCE))
    officer = token_client_for(make_user(Role.PARTNER_OFFICER, "NEW"))
    assert Client().delete(f"/api/costing/runs/{draft.pk}").status_code == 401
    assert officer.delete(f"/api/costing/runs/{draft.pk}").status_code == 403
    assert finance.delete(f"/api/costing/runs/{draft.pk}").status_code == 204
    assert not RechargeRun.objects.filter(pk=draft.pk).exists()
    assert finance.delete(f"/api/costing/runs/{draft.pk}").status_code == 404
    approved = sign_off_all(actions.create_recharge_run(year=2017, acting_user=costing["system"]))
    response = finance.delete(f"/api/costing/runs/{approved.pk}")
    assert response.status_code == 422
    assert "status" in response.json()["errors"]
    assert RechargeRun.objects.filter(pk=approved.pk).exists()
