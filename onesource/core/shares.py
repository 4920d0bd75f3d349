"""How a service's cost is shared between partners in a year, offered by the app that knows (costing).

Other apps (savings attribution, reports) need "what share of service S does each partner carry in
financial year Y" without importing costing's internals. Costing registers a provider here; when no
provider is registered, or it has no agreement for that service and year, callers fall back to their
own rule (for example explicit percentages).

A provider may also answer for every service of a year at once (`for_year`): callers that need many
services (a savings dashboard, the committee report) ask `YearShares` and so read each year once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal

from onesource.core.models import Service

# provider(service, financial_year_start_year) -> {partner_id: fraction}, fractions summing to 1; or None.
ShareProvider = Callable[[Service, int], dict[int, Decimal] | None]
# for_year(financial_year_start_year, service ids) -> {service_id: {partner_id: fraction}}, for those of
# the services it knows.
YearShareProvider = Callable[[int, Collection[int]], dict[int, dict[int, Decimal]]]


@dataclass(frozen=True)
class _Registered:
    provide: ShareProvider
    for_year: YearShareProvider | None


_SHARE_PROVIDERS: list[_Registered] = []


def register_share_provider(
    provide: ShareProvider, *, for_year: YearShareProvider | None = None
) -> ShareProvider:
    if all(r.provide is not provide for r in _SHARE_PROVIDERS):
        _SHARE_PROVIDERS.append(_Registered(provide, for_year))
    return provide


def service_shares(service: Service, year: int) -> dict[int, Decimal] | None:
    """The first registered provider's answer for the service in the financial year starting April `year`."""
    for registered in _SHARE_PROVIDERS:
        shares = registered.provide(service, year)
        if shares:
            return shares
    return None


class YearShares:
    """`service_shares` for the given services in one year, each provider asked once for all of them
    (a service not given is asked for on its own)."""

    def __init__(self, year: int, service_ids: Collection[int]) -> None:
        self.year = year
        self.service_ids = frozenset(service_ids)
        self._batches = [r.for_year(year, self.service_ids) if r.for_year else None for r in _SHARE_PROVIDERS]

    def get(self, service: Service) -> dict[int, Decimal] | None:
        for registered, batch in zip(_SHARE_PROVIDERS, self._batches, strict=True):
            if batch is not None and service.pk in self.service_ids:
                shares = batch.get(service.pk)
            else:
                shares = registered.provide(service, self.year)
            if shares:
                return shares
        return None
