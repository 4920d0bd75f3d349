"""Properties of the penny split every recharge amount goes through."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from onesource.costing.recharge import split_to_penny

amounts = st.integers(min_value=-(10**11), max_value=10**11).map(lambda pennies: Decimal(pennies).scaleb(-2))
weights = st.dictionaries(
    st.sampled_from(["NEW", "HAV", "BEX", "NOR", "XAA", "XAB"]),
    st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("1000000"), places=4),
    min_size=1,
)


@given(amounts, weights)
def test_parts_add_up_exactly_and_each_is_within_a_penny_of_its_exact_share(amount, weights):
    parts = split_to_penny(amount, weights)
    assert set(parts) == set(weights)
    assert sum(parts.values()) == amount
    total = sum(weights.values())
    for key, part in parts.items():
        assert part == part.quantize(Decimal("0.01"))
        assert abs(part - amount * weights[key] / total) < Decimal("0.01")


@given(amounts, weights)
def test_the_split_does_not_depend_on_the_order_of_the_partners(amount, weights):
    reversed_weights = dict(reversed(list(weights.items())))
    assert split_to_penny(amount, weights) == split_to_penny(amount, reversed_weights)
