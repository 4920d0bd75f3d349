import datetime as dt
from decimal import Decimal

from django.utils import timezone

from onesource.core.roles import Role
from onesource.procurement import actions
from onesource.procurement.joint import opportunities
from onesource.procurement.models import Supplier
from onesource.procurement.spend import import_spend


def test_spend_under_a_joint_contract_is_not_counted_as_uncovered(partnership):
    u = partnership["system"]
    new, hav = partnership["NEW"], partnership["HAV"]
    today = timezone.localdate()
    rows = f"Date,Supplier,Amount\r\n{today:%d/%m/%Y},Civica UK Limited,1000.00\r\n".encode()
    import_spend(rows, "new.csv", partner=new, acting_user=u, dry_run=False)
    import_spend(
        f"Date,Supplier,Amount\r\n{today:%d/%m/%Y},CIVICA UK LIMITED,500.00\r\n".encode(),
        "hav.csv",
        partner=hav,
        acting_user=u,
        dry_run=False,
    )
    [found] = opportunities(u, today)
    assert (found.combined, found.uncovered) == (Decimal("1500.00"), Decimal("1500.00"))
    actions.create_contract(
        reference="NEW-J-1",
        title="Revenues system",
        lead_partner=new,
        supplier=Supplier.objects.get(),
        value=Decimal("100000"),
        procedure="open",
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=700),
        shares={new: Decimal(50), hav: Decimal(50)},
        acting_user=u,
    )
    [found] = opportunities(u, today)
    assert found.uncovered == Decimal("0")
    assert [c.reference for p in found.partners for c in p.contracts] == ["NEW-J-1", "NEW-J-1"]


def test_a_council_sees_only_the_opportunities_it_takes_part_in(partnership, make_user):
    u = partnership["system"]
    today = timezone.localdate()
    rows = f"Date,Supplier,Amount\r\n{today:%d/%m/%Y},Veolia,900.00\r\n".encode()
    import_spend(rows, "new.csv", partner=partnership["NEW"], acting_user=u, dry_run=False)
    import_spend(rows, "bex.csv", partner=partnership["BEX"], acting_user=u, dry_run=False)
    assert len(opportunities(u, today)) == 1
    assert opportunities(make_user(Role.FINANCE_OFFICER, "HAV"), today) == []
    [seen] = opportunities(make_user(Role.FINANCE_OFFICER, "BEX"), today)
    assert [p.partner.code for p in seen.partners] == ["BEX", "NEW"]
