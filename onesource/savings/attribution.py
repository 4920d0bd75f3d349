"""Who gets how much of a saving: shares per partner, and splitting money to the penny.

A line's shares in a year come from the service's cost shares for that year when a provider is
registered in `onesource.core.shares` (costing offers the recharge agreement's distribution formula),
else from the line's explicit percentages. A line with neither is left unattributed (key None).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from onesource.core.money import split_to_penny
from onesource.core.shares import YearShares
from onesource.savings.models import SavingsLine

PENNY = Decimal("0.01")
HUNDRED = Decimal("100")
BY_SERVICE_SHARES = "service shares"
BY_PERCENTAGES = "explicit percentages"
UNATTRIBUTED = "unattributed"
ZERO = Decimal("0")
K = TypeVar("K", int, str)


class ShareFinder:
    """Shares per (line, year), asking the share providers at most once per service and year (once per
    year for a provider that answers for a whole year)."""

    def __init__(self) -> None:
        self._years: dict[int, YearShares] = {}
        self._service_cache: dict[tuple[int, int], dict[int, Decimal] | None] = {}
        self._expected: set[int] = set()

    def expect(self, lines: Iterable[SavingsLine]) -> None:
        """The lines about to be asked about: a year's shares are then read for all their services."""
        self._expected.update(line.service_id for line in lines)

    def service_shares(self, line: SavingsLine, year: int) -> dict[int, Decimal] | None:
        key = (line.service_id, year)
        if key not in self._service_cache:
            year_shares = self._years.get(year)
            if year_shares is None or line.service_id not in year_shares.service_ids:
                year_shares = self._years[year] = YearShares(year, self._expected | {line.service_id})
            self._service_cache[key] = year_shares.get(line.service)
        return self._service_cache[key]

    def shares(self, line: SavingsLine, year: int) -> tuple[str, dict[int, Decimal]]:
        """(how, {partner_id: weight}) for the line in the year; weights are fractions or percentages."""
        provided = self.service_shares(line, year)
        if provided:
            return BY_SERVICE_SHARES, dict(provided)
        explicit = {s.partner_id: s.percent for s in line.shares.all() if s.percent > 0}
        if explicit:
            return BY_PERCENTAGES, explicit
        return UNATTRIBUTED, {}

    def split(self, line: SavingsLine, year: int, amount: Decimal) -> dict[int | None, Decimal]:
        """The amount split between partners to the penny; unattributed money is under None."""
        _, weights = self.shares(line, year)
        if not weights:
            return {None: amount}
        split: dict[int | None, Decimal] = {}
        for partner_id, part in split_to_penny(amount, weights).items():
            split[partner_id] = part
        return split


@dataclass
class AttributionYear:
    """One year of a line: its amounts, how they are split, and each partner's (planned, delivered)."""

    year: int
    how: str
    planned: Decimal
    delivered: Decimal
    partners: dict[int | None, tuple[Decimal, Decimal]]


def line_attribution(line: SavingsLine, finder: ShareFinder | None = None) -> list[AttributionYear]:
    """Per year: how the line is attributed, and each partner's planned and delivered amounts."""
    finder = finder or ShareFinder()
    rows = []
    for amount in sorted(line.amounts.all(), key=lambda a: a.year):
        how, _ = finder.shares(line, amount.year)
        planned = finder.split(line, amount.year, amount.planned)
        delivered = finder.split(line, amount.year, amount.delivered)
        partners = sorted(set(planned) | set(delivered), key=lambda p: (p is None, p or 0))
        rows.append(
            AttributionYear(
                year=amount.year,
                how=how,
                planned=amount.planned,
                delivered=amount.delivered,
                partners={p: (planned.get(p, ZERO), delivered.get(p, ZERO)) for p in partners},
            )
        )
    return rows


def attributed_amounts(
    lines: Iterable[SavingsLine], finder: ShareFinder | None = None
) -> list[tuple[SavingsLine, int, int | None, Decimal, Decimal]]:
    """(line, year, partner_id or None, planned, delivered) for every line, year and partner."""
    finder = finder or ShareFinder()
    lines = list(lines)
    finder.expect(lines)
    out = []
    for line in lines:
        for row in line_attribution(line, finder):
            for partner_id, (planned, delivered) in row.partners.items():
                out.append((line, row.year, partner_id, planned, delivered))
    return out
