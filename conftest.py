"""Fixtures every app's tests share: a small partnership, users per role, API clients."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from onesource.core import actions
from onesource.core.models import Partner, Service, ServiceArea, User
from onesource.core.roles import Role
from onesource.core.versions import forget_data_versions


@pytest.fixture(autouse=True)
def _fresh_data_versions() -> None:
    """Each test's data is new: no figure cached under a data version by an earlier test may be read."""
    forget_data_versions()


@pytest.fixture
def system_user(db) -> User:
    return User.objects.create_superuser("root", "root@example.org", "root-password-123")


@pytest.fixture
def partnership(system_user) -> dict[str, Any]:
    """Two founders (NEW, HAV) and a later member (BEX), one area, a shared and a NEW-only service."""
    u = system_user
    new = actions.create_partner(
        code="NEW", name="Newham", gss_code="E09000025", is_founder=True, acting_user=u
    )
    hav = actions.create_partner(
        code="HAV", name="Havering", gss_code="E09000016", is_founder=True, acting_user=u
    )
    bex = actions.create_partner(code="BEX", name="Bexley", gss_code="E09000004", acting_user=u)
    actions.add_membership(new, joined_on=dt.date(2014, 4, 1), acting_user=u)
    actions.add_membership(hav, joined_on=dt.date(2014, 4, 1), acting_user=u)
    actions.add_membership(bex, joined_on=dt.date(2016, 4, 1), left_on=dt.date(2020, 7, 31), acting_user=u)
    area = actions.create_service_area(code="finance", name="Finance", acting_user=u)
    shared = actions.create_service(area=area, code="audit", name="Internal Audit", acting_user=u)
    own = actions.create_service(
        area=area,
        code="schools",
        name="Schools Finance",
        sharing="partner_specific",
        owner_partner=new,
        acting_user=u,
    )
    for partner in (new, hav):
        actions.create_coverage(service=shared, partner=partner, starts_on=dt.date(2014, 4, 1), acting_user=u)
    actions.create_coverage(
        service=shared,
        partner=bex,
        starts_on=dt.date(2016, 4, 1),
        ends_on=dt.date(2020, 7, 31),
        acting_user=u,
    )
    actions.create_coverage(service=own, partner=new, starts_on=dt.date(2014, 4, 1), acting_user=u)
    return {"NEW": new, "HAV": hav, "BEX": bex, "area": area, "shared": shared, "own": own, "system": u}


@pytest.fixture
def make_user(system_user) -> Callable[..., User]:
    """make_user(role, partner_code=None) -> a user holding that role (for that partner)."""
    counter = {"n": 0}

    def make(role: str, partner_code: str | None = None, username: str | None = None) -> User:
        counter["n"] += 1
        name = username or f"{role}-{partner_code or 'all'}-{counter['n']}".lower()
        user = actions.create_user(username=name, password="a-long-test-password", acting_user=system_user)
        partner = Partner.objects.get(code=partner_code) if partner_code else None
        actions.assign_role(user, role, partner, acting_user=system_user)
        return user

    return make


@pytest.fixture
def client_for() -> Callable[[User | None], Client]:
    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def token_client_for(system_user) -> Callable[[User], Client]:
    """A client that authenticates to the API with a bearer token, not a session."""

    def make(user: User) -> Client:
        _, raw = actions.create_api_token(user, acting_user=system_user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


ROLES_FOR_PARTNER = [Role.PARTNER_OFFICER, Role.FINANCE_OFFICER, Role.HR_OFFICER, Role.COMMITTEE_MEMBER]
__all__ = ["ROLES_FOR_PARTNER", "Service", "ServiceArea"]
