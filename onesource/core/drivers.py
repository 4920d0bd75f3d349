"""Cost drivers other apps provide: named quantities per partner for a service over a period.

The costing app splits a service's cost between partners by a driver (headcount served, time
allocation, caseload…). Drivers whose data lives in another app (workforce) are registered here
by that app, so costing reads them without importing the other app's internals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from onesource.core.models import Service

# provider(service, start, end) -> {partner_id: quantity}; partners with nothing are left out.
DriverFunction = Callable[[Service, dt.date, dt.date], dict[int, Decimal]]


@dataclass(frozen=True)
class DriverProvider:
    key: str
    label: str
    unit: str
    provide: DriverFunction
    # The data sets (core.versions) its answers are read from, so a cache of what depends on them can
    # be keyed by their versions.
    data_sets: tuple[str, ...] = ()


DRIVER_PROVIDERS: dict[str, DriverProvider] = {}


def register_driver(
    key: str, *, label: str, unit: str, data_sets: tuple[str, ...] = ()
) -> Callable[[DriverFunction], DriverFunction]:
    def register(provide: DriverFunction) -> DriverFunction:
        DRIVER_PROVIDERS[key] = DriverProvider(
            key=key, label=label, unit=unit, provide=provide, data_sets=data_sets
        )
        return provide

    return register


def driver_data_sets() -> list[str]:
    """Every data set any registered driver reads."""
    return sorted({name for provider in DRIVER_PROVIDERS.values() for name in provider.data_sets})


def driver_quantities(key: str, service: Service, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    if key not in DRIVER_PROVIDERS:
        raise KeyError(
            f"No driver {key!r} is registered. Known: {', '.join(sorted(DRIVER_PROVIDERS)) or 'none'}."
        )
    return DRIVER_PROVIDERS[key].provide(service, start, end)
