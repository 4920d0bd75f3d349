"""Named figures: one definition and one function for each figure shown in more than one place.

The app that owns the data registers the figure (workforce: headcount, FTE, FTE served, working days
lost per FTE; costing: budget share); the dashboard, the statement, KPIs and the committee report all
ask this registry for it, so a figure cannot mean one thing on one page and another elsewhere. Each
figure carries its definition, which pages and reports show beside it (see docs/figures.md).

A figure is computed for one partner (or None: the whole shared service) over a period; a stock
figure (headcount, FTE) is taken on the period's last day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from onesource.core.models import Partner

# compute(partner or None, first day, last day, user or None for the system) -> value (None: no data)
FigureFunction = Callable[[Partner | None, dt.date, dt.date, Any], Decimal | None]


@dataclass(frozen=True)
class NamedFigure:
    key: str
    label: str
    unit: str
    definition: str
    compute: FigureFunction

    def value(
        self, partner: Partner | None, start: dt.date, end: dt.date, user: Any = None
    ) -> Decimal | None:
        return self.compute(partner, start, end, user)


FIGURES: dict[str, NamedFigure] = {}


def register_figure(
    key: str, *, label: str, unit: str, definition: str
) -> Callable[[FigureFunction], FigureFunction]:
    def register(compute: FigureFunction) -> FigureFunction:
        FIGURES[key] = NamedFigure(key=key, label=label, unit=unit, definition=definition, compute=compute)
        return compute

    return register


def named_figure(key: str) -> NamedFigure:
    if key not in FIGURES:
        raise KeyError(f"No figure {key!r} is registered. Known: {', '.join(sorted(FIGURES)) or 'none'}.")
    return FIGURES[key]


def figure_value(
    key: str, partner: Partner | None, start: dt.date, end: dt.date, user: Any = None
) -> Decimal | None:
    return named_figure(key).value(partner, start, end, user)


def figure_choices() -> list[tuple[str, str]]:
    """(key, label) of every registered figure, for a choice such as a KPI's source."""
    return sorted(((f.key, f.label) for f in FIGURES.values()), key=lambda choice: choice[1])
