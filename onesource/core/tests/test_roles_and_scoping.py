import pytest

from onesource.core.models import Partner, Service, ServiceCoverage
from onesource.core.roles import Capability, Role
from onesource.core.scoping import scope_for


def test_all_partner_roles_see_everything(partnership, make_user):
    manager = make_user(Role.SHARED_SERVICE_MANAGER)
    assert Partner.objects.restrict(manager).count() == 3
    assert scope_for(manager).partners_with(Capability.MANAGE_PARTNERSHIP) is None


def test_partner_officer_sees_own_partner_and_services_it_receives(partnership, make_user):
    officer = make_user(Role.PARTNER_OFFICER, "HAV")
    assert list(Partner.objects.restrict(officer).values_list("code", flat=True)) == ["HAV"]
    assert list(Service.objects.restrict(officer).values_list("code", flat=True)) == ["audit"]
    assert {c.partner.code for c in ServiceCoverage.objects.restrict(officer)} == {"HAV"}


def test_partner_specific_service_is_seen_by_its_owner(partnership, make_user):
    officer = make_user(Role.PARTNER_OFFICER, "NEW")
    assert set(Service.objects.restrict(officer).values_list("code", flat=True)) == {"audit", "schools"}


def test_capabilities_follow_the_role_for_that_partner_only(partnership, make_user):
    hr = make_user(Role.HR_OFFICER, "NEW")
    scope = scope_for(hr)
    assert scope.has(Capability.VIEW_HEALTH, partnership["NEW"].pk)
    assert not scope.has(Capability.VIEW_HEALTH, partnership["HAV"].pk)
    assert not scope.has(Capability.MANAGE_PARTNERSHIP)
    member = make_user(Role.COMMITTEE_MEMBER, "HAV")
    assert not scope_for(member).has(Capability.RUN_JOBS)
    assert Partner.objects.restrict(member, Capability.MANAGE_FINANCE).count() == 0


def test_user_without_roles_sees_nothing(partnership, make_user, system_user):
    from onesource.core import actions

    nobody = actions.create_user(username="nobody", password=None, acting_user=system_user)
    assert Partner.objects.restrict(nobody).count() == 0
    assert Partner.objects.restrict(None).count() == 0


def test_role_kind_must_match_partner(partnership, system_user):
    from django.core.exceptions import ValidationError

    from onesource.core import actions

    user = actions.create_user(username="u1", password=None, acting_user=system_user)
    with pytest.raises(ValidationError):
        actions.assign_role(user, Role.PARTNER_OFFICER, None, acting_user=system_user)
    with pytest.raises(ValidationError):
        actions.assign_role(user, Role.SHARED_SERVICE_MANAGER, partnership["NEW"], acting_user=system_user)


def test_views_cannot_override_get_queryset():
    from onesource.core.views_base import ObjectListView

    with pytest.raises(TypeError, match="base_queryset"):

        class Leaky(ObjectListView):
            def get_queryset(self):
                return Partner.objects.all()
