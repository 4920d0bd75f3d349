"""How a service's cost is shared between partners in a year, offered by the app that knows (costing).

Other apps (savings attribution, reports) need "what share of service S does each partner carry in
financial year Y" without importing costing's internals. Costing registers a provider here; when no
provider is registered, or it has no agreement for that service and year, callers fall back to their
own rule (for example explicit percentages).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from onesource.core.models import Service

# provider(service, financial_year_start_year) -> {partner_id: fraction}, fractions summing to 1; or None.
ShareProvider = Callable[[Service, int], dict[int, Decimal] | None]

_SHARE_PROVIDERS: list[ShareProvider] = []


def register_share_provider(provide: ShareProvider) -> ShareProvider:
    if provide not in _SHARE_PROVIDERS:
        _SHARE_PROVIDERS.append(provide)
    return provide


def service_shares(service: Service, year: int) -> dict[int, Decimal] | None:
    """The first registered provider's answer for the service in the financial year starting April `year`."""
    for provide in _SHARE_PROVIDERS:
        shares = provide(service, year)
        if shares:
            return shares
    return None
