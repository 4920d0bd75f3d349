import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from onesource.core.roles import Role
from onesource.procurement import actions
from onesource.procurement.models import Contract
from onesource.procurement.register import deadlines, months_before, partner_values, summarise

D = dt.date


def test_shares_of_a_joint_contract_reconcile_to_the_penny(register):
    values = partner_values(register["joint"])
    assert sum(values.values()) == Decimal("1000000.01")
    assert values[register["NEW"].pk] == Decimal("600000.01")


def test_shares_must_add_up_to_100_and_include_the_lead(register):
    u = register["system"]
    with pytest.raises(ValidationError, match="add up to 90%"):
        actions.set_contract_shares(
            register["joint"],
            percentages={register["NEW"]: Decimal(50), register["HAV"]: Decimal(40)},
            acting_user=u,
        )
    with pytest.raises(ValidationError, match="lead council"):
        actions.set_contract_shares(
            register["joint"], percentages={register["HAV"]: Decimal(100)}, acting_user=u
        )
    assert register["joint"].shares.count() == 2


def test_procurement_act_deadlines_are_due_30_days_after_signature_and_flagged_when_overdue(register):
    joint = register["joint"]  # signed 1 March 2025, above the threshold
    found = {d.what: d for d in deadlines(joint, D(2025, 4, 15))}
    notice = found["Contract details notice"]
    assert notice.due_on == D(2025, 3, 31)
    assert notice.is_overdue(D(2025, 4, 15))
    actions.update_contract(joint, details_notice_on=D(2025, 3, 20), acting_user=register["system"])
    joint.refresh_from_db()
    assert not any(d.is_overdue(D(2025, 4, 15)) for d in deadlines(joint, D(2025, 4, 15)))
    # Ending brings the termination notice, due 30 days after the end.
    ended = {d.what: d for d in deadlines(joint, D(2028, 6, 1))}
    assert ended["Termination notice"].due_on == D(2028, 4, 30)
    # A contract entered into before the Act is not held to its notices.
    assert deadlines(register["cleaning"], D(2025, 4, 15)) == []


def test_a_change_to_an_above_threshold_contract_needs_a_change_notice_before_it_takes_effect(register):
    change = actions.record_contract_change(
        register["joint"],
        effective_on=D(2026, 1, 1),
        description="Adds the council tax module",
        value_change=Decimal("50000"),
        acting_user=register["system"],
    )
    joint = Contract.objects.get(pk=register["joint"].pk)
    assert joint.value == Decimal("1050000.01")
    notices = [d for d in deadlines(joint, D(2026, 1, 2)) if d.what == "Change notice"]
    assert notices[0].is_overdue(D(2026, 1, 2))
    actions.record_change_notice(change, published_on=D(2025, 12, 1), acting_user=register["system"])
    joint = Contract.objects.get(pk=joint.pk)
    assert not [d for d in deadlines(joint, D(2026, 1, 2)) if d.what == "Change notice" and d.done_on is None]


def test_dashboard_counts_expiring_contracts_and_each_partners_share(register):
    contracts = Contract.objects.prefetch_related("shares", "changes").select_related("supplier")
    summary = summarise(
        contracts,
        D(2026, 1, 1),
        visible_partners=None,
        partner_names={register["NEW"].pk: "Newham", register["HAV"].pk: "Havering"},
    )
    expiring = {months: bucket.count for months, bucket in summary.expiring}
    assert expiring == {3: 0, 6: 1, 12: 1, 18: 1}  # the cleaning contract ends on 31 May 2026
    by_partner = {bucket.label: bucket.value for _, bucket in summary.by_partner}
    assert by_partner == {"Havering": Decimal("448000.00"), "Newham": Decimal("600000.01")}
    assert [a.what for a in summary.alerts] == ["Decide whether to extend or re-procure"]
    assert months_before(D(2026, 5, 31), 6) == D(2025, 11, 30)


def test_a_partner_sees_the_contracts_it_leads_or_uses_and_gets_404_for_others(
    register, make_user, client_for
):
    u = register["system"]
    actions.create_contract(
        reference="NEW-2025-009",
        title="Newham-only",
        lead_partner=register["NEW"],
        value=Decimal("1000"),
        procedure="direct_award",
        starts_on=D(2025, 1, 1),
        ends_on=D(2025, 12, 31),
        acting_user=u,
    )
    client = client_for(make_user(Role.PROCUREMENT_OFFICER, "HAV"))
    listed = [c["reference"] for c in client.get("/api/procurement/contracts").json()["items"]]
    assert listed == ["HAV-2024-007", "NEW-2025-001"]
    assert client.get("/api/procurement/contracts/NEW-2025-009").status_code == 404
    assert client.get("/procurement/contracts/NEW-2025-009/").status_code == 404
    page = client.get("/procurement/contracts/NEW-2025-001/")
    assert page.status_code == 200
    assert "£400,000.00" in page.content.decode()
    # Havering uses the Newham-led contract but does not manage it.
    assert client.get("/procurement/contracts/NEW-2025-001/edit/").status_code == 404
    assert client.get("/procurement/contracts/HAV-2024-007/edit/").status_code == 200


def test_contracts_are_added_through_the_api_with_shares_and_bad_input_saves_nothing(
    register, make_user, client_for
):
    client = client_for(make_user(Role.PROCUREMENT_OFFICER, "HAV"))
    body = {
        "reference": "HAV-2025-010",
        "title": "Parking enforcement",
        "lead_partner": "HAV",
        "supplier": register["acme"].pk,
        "value": "250000.00",
        "procedure": "competitive_flexible",
        "starts_on": "2025-06-01",
        "ends_on": "2028-05-31",
        "signed_on": "2025-05-20",
        "shares": {"HAV": "70", "NEW": "30"},
    }
    created = client.post("/api/procurement/contracts", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["partner_values"] == {"HAV": "175000.00", "NEW": "75000.00"}
    assert created.json()["deadlines"][0]["due_on"] == "2025-06-19"
    bad = {**body, "reference": "HAV-2025-011", "lead_partner": "NEW"}
    refused = client.post("/api/procurement/contracts", json.dumps(bad), content_type="application/json")
    assert refused.status_code == 422
    assert "lead_partner" in refused.json()["errors"]
    assert not Contract.objects.filter(reference="HAV-2025-011").exists()


def test_register_pages_render_for_a_procurement_officer(register, make_user, client_for):
    client = client_for(make_user(Role.PROCUREMENT_OFFICER, "HAV"))
    for url in [
        "/procurement/",
        "/procurement/contracts/",
        "/procurement/contracts/?format=csv",
        "/procurement/suppliers/",
        f"/procurement/suppliers/{register['civica'].pk}/",
        "/procurement/suppliers/matches/",
        "/procurement/contracts/new/",
        "/api/procurement/dashboard",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        if "text/html" in response["Content-Type"]:
            assert "None" not in response.content.decode(), url


def test_a_committee_member_cannot_change_the_register(register, make_user, client_for):
    client = client_for(make_user(Role.COMMITTEE_MEMBER, "HAV"))
    assert client.get("/procurement/contracts/new/").status_code == 403
    response = client.post(
        "/api/procurement/suppliers", json.dumps({"name": "X"}), content_type="application/json"
    )
    assert response.status_code == 403
