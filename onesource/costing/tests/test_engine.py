"""The allocation engine on small examples worked by hand, and on every kind of bad input."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from onesource.costing.engine import (
    AllocationError,
    AllocationRequest,
    allocate,
    allocate_json,
    parse_request,
)

# Two support pools serving each other and two front-line receivers.
#   ICT £9,000: used by HR 1, LEGAL 2, AUDIT 1 (and by ICT itself 5, always ignored)
#   HR  £6,000: used by ICT 1, LEGAL 1, AUDIT 2
#   LEGAL has £1,000 of its own cost; AUDIT none.
TWO_POOLS: dict[str, Any] = {
    "pools": [{"id": "ICT", "cost": "9000.00"}, {"id": "HR", "cost": "6000.00"}],
    "receivers": [{"id": "LEGAL", "cost": "1000.00"}, {"id": "AUDIT"}],
    "usage": {
        "ICT": {"ICT": "5", "HR": "1", "LEGAL": "2", "AUDIT": "1"},
        "HR": {"ICT": "1", "LEGAL": "1", "AUDIT": "2"},
    },
}


def body(method: str, **extra: Any) -> dict[str, Any]:
    return {**copy.deepcopy(TWO_POOLS), "method": method, **extra}


def test_direct_by_hand():
    # Receivers only: ICT splits LEGAL 2/3, AUDIT 1/3 -> 6,000 / 3,000;
    # HR splits LEGAL 1/3, AUDIT 2/3 -> 2,000 / 4,000.
    out = allocate_json(body("direct"))
    assert out["receivers"]["LEGAL"] == {
        "direct": "1000.00",
        "allocated": "8000.00",
        "total": "9000.00",
        "from": {"ICT": "6000.00", "HR": "2000.00"},
    }
    assert out["receivers"]["AUDIT"]["from"] == {"ICT": "3000.00", "HR": "4000.00"}
    assert out["pools"] == {
        "ICT": {"direct": "9000.00", "total_cost": "9000.00"},
        "HR": {"direct": "6000.00", "total_cost": "6000.00"},
    }
    assert out["check"] == {"pool_cost_in": "15000.00", "allocated_out": "15000.00"}


def test_step_down_by_hand_ict_first():
    # ICT first over HR, LEGAL, AUDIT (1:2:1 of 4): HR 2,250, LEGAL 4,500, AUDIT 2,250.
    # HR then has 6,000 + 2,250 = 8,250, split over LEGAL and AUDIT only (ICT is closed) 1:2: 2,750 / 5,500.
    out = allocate_json(body("step_down", order=["ICT", "HR"]))
    assert out["receivers"]["LEGAL"]["from"] == {"ICT": "4500.00", "HR": "2750.00"}
    assert out["receivers"]["LEGAL"]["allocated"] == "7250.00"
    assert out["receivers"]["LEGAL"]["total"] == "8250.00"
    assert out["receivers"]["AUDIT"]["from"] == {"ICT": "2250.00", "HR": "5500.00"}
    assert out["pools"]["HR"]["total_cost"] == "8250.00"
    assert out["pools"]["ICT"]["total_cost"] == "9000.00"
    assert out["check"]["allocated_out"] == "15000.00"


def test_step_down_by_hand_hr_first():
    # HR first over ICT, LEGAL, AUDIT (1:1:2 of 4): ICT 1,500, LEGAL 1,500, AUDIT 3,000.
    # ICT then has 9,000 + 1,500 = 10,500 over LEGAL and AUDIT 2:1: 7,000 / 3,500.
    out = allocate_json(body("step_down", order=["HR", "ICT"]))
    assert out["receivers"]["LEGAL"]["from"] == {"HR": "1500.00", "ICT": "7000.00"}
    assert out["receivers"]["AUDIT"]["from"] == {"HR": "3000.00", "ICT": "3500.00"}
    assert out["pools"]["ICT"]["total_cost"] == "10500.00"
    # Pools are reported in the order they were given, not the order they were closed.
    assert list(out["pools"]) == ["ICT", "HR"]


def test_reciprocal_by_hand():
    # S_ICT = 9,000 + 1/4 S_HR and S_HR = 6,000 + 1/4 S_ICT
    # => S_ICT = 10,500 + S_ICT/16 => S_ICT = 11,200, S_HR = 8,800.
    # LEGAL: 2/4 x 11,200 + 1/4 x 8,800 = 5,600 + 2,200; AUDIT: 1/4 x 11,200 + 2/4 x 8,800 = 2,800 + 4,400.
    out = allocate_json(body("reciprocal"))
    assert out["pools"]["ICT"]["total_cost"] == "11200.00"
    assert out["pools"]["HR"]["total_cost"] == "8800.00"
    assert out["receivers"]["LEGAL"]["from"] == {"ICT": "5600.00", "HR": "2200.00"}
    assert out["receivers"]["LEGAL"]["total"] == "8800.00"
    assert out["receivers"]["AUDIT"]["from"] == {"ICT": "2800.00", "HR": "4400.00"}
    assert out["check"] == {"pool_cost_in": "15000.00", "allocated_out": "15000.00"}


def test_reciprocal_ignores_order():
    assert allocate_json(body("reciprocal", order=["HR", "ICT"])) == allocate_json(body("reciprocal"))


def test_largest_remainder_gives_the_odd_penny_to_the_biggest_remainder():
    # £1.00 split 1:2:3 is 16.67p, 33.33p, 50p; floors 16 + 33 + 50 = 99p, and the spare penny goes to
    # the largest remainder (A's 0.67p).
    out = allocate_json(
        {
            "method": "direct",
            "pools": [{"id": "P", "cost": "1.00"}],
            "receivers": [{"id": "A"}, {"id": "B"}, {"id": "C"}],
            "usage": {"P": {"A": "1", "B": "2", "C": "3"}},
        }
    )
    assert [out["receivers"][r]["allocated"] for r in "ABC"] == ["0.17", "0.33", "0.50"]


def test_rounding_reconciles_within_each_receiver_and_overall():
    # Two pools of 10p each split three ways: each receiver's exact share is 6.67p (20p / 3).
    # Receivers first: floors 6 + 6 + 6 = 18p, two spare pennies to the first two (equal remainders, input
    # order) -> 7p, 7p, 6p. Then within A: 3.33p from each pool, floors 3 + 3, the spare penny to X (first).
    out = allocate_json(
        {
            "method": "direct",
            "pools": [{"id": "X", "cost": "0.10"}, {"id": "Y", "cost": "0.10"}],
            "receivers": [{"id": "A"}, {"id": "B"}, {"id": "C"}],
            "usage": {"X": {"A": 1, "B": 1, "C": 1}, "Y": {"A": 1, "B": 1, "C": 1}},
        }
    )
    assert {r: v["allocated"] for r, v in out["receivers"].items()} == {"A": "0.07", "B": "0.07", "C": "0.06"}
    assert out["receivers"]["A"]["from"] == {"X": "0.04", "Y": "0.03"}
    assert out["receivers"]["C"]["from"] == {"X": "0.03", "Y": "0.03"}
    assert out["check"] == {"pool_cost_in": "0.20", "allocated_out": "0.20"}


def test_python_interface_returns_decimals():
    request = parse_request(body("reciprocal"))
    assert isinstance(request, AllocationRequest)
    assert request.pools == {"ICT": Decimal("9000.00"), "HR": Decimal("6000.00")}
    assert request.receivers["AUDIT"] == Decimal("0")
    result = allocate(request)
    legal = result.receivers["LEGAL"]
    assert legal.from_pools == {"ICT": Decimal("5600.00"), "HR": Decimal("2200.00")}
    assert legal.total == legal.direct + legal.allocated
    assert result.pools["HR"].total_cost == Decimal("8800.00")
    assert result.pool_cost_in == result.allocated_out == Decimal("15000.00")


def test_a_request_built_in_python_is_checked_too():
    request = AllocationRequest(
        method="step_down",
        pools={"A": Decimal("1.00")},
        receivers={"R": Decimal("0")},
        usage={"A": {"R": Decimal("1")}},
        order=None,
    )
    with pytest.raises(AllocationError, match="order"):
        allocate(request)


def test_numbers_as_json_numbers_are_accepted():
    out = allocate_json(
        {
            "method": "direct",
            "pools": [{"id": "P", "cost": 10}],
            "receivers": [{"id": "A", "cost": Decimal("2.50")}],
            "usage": {"P": {"A": 3}},
        }
    )
    assert out["receivers"]["A"]["total"] == "12.50"


def test_zero_usage_entries_and_no_pools():
    out = allocate_json(
        {"method": "reciprocal", "pools": [], "receivers": [{"id": "A", "cost": "5"}], "usage": {}}
    )
    assert out["receivers"]["A"] == {"direct": "5.00", "allocated": "0.00", "total": "5.00", "from": {}}
    assert out["check"] == {"pool_cost_in": "0.00", "allocated_out": "0.00"}


def mutate(method: str, change) -> dict[str, Any]:
    data = body(method, order=["ICT", "HR"])
    change(data)
    return data


BAD_INPUTS = [
    ("not an object", lambda d: d.clear() or d.update({"x": 1}), "Unknown field"),
    ("unknown method", lambda d: d.update(method="waterfall"), "method"),
    ("pool list not a list", lambda d: d.update(pools={"ICT": 1}), "pools"),
    ("pool without id", lambda d: d["pools"].append({"cost": "1"}), "'id'"),
    ("pool without cost", lambda d: d["pools"].append({"id": "FIN"}), "'cost' is required"),
    ("duplicate pool", lambda d: d["pools"].append({"id": "ICT", "cost": "1"}), "more than once"),
    (
        "id both pool and receiver",
        lambda d: d["receivers"].append({"id": "HR"}),
        "both a pool and a receiver",
    ),
    ("negative pool cost", lambda d: d["pools"][0].update(cost="-1.00"), "negative"),
    ("negative receiver cost", lambda d: d["receivers"][0].update(cost="-0.01"), "negative"),
    ("non-numeric cost", lambda d: d["pools"][0].update(cost="lots"), "not a number"),
    ("boolean cost", lambda d: d["pools"][0].update(cost=True), "not a number"),
    ("infinite cost", lambda d: d["pools"][0].update(cost="Infinity"), "finite"),
    ("sub-penny cost", lambda d: d["pools"][0].update(cost="1.005"), "two decimal places"),
    ("negative usage", lambda d: d["usage"]["ICT"].update(LEGAL="-2"), "negative"),
    ("non-numeric usage", lambda d: d["usage"]["ICT"].update(LEGAL="two"), "not a number"),
    ("usage of unknown pool", lambda d: d["usage"].update(FIN={"LEGAL": 1}), "'FIN' is not a pool"),
    ("usage by unknown recipient", lambda d: d["usage"]["ICT"].update(PAY=1), "'PAY' is neither"),
    ("order names unknown pool", lambda d: d.update(order=["ICT", "HR", "FIN"]), "'FIN' is not a pool"),
    ("order repeats a pool", lambda d: d.update(order=["ICT", "HR", "ICT"]), "more than once"),
    ("order misses a pool", lambda d: d.update(order=["ICT"]), "missing: HR"),
    ("order not a list", lambda d: d.update(order="ICT,HR"), "order"),
    ("unknown field in pool", lambda d: d["pools"][0].update(colour="red"), "unknown field"),
]


@pytest.mark.parametrize("method", ["direct", "step_down", "reciprocal"])
@pytest.mark.parametrize(("label", "change", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_refused_with_a_message_naming_the_problem(method, label, change, message):
    with pytest.raises(AllocationError, match=message):
        allocate_json(mutate(method, change))


def test_step_down_without_order_is_refused():
    with pytest.raises(AllocationError, match="order: step_down needs"):
        allocate_json(body("step_down"))


@pytest.mark.parametrize("method", ["direct", "step_down", "reciprocal"])
def test_pool_whose_usage_sums_to_zero_is_refused(method):
    data = body(method, order=["ICT", "HR"])
    data["usage"]["HR"] = {"LEGAL": "0", "AUDIT": "0", "HR": "7"}  # only itself, which never counts
    with pytest.raises(AllocationError, match="HR have no usage"):
        allocate_json(data)


def test_pool_missing_from_usage_is_refused():
    data = body("direct")
    del data["usage"]["HR"]
    with pytest.raises(AllocationError, match="HR have no usage"):
        allocate_json(data)


def test_direct_counts_only_receivers():
    # HR is used only by ICT: fine for reciprocal, but direct sends pools to receivers only.
    data = body("direct")
    data["usage"]["HR"] = {"ICT": "1"}
    with pytest.raises(AllocationError, match="HR have no usage by receivers"):
        allocate_json(data)


def test_step_down_counts_only_later_pools():
    # HR (last) is used only by ICT, which is already closed.
    data = body("step_down", order=["ICT", "HR"])
    data["usage"]["HR"] = {"ICT": "1"}
    with pytest.raises(AllocationError, match="HR have no usage by later pools or receivers"):
        allocate_json(data)


def test_reciprocal_usage_that_never_reaches_a_receiver_has_no_solution():
    # ICT and HR only serve each other: (I - P^T) is singular.
    data = body("reciprocal")
    data["pools"].append({"id": "FIN", "cost": "10.00"})
    data["usage"]["ICT"] = {"HR": "1"}
    data["usage"]["HR"] = {"ICT": "3"}
    data["usage"]["FIN"] = {"ICT": "1", "LEGAL": "1"}
    with pytest.raises(AllocationError, match=r"no solution.*ICT, HR never reaches a receiver"):
        allocate_json(data)


def test_pools_without_receivers_are_refused():
    with pytest.raises(AllocationError, match="no usage"):
        allocate_json({"method": "direct", "pools": [{"id": "P", "cost": "1"}], "receivers": [], "usage": {}})


def test_non_object_input_is_refused():
    with pytest.raises(AllocationError, match="JSON object"):
        parse_request(["method", "direct"])
