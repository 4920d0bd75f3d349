"""Who sees which savings figures (docs/visibility.md, Savings).

Shared-service roles (every partner) see whole lines and the partnership's totals. Anyone else sees
only their own partners' attributed share: a line's whole amount, or the partnership's total, beside
their own share would give the other partners' shares away by subtraction. Pages, the API, CSV and
the committee report all ask `share_partner_ids` which view to give.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from onesource.core.roles import Capability
from onesource.core.scoping import scope_for
from onesource.savings.attribution import AttributionYear, ShareFinder, line_attribution
from onesource.savings.models import SavingsLine

ZERO = Decimal("0")

# List columns holding a whole line's (or business case's) amounts, left out for partner readers.
WHOLE_AMOUNT_COLUMNS = frozenset({"planned", "delivered"})


def share_partner_ids(user: Any) -> frozenset[int] | None:
    """None: the reader sees whole figures. Otherwise the partners whose attributed share is all they see."""
    return scope_for(user).partners_with(Capability.VIEW)


def sees_whole_figures(user: Any) -> bool:
    return share_partner_ids(user) is None


def own_share(row: AttributionYear, partner_ids: frozenset[int]) -> tuple[Decimal, Decimal]:
    """(planned, delivered) of one year's attribution that falls to the given partners."""
    planned = sum((p for pid, (p, _d) in row.partners.items() if pid in partner_ids), ZERO)
    delivered = sum((d for pid, (_p, d) in row.partners.items() if pid in partner_ids), ZERO)
    return planned, delivered


def amounts_seen_by(line: SavingsLine, user: Any, finder: ShareFinder | None = None) -> list[dict[str, Any]]:
    """Each year's planned and delivered as the reader may see them: whole, or their attributed share."""
    partner_ids = share_partner_ids(user)
    if partner_ids is None:
        return [
            {"year": a.year, "planned": a.planned, "delivered": a.delivered}
            for a in sorted(line.amounts.all(), key=lambda a: a.year)
        ]
    rows = []
    for row in line_attribution(line, finder or ShareFinder()):
        planned, delivered = own_share(row, partner_ids)
        rows.append({"year": row.year, "planned": planned, "delivered": delivered})
    return rows
