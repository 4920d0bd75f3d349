import datetime as dt

import pytest
from django.utils import timezone

from onesource.core.demo import build_demo
from onesource.core.models import User
from onesource.core.reporting import REPORT_SECTIONS
from onesource.procurement.joint import opportunities
from onesource.procurement.models import Contract, Payment, SpendImport


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_demo(log=lambda _: None)
    yield
    with django_db_blocker.unblock():
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_the_demo_has_a_register_with_joint_and_expiring_contracts_and_two_years_of_spend(demo):
    today = timezone.localdate()
    assert Contract.objects.count() >= 250
    joint = [c for c in Contract.objects.prefetch_related("shares") if c.is_joint]
    assert len(joint) >= 20
    assert Contract.objects.filter(ends_on__lte=today + dt.timedelta(days=92)).exists()
    for code in ("NEW", "HAV", "BEX"):
        spend = Payment.objects.filter(partner__code=code)
        assert spend.filter(paid_on__lt=today - dt.timedelta(days=400)).exists()
        assert spend.filter(paid_on__gt=today - dt.timedelta(days=30)).exists()
        # Each generated file has one row nobody can read (31 February), kept aside.
        imports = SpendImport.objects.filter(partner__code=code)
        assert [len(i.problems) for i in imports] == [1, 1]
        assert spend.filter(supplier__isnull=False).count() > 4000


@pytest.mark.django_db
def test_havering_finance_sees_suppliers_havering_and_newham_both_pay(demo, client):
    client.force_login(User.objects.get(username="hav-finance"))
    page = client.get("/procurement/joint/").content.decode()
    assert "Havering" in page and "Newham" in page
    found = opportunities(User.objects.get(username="hav-finance"), timezone.localdate())
    both = [o for o in found if {"HAV", "NEW"} <= {p.partner.code for p in o.partners}]
    assert both
    assert all(o.uncovered <= o.combined for o in found)
    # Ranked by the spend not yet under a joint contract.
    assert [o.uncovered for o in found] == sorted((o.uncovered for o in found), reverse=True)
    csv_text = client.get("/procurement/joint/?format=csv").content.decode()
    assert csv_text.splitlines()[0].startswith("kind,name,partner_code")


@pytest.mark.django_db
def test_the_committee_report_has_a_procurement_section_for_havering(demo):
    from onesource.core.models import Partner

    member = User.objects.get(username="hav-member")
    today = timezone.localdate()
    section = REPORT_SECTIONS["procurement"].build(
        Partner.objects.get(code="HAV"), today - dt.timedelta(days=365), today, member
    )
    assert section is not None and section.context["rows"]
