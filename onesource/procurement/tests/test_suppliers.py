import pytest
from django.core.exceptions import ValidationError

from onesource.procurement import actions
from onesource.procurement.models import Contract, Supplier
from onesource.procurement.normalise import looks_like_a_person, suggest_matches, supplier_key


def test_the_three_spellings_of_civica_are_suggested_as_one_supplier():
    assert supplier_key("CIVICA UK LTD") == supplier_key("Civica UK Limited") == "CIVICA UK"
    assert supplier_key("The Co-operative Group Ltd") == "COOPERATIVE"
    names = {
        1: "CIVICA UK LTD",
        2: "Civica UK Limited",
        3: "CIVICA",
        4: "CARE QUEST (SOUTH WEST) LTD",
        5: "CARE",
    }
    suggestions = suggest_matches([(i, supplier_key(n)) for i, n in names.items()])
    pairs = {(s.first_id, s.second_id) for s in suggestions}
    assert {(1, 2), (1, 3), (2, 3)} <= pairs
    # A short common word is not enough to suggest a match.
    assert (4, 5) not in pairs
    assert suggestions[0].score == 100.0


def test_a_pair_marked_distinct_is_no_longer_suggested():
    keys = [(1, "CIVICA UK"), (2, "CIVICA")]
    assert suggest_matches(keys)
    assert suggest_matches(keys, distinct=[(2, 1)]) == []


def test_near_identical_names_are_suggested_but_different_firms_are_not():
    keys = [
        (1, supplier_key("Vinci Construction UK")),
        (2, supplier_key("Vinci Constuction UK")),
        (3, "VINCI PARKING"),
    ]
    pairs = {(s.first_id, s.second_id) for s in suggest_matches(keys)}
    assert pairs == {(1, 2)}


def test_private_individuals_are_told_from_firms_trading_under_a_name():
    assert looks_like_a_person("MR B J JONES")
    assert looks_like_a_person("Dr Helen Rowe")
    assert not looks_like_a_person("DR HELEN ROWE LIMITED")
    assert not looks_like_a_person("MATTHEW HEATH T/A SOUTHWEST ESTATE MAINTENANCE LIMITED")


def test_merging_moves_names_identifiers_and_contracts_to_the_kept_supplier(register):
    u = register["system"]
    other = actions.create_supplier(name="CIVICA UK LTD", vat_number="GB 391171065", acting_user=u)
    actions.create_contract(
        reference="HAV-2025-002",
        title="Payments portal",
        lead_partner=register["HAV"],
        supplier=other,
        value=1000,
        procedure="direct_award",
        starts_on="2025-01-01",
        ends_on="2025-12-31",
        acting_user=u,
    )
    kept = actions.merge_suppliers(register["civica"], other, acting_user=u)
    assert not Supplier.objects.filter(pk=other.pk).exists()
    assert kept.vat_number == "GB391171065"
    assert list(kept.aliases.values_list("name", flat=True)) == ["CIVICA UK LTD"]
    assert Contract.objects.get(reference="HAV-2025-002").supplier == kept


def test_a_supplier_with_a_malformed_registration_is_refused_and_not_saved(partnership):
    with pytest.raises(ValidationError) as error:
        actions.create_supplier(name="Bad", companies_house_number="123", acting_user=partnership["system"])
    assert "companies_house_number" in error.value.message_dict
    assert not Supplier.objects.exists()
