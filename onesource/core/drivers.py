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


DRIVER_PROVIDERS: dict[str, DriverProvider] = {}


def register_driver(key: str, *, label: str, unit: str) -> Callable[[DriverFunction], DriverFunction]:
    def register(provide: DriverFunction) -> DriverFunction:
        DRIVER_PROVIDERS[key] = DriverProvider(key=key, label=label, unit=unit, provide=provide)
        return provide

    return register


def driver_quantities(key: str, service: Service, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    if key not in DRIVER_PROVIDERS:
        raise KeyError(
            f"No driver {key!r} is registered. Known: {', '.join(sorted(DRIVER_PROVIDERS)) or 'none'}."
        )
    return DRIVER_PROVIDERS[key].provide(service, start, end)
