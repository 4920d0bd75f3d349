"""Fixtures for the recharge tests: agreements and ledger lines on the root conftest's partnership."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from onesource.costing import actions


@pytest.fixture
def costing(partnership) -> dict[str, Any]:
    """2017/18: Internal Audit split 43/42/15 (NEW/HAV/BEX); Schools Finance is Newham's own.

    Audit: shared budget 100,000.00, shared actual 90,000.00 (an underspend of 10,000.00).
    Schools: Newham's budget 10,000.00, actual 12,000.00 (an overspend of 2,000.00, Newham's alone)."""
    u = partnership["system"]
    new, hav, bex = partnership["NEW"], partnership["HAV"], partnership["BEX"]
    audit, schools = partnership["shared"], partnership["own"]
    actions.create_agreement(
        service=audit,
        year=2017,
        basis="formula",
        shares={new: "43", hav: "42", bex: "15"},
        acting_user=u,
    )
    actions.create_budget_line(service=audit, year=2017, amount=Decimal("100000.00"), acting_user=u)
    actions.create_actual_line(service=audit, year=2017, amount=Decimal("90000.00"), acting_user=u)
    actions.create_budget_line(
        service=schools, year=2017, amount=Decimal("10000.00"), owner_partner=new, acting_user=u
    )
    actions.create_actual_line(
        service=schools, year=2017, amount=Decimal("12000.00"), owner_partner=new, acting_user=u
    )
    return partnership


@pytest.fixture
def ss_finance(make_user):
    """Shared-service finance: builds the partnership's runs."""
    from onesource.core.roles import Role

    return make_user(Role.SHARED_SERVICE_FINANCE, username="finance-lead")


@pytest.fixture
def sign_off_all(make_user):
    """sign_off_all(run) -> the run approved: each member's own finance officer signs its statement."""
    from onesource.core.roles import Role
    from onesource.costing.models import RechargeRun

    officers: dict[str, Any] = {}

    def sign(run):
        for sign_off in run.sign_offs.select_related("partner"):
            code = sign_off.partner.code
            if code not in officers:
                officers[code] = make_user(Role.FINANCE_OFFICER, code)
            actions.sign_off_statement(run, sign_off.partner, comment="Agreed.", acting_user=officers[code])
        return RechargeRun.objects.get(pk=run.pk)

    return sign
