"""Attribution of savings to partners: hand-computed splits, both ways of getting shares, to the penny."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onesource.core.money import split_to_penny
from onesource.core.shares import register_share_provider
from onesource.savings import actions
from onesource.savings.attribution import (
    BY_PERCENTAGES,
    BY_SERVICE_SHARES,
    UNATTRIBUTED,
    ShareFinder,
    line_attribution,
)

D = Decimal


def test_a_pound_in_three_goes_to_the_penny_with_the_spare_penny_to_the_first():
    assert split_to_penny(D("100.00"), {1: D(1), 2: D(1), 3: D(1)}) == {
        1: D("33.34"),
        2: D("33.33"),
        3: D("33.33"),
    }


def test_five_pence_by_the_finance_formula():
    # 5p at 43/42/15 is 2.15p, 2.10p and 0.75p: floors 2, 2, 0 leave one penny, which goes to the 0.75.
    assert split_to_penny(D("0.05"), {1: D(43), 2: D(42), 3: D(15)}) == {
        1: D("0.02"),
        2: D("0.02"),
        3: D("0.01"),
    }


def test_a_zero_weight_gets_nothing_and_a_negative_amount_splits_the_same_way():
    assert split_to_penny(D("-10.00"), {1: D(1), 2: D(0), 3: D(2)}) == {
        1: D("-3.33"),
        2: D("0.00"),
        3: D("-6.67"),
    }


def test_weights_must_include_something():
    with pytest.raises(ValueError):
        split_to_penny(D("1"), {1: D(0)})


@given(
    pennies=st.integers(min_value=0, max_value=10**12),
    weights=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8).filter(any),
)
def test_the_parts_always_add_up_to_the_whole(pennies, weights):
    amount = D(pennies) / 100
    parts = split_to_penny(amount, {i: D(w) for i, w in enumerate(weights)})
    assert sum(parts.values()) == amount
    total = sum(weights)
    for i, w in enumerate(weights):
        # each part is within a penny of its exact share
        assert abs(parts[i] - amount * w / total) < D("0.01")


@pytest.mark.django_db
def test_explicit_percentages_split_each_year_to_the_penny(shared_line, partnership):
    u = partnership["system"]
    actions.set_savings_amount(
        shared_line, year=2018, planned=D("100000.01"), delivered=D("0.03"), acting_user=u
    )
    [row] = line_attribution(shared_line)
    new, hav = partnership["NEW"].pk, partnership["HAV"].pk
    assert row.how == BY_PERCENTAGES
    # 50,000.005 each: the spare penny goes to the partner with the lower id (Newham, made first).
    assert row.partners == {new: (D("50000.01"), D("0.02")), hav: (D("50000.00"), D("0.01"))}


@pytest.mark.django_db
def test_the_services_cost_shares_win_where_the_provider_has_them(
    shared_line, partnership, no_share_providers
):
    u = partnership["system"]
    new, hav, bex = (partnership[c].pk for c in ("NEW", "HAV", "BEX"))

    @register_share_provider
    def finance_formula(service, year):
        if service.pk == partnership["shared"].pk and year == 2017:
            return {new: D("0.43"), hav: D("0.42"), bex: D("0.15")}
        return None

    actions.set_savings_amount(
        shared_line, year=2017, planned=D("100000.01"), delivered=D("1000"), acting_user=u
    )
    actions.set_savings_amount(shared_line, year=2018, planned=D("10"), delivered=D("0"), acting_user=u)
    rows = {row.year: row for row in line_attribution(shared_line)}
    assert rows[2017].how == BY_SERVICE_SHARES
    # 43,000.0043 + 42,000.0042 + 15,000.0015: floors leave one penny, to the largest remainder (Newham's).
    assert rows[2017].partners == {
        new: (D("43000.01"), D("430.00")),
        hav: (D("42000.00"), D("420.00")),
        bex: (D("15000.00"), D("150.00")),
    }
    # No agreement for 2018: back to the line's own 50/50.
    assert rows[2018].how == BY_PERCENTAGES
    assert rows[2018].partners == {new: (D("5.00"), D("0.00")), hav: (D("5.00"), D("0.00"))}


@pytest.mark.django_db
def test_the_provider_is_asked_once_per_service_and_year(shared_line, partnership, no_share_providers):
    calls = []

    @register_share_provider
    def counting(service, year):
        calls.append((service.pk, year))
        return None

    finder = ShareFinder()
    for _ in range(3):
        finder.shares(shared_line, 2016)
    assert calls == [(partnership["shared"].pk, 2016)]


@pytest.mark.django_db
def test_a_line_with_neither_shares_nor_percentages_is_unattributed(case, partnership):
    u = partnership["system"]
    line = actions.create_savings_line(
        business_case=case,
        reference="x-1",
        title="X",
        service=partnership["shared"],
        lever="other",
        acting_user=u,
    )
    actions.set_savings_amount(line, year=2015, planned=D("12.34"), delivered=D("1"), acting_user=u)
    [row] = line_attribution(line)
    assert row.how == UNATTRIBUTED
    assert row.partners == {None: (D("12.34"), D("1"))}


@pytest.mark.django_db
def test_the_committee_report_section_asks_once_per_service_and_year(
    shared_line, partnership, no_share_providers, make_user
):
    import datetime as dt

    from onesource.core.models import Partner
    from onesource.core.roles import Role
    from onesource.savings.report import savings_section

    u = partnership["system"]
    for year in (2016, 2017):
        actions.set_savings_amount(shared_line, year=year, planned=D("100"), delivered=D("50"), acting_user=u)
    calls = []

    @register_share_provider
    def counting(service, year):
        calls.append((service.pk, year))
        return None

    havering = Partner.objects.get(code="HAV")
    section = savings_section(
        havering, dt.date(2016, 4, 1), dt.date(2018, 3, 31), make_user(Role.SHARED_SERVICE_MANAGER)
    )
    assert section is not None
    # Three summaries (whole, share, in the period) of the same lines share one set of answers.
    assert sorted(calls) == [(partnership["shared"].pk, 2016), (partnership["shared"].pk, 2017)]
