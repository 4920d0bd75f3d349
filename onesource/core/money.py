"""Money to the penny: splitting an amount between parties so the parts add up to it exactly."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import TypeVar

PENNY = Decimal("0.01")
K = TypeVar("K", bound=Hashable)


def split_to_penny(amount: Decimal, weights: Mapping[K, Decimal]) -> dict[K, Decimal]:
    """Split `amount` in proportion to `weights` so the parts add up to it exactly (largest remainder).

    Each part is first rounded down to the penny; the pennies left over go one each to the parts with
    the largest remainders, ties to the larger weight, then to the first key in sorted order, so the
    result does not depend on the order of `weights`. A key whose weight is not positive gets nothing.
    """
    positive = {key: Decimal(weight) for key, weight in weights.items() if weight > 0}
    total_weight = sum(positive.values(), Decimal(0))
    if total_weight <= 0:
        raise ValueError("Cannot split an amount without positive weights.")
    pennies = int((Decimal(amount) / PENNY).to_integral_value(ROUND_HALF_UP))
    sign = -1 if pennies < 0 else 1
    pennies = abs(pennies)
    exact = {key: Decimal(pennies) * weight / total_weight for key, weight in positive.items()}
    floors = {key: int(value.to_integral_value(ROUND_FLOOR)) for key, value in exact.items()}
    left_over = pennies - sum(floors.values())
    ranked = sorted(positive, key=lambda k: (-(exact[k] - floors[k]), -positive[k], str(k)))
    for key in ranked[:left_over]:
        floors[key] += 1
    return {key: (sign * Decimal(floors.get(key, 0)) * PENNY).quantize(PENNY) for key in weights}
